import { Counter, type Registry } from 'prom-client';

export interface WorkersMetrics {
  consumed: Counter<'group'>;
  historyRows: Counter;
  indexApplied: Counter;
  outboxRelayed: Counter;
}

export function workersMetrics(registry: Registry): WorkersMetrics {
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
  };
}
