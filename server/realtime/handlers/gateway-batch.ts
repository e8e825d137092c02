import { gatewayBatchSchema } from '@/domain/location';
import type { Ack, GatewayBatchResult } from '@/domain/realtime-contract';
import type { LocationTracing } from '../../infra/location-tracing';
import type { Logger } from '../../infra/logger';
import type { LocationIngestor } from '../../services/location/ingest-location-batch';
import { fail, invalid } from '../ack';
import type { RealtimeSocket } from '../types';

/**
 * `location:gateway-batch`: a telematics gateway relays several drivers' positions in one
 * message. Each driver's batch goes through the same ingest as a phone's: the driver must be on
 * duty in the named session, and the same filters apply.
 */
export function gatewayBatchHandler(
  ingestor: LocationIngestor,
  logger: Logger,
  count: (result: string) => void,
  traces?: LocationTracing,
) {
  return async function (this: RealtimeSocket, payload: unknown, ack: unknown) {
    if (typeof ack !== 'function') return;
    const reply = ack as (result: Ack<GatewayBatchResult>) => void;
    if (this.data.principal.role !== 'gateway')
      return reply(fail('FORBIDDEN', 'Only gateways relay other drivers’ positions'));
    const parsed = gatewayBatchSchema.safeParse(payload);
    if (!parsed.success) return reply(invalid(parsed.error));
    const traced = traces?.roll()
      ? traces.start(
          'location.gateway-batch',
          parsed.data.drivers.map((d) => d.driverId),
          { 'gateway.id': this.data.principal.userId, 'location.drivers': parsed.data.drivers.length },
        )
      : undefined;
    try {
      const outcomes = await ingestor.ingestMany(
        parsed.data.drivers.map(({ driverId, sessionId, pings }) => ({
          driverId,
          batch: { sessionId, pings },
        })),
      );
      const results = outcomes.map((r, i) => ({ driverId: parsed.data.drivers[i]!.driverId, ...r }));
      reply({ ok: true, results });
      count('ok');
      traced?.end(results.reduce((n, r) => n + r.accepted, 0));
    } catch (error) {
      traced?.fail(error);
      count('unavailable');
      logger.warn({ err: error, gateway: this.data.principal.userId }, 'gateway batch not stored');
      reply(fail('UNAVAILABLE', 'Positions could not be stored right now; re-send them'));
    }
  };
}
