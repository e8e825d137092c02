import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ClientEvent } from './socket-event';

export interface RealtimeMetrics {
  pings: Counter<'outcome' | 'reason'>;
  batches: Counter<'kind' | 'result'>;
  publishSeconds: Histogram;
  connections: Gauge<'role'>;
  fanoutFrames: Counter;
  fleetDrivers: Gauge;
  /** Offers on drivers' phones: delivered, acknowledged, unreachable (no ack / disconnect), withdrawn. */
  offers: Counter<'outcome'>;
  bookingUpdates: Counter;
}

export function realtimeMetrics(registry: Registry, fleetSize: () => number): RealtimeMetrics {
  return {
    pings: new Counter({
      name: 'od_location_pings_total',
      help: 'Location pings by outcome (accepted or dropped) and drop reason',
      labelNames: ['outcome', 'reason'],
      registers: [registry],
    }),
    batches: new Counter({
      name: 'od_location_batches_total',
      help: 'Location batches by kind (phone, gateway) and result',
      labelNames: ['kind', 'result'],
      registers: [registry],
    }),
    publishSeconds: new Histogram({
      name: 'od_location_publish_seconds',
      help: 'Time from a batch arriving to Kafka acknowledging it (acks=-1)',
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    connections: new Gauge({
      name: 'od_socket_connections',
      help: 'Open Socket.IO connections by role',
      labelNames: ['role'],
      registers: [registry],
    }),
    fanoutFrames: new Counter({
      name: 'od_fanout_frames_total',
      help: 'Position frames sent to viewport rooms',
      registers: [registry],
    }),
    offers: new Counter({
      name: 'od_booking_offers_total',
      help: 'Offers on drivers’ phones by outcome: delivered, acknowledged, unreachable, withdrawn',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    bookingUpdates: new Counter({
      name: 'od_booking_updates_total',
      help: 'Booking events fanned out to booking rooms by this instance',
      registers: [registry],
    }),
    fleetDrivers: new Gauge({
      name: 'od_fleet_view_drivers',
      help: 'Online drivers in this instance’s fleet view',
      registers: [registry],
      collect() {
        this.set(fleetSize());
      },
    }),
  };
}

const batchKinds: Partial<Record<ClientEvent, string>> = {
  'location:batch': 'phone',
  'location:gateway-batch': 'gateway',
  'location:gateway-frame': 'gateway',
};
const batchResults: Partial<Record<string, string>> = {
  ok: 'ok',
  FORBIDDEN: 'forbidden',
  INVALID_INPUT: 'invalid',
  UNAVAILABLE: 'unavailable',
};

/**
 * Counts a socket event's outcome (socket-pipeline.ts): location batches by kind and result; a
 * rate-limited event of any kind as kind `any`.
 */
export function countEventOutcome(metrics: RealtimeMetrics, event: ClientEvent, outcome: string): void {
  if (outcome === 'RATE_LIMITED') return void metrics.batches.inc({ kind: 'any', result: 'rate_limited' });
  const kind = batchKinds[event];
  const result = batchResults[outcome];
  if (kind && result) metrics.batches.inc({ kind, result });
}
