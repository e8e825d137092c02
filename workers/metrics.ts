import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface WorkersMetrics {
  consumed: Counter<'group'>;
  historyRows: Counter;
  /** Seconds from realtime accepting a position to its history row: the oldest of the last batch. */
  historyLagSeconds: Gauge;
  indexApplied: Counter;
  outboxRelayed: Counter;
  /** Booking transitions applied by the trip-facts projector: the booking funnel, once each. */
  bookingEvents: Counter<'event'>;
  dispatchJobs: Counter<'job' | 'result'>;
  dispatchJobSeconds: Histogram<'job'>;
  /** From a job's due time to a worker starting it. */
  dispatchJobDelaySeconds: Histogram<'job'>;
}

/** Gauges read at scrape time from the systems that hold the numbers. */
export interface WorkersGaugeSources {
  queueJobs: () => Promise<Record<string, number>>;
  consumerLag: () => Promise<Record<string, number>>;
  outboxBacklog: () => Promise<number>;
}

export function workersMetrics(registry: Registry, sources?: WorkersGaugeSources): WorkersMetrics {
  if (sources) {
    countsGauge(registry, sources.queueJobs, {
      name: 'od_dispatch_queue_jobs',
      help: 'Dispatch queue jobs by state (waiting, delayed, active, failed)',
      label: 'state',
    });
    countsGauge(registry, sources.consumerLag, {
      name: 'od_kafka_consumer_lag',
      help: 'Messages not yet committed, by consumer group',
      label: 'group',
    });
    new Gauge({
      name: 'od_outbox_backlog',
      help: 'Events committed but not yet published to Kafka',
      registers: [registry],
      async collect() {
        const n = await sources.outboxBacklog().catch(() => -1);
        if (n >= 0) this.set(n);
      },
    });
  }
  return {
    consumed: new Counter({
      name: 'od_kafka_consumed_total',
      help: 'Kafka messages handled, by consumer group',
      labelNames: ['group'],
      registers: [registry],
    }),
    historyRows: new Counter({
      name: 'od_location_history_rows_total',
      help: 'Rows newly written to the location history (replays excluded)',
      registers: [registry],
    }),
    historyLagSeconds: new Gauge({
      name: 'od_location_history_lag_seconds',
      help: 'Seconds from a position being acknowledged to its history row (oldest position of the last batch written)',
      registers: [registry],
    }),
    indexApplied: new Counter({
      name: 'od_live_index_positions_total',
      help: 'Positions applied to the live index (stale or replayed ones excluded)',
      registers: [registry],
    }),
    outboxRelayed: new Counter({
      name: 'od_outbox_relayed_total',
      help: 'Outbox events published to Kafka',
      registers: [registry],
    }),
    bookingEvents: new Counter({
      name: 'od_booking_events_total',
      help: 'Booking transitions by event (requested, offer, offer_accepted, trip_completed, no_driver, …), each counted once',
      labelNames: ['event'],
      registers: [registry],
    }),
    dispatchJobs: new Counter({
      name: 'od_dispatch_jobs_total',
      help: 'Dispatch jobs finished, by job (assign, expire, dispatch-scheduled) and result (completed, failed)',
      labelNames: ['job', 'result'],
      registers: [registry],
    }),
    dispatchJobSeconds: new Histogram({
      name: 'od_dispatch_job_seconds',
      help: 'Dispatch job run time',
      labelNames: ['job'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    dispatchJobDelaySeconds: new Histogram({
      name: 'od_dispatch_job_delay_seconds',
      help: 'From a dispatch job being due to a worker starting it',
      labelNames: ['job'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}

/** A gauge set at scrape time from `read`'s counts, one series per key; a failed read sets nothing. */
function countsGauge(
  registry: Registry,
  read: () => Promise<Record<string, number>>,
  gauge: { name: string; help: string; label: string },
): void {
  new Gauge({
    name: gauge.name,
    help: gauge.help,
    labelNames: [gauge.label],
    registers: [registry],
    async collect() {
      const counts = await read().catch(() => ({}) as Record<string, number>);
      for (const [key, n] of Object.entries(counts)) this.set({ [gauge.label]: key }, n);
    },
  });
}
