import { locationBatchSchema } from '@/domain/location';
import type { Ack, LocationBatchResult } from '@/domain/realtime-contract';
import type { LocationTracing } from '../../infra/location-tracing';
import type { Logger } from '../../infra/logger';
import type { LocationIngestor } from '../../services/location/ingest-location-batch';
import { fail, invalid } from '../ack';
import type { RealtimeSocket } from '../types';

/**
 * `location:batch`: a driver's positions. The driver id is the socket's, never the payload's.
 * One handler per server, bound to each socket as `this`: no closures per connection.
 */
export function locationBatchHandler(
  ingestor: LocationIngestor,
  logger: Logger,
  count: (result: string) => void,
  traces?: LocationTracing,
) {
  return async function (this: RealtimeSocket, payload: unknown, ack: unknown) {
    if (typeof ack !== 'function') return;
    const reply = ack as (result: Ack<LocationBatchResult>) => void;
    const { principal } = this.data;
    if (principal.role !== 'driver') {
      count('forbidden');
      return reply(fail('FORBIDDEN', 'Only drivers send locations'));
    }
    const parsed = locationBatchSchema.safeParse(payload);
    if (!parsed.success) {
      count('invalid');
      return reply(invalid(parsed.error));
    }
    // A small share of batches is traced; the rest pay one random number (location-tracing.ts).
    const traced = traces?.roll()
      ? traces.start('location.batch', [principal.userId], {
          'driver.id': principal.userId,
          'location.pings': parsed.data.pings.length,
        })
      : undefined;
    try {
      const result = await ingestor.ingest(principal.userId, parsed.data);
      reply({ ok: true, ...result });
      count('ok');
      traced?.end(result.accepted);
    } catch (error) {
      traced?.fail(error);
      count('unavailable');
      logger.warn({ err: error, driverId: principal.userId }, 'location batch not stored');
      reply(fail('UNAVAILABLE', 'Positions could not be stored right now; they will be re-sent'));
    }
  };
}
