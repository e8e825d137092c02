import { Counter, Histogram, type Registry } from 'prom-client';

export interface WebMetrics {
  /** tRPC calls by procedure and answer (ok or the tRPC error code). */
  requests: Counter<'procedure' | 'result'>;
  requestSeconds: Histogram<'procedure'>;
  /** The rider side of the booking funnel: quotes given, bookings created, replays answered. */
  funnel: Counter<'step'>;
  circuitState: Counter<'dependency' | 'state'>;
}

export function webMetrics(registry: Registry): WebMetrics {
  return {
    requests: new Counter({
      name: 'od_trpc_requests_total',
      help: 'tRPC calls by procedure and result (ok, or the error code: BAD_REQUEST, TOO_MANY_REQUESTS, …)',
      labelNames: ['procedure', 'result'],
      registers: [registry],
    }),
    requestSeconds: new Histogram({
      name: 'od_trpc_request_seconds',
      help: 'tRPC call duration by procedure',
      labelNames: ['procedure'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    funnel: new Counter({
      name: 'od_booking_funnel_total',
      help: 'Rider funnel steps seen by web: quoted, booked, replayed (idempotent retries)',
      labelNames: ['step'],
      registers: [registry],
    }),
    circuitState: new Counter({
      name: 'od_circuit_transitions_total',
      help: 'Circuit breaker state changes by dependency and new state (open means failing fast)',
      labelNames: ['dependency', 'state'],
      registers: [registry],
    }),
  };
}
