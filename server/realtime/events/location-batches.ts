import type { Attributes } from '@opentelemetry/api';
import { z } from 'zod';
import { DomainError } from '@/domain/errors';
import { decodeGatewayFrame } from '@/domain/gateway-frame';
import { gatewayBatchSchema, locationBatchSchema } from '@/domain/location';
import { socketEventLimits } from '@/domain/rate-limits';
import type { GatewayBatch, LocationBatchResult } from '@/domain/realtime-contract';
import type { LocationTracing } from '../../infra/location-tracing';
import type { LocationIngestor } from '../../services/location/ingest-location-batch';
import { defineSocketEvent } from '../socket-event';

export interface LocationEventsDeps {
  ingestor: Pick<LocationIngestor, 'ingestMany' | 'sendAgainInMs'>;
  traces?: LocationTracing;
}

/**
 * The one ingest path of both location events: each driver's batch must be on duty in the named
 * session and goes through the same filters; the answer comes once Kafka acknowledged it, and
 * says when to send again if realtime is getting behind (refused outright once it is behind:
 * UNAVAILABLE with `retryAfterMs`).
 * A small share of messages is traced; the rest pay one random number (location-tracing.ts).
 */
async function ingest(
  deps: LocationEventsDeps,
  drivers: GatewayBatch['drivers'],
  span: string,
  attributes: () => Attributes,
): Promise<LocationBatchResult[]> {
  const traced = deps.traces?.roll()
    ? deps.traces.start(
        span,
        drivers.map((d) => d.driverId),
        attributes(),
      )
    : undefined;
  try {
    const results = await deps.ingestor.ingestMany(
      drivers.map(({ driverId, sessionId, pings }) => ({ driverId, batch: { sessionId, pings } })),
    );
    traced?.end(results.reduce((n, r) => n + r.accepted, 0));
    return results;
  } catch (error) {
    traced?.fail(error);
    throw error;
  }
}

/** `location:batch`: a driver's phone; a gateway batch of one driver, whose id is the socket's, never the payload's. */
export const phoneBatchEvent = (deps: LocationEventsDeps) =>
  defineSocketEvent({
    event: 'location:batch',
    roles: ['driver'],
    forbidden: 'Only drivers send locations',
    schema: locationBatchSchema,
    rateLimit: socketEventLimits['location:batch'],
    unavailable: 'Positions could not be stored right now; they will be re-sent',
    async handle(batch, { principal }) {
      const [result] = await ingest(
        deps,
        [{ driverId: principal.userId, ...batch }],
        'location.batch',
        () => ({
          'driver.id': principal.userId,
          'location.pings': batch.pings.length,
        }),
      );
      const wait = deps.ingestor.sendAgainInMs();
      return wait === undefined ? result! : { ...result!, sendAgainInMs: wait };
    },
  });

/** A gateway message's drivers, answered with the same ack whichever form they came in. */
async function ingestGateway(deps: LocationEventsDeps, drivers: GatewayBatch['drivers'], gatewayId: string) {
  const results = await ingest(deps, drivers, 'location.gateway-batch', () => ({
    'gateway.id': gatewayId,
    'location.drivers': drivers.length,
  }));
  const wait = deps.ingestor.sendAgainInMs();
  return {
    results: results.map((r, i) => ({ driverId: drivers[i]!.driverId, ...r })),
    ...(wait === undefined ? {} : { sendAgainInMs: wait }),
  };
}

/** `location:gateway-batch`: a telematics gateway relays several drivers' positions in one message. */
export const gatewayBatchEvent = (deps: LocationEventsDeps) =>
  defineSocketEvent({
    event: 'location:gateway-batch',
    roles: ['gateway'],
    forbidden: 'Only gateways relay other drivers’ positions',
    schema: gatewayBatchSchema,
    rateLimit: socketEventLimits['location:gateway-batch'],
    unavailable: 'Positions could not be stored right now; re-send them',
    handle: ({ drivers }, { principal }) => ingestGateway(deps, drivers, principal.userId),
  });

/**
 * `location:gateway-frame`: the same as a gateway batch, as a binary frame (domain/gateway-frame.ts)
 * checked by the same rules while it is read: no JSON parse, no per-key schema walk.
 */
export const gatewayFrameEvent = (deps: LocationEventsDeps) =>
  defineSocketEvent({
    event: 'location:gateway-frame',
    roles: ['gateway'],
    forbidden: 'Only gateways relay other drivers’ positions',
    schema: z.instanceof(Uint8Array, { message: 'expected a binary gateway frame' }),
    rateLimit: socketEventLimits['location:gateway-frame'],
    unavailable: 'Positions could not be stored right now; re-send them',
    handle(frame, { principal }) {
      const decoded = decodeGatewayFrame(frame);
      if (!decoded.ok)
        throw new DomainError('INVALID_INPUT', `${decoded.field}: ${decoded.message}`, {
          field: decoded.field,
        });
      return ingestGateway(deps, decoded.drivers, principal.userId);
    },
  });
