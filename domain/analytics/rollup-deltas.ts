/**
 * Counter increments gathered while folding a batch of events, summed per rollup row so each row
 * is written once per batch (fewer statements, and a fixed lock order: see writeRollups).
 * Keys and counters use the tables' column names; time keys are epoch ms.
 */
export const rollupTables = {
  analytics_bookings_hourly: { keys: ['hour', 'status'], counters: ['bookings'] },
  analytics_revenue_hourly: {
    keys: ['hour', 'vehicle_type_id', 'currency'],
    counters: ['trips', 'fares', 'fees_charged', 'fees'],
  },
  analytics_cancellations_hourly: {
    keys: ['hour', 'actor', 'reason'],
    counters: ['cancellations', 'ended'],
  },
  analytics_cell_demand: { keys: ['bucket', 'cell'], counters: ['requests', 'unserved'] },
  analytics_driver_hourly: {
    keys: ['driver_id', 'hour'],
    counters: [
      'available_ms',
      'paused_ms',
      'offered_ms',
      'en_route_ms',
      'on_trip_ms',
      'offers',
      'accepted',
      'declined',
      'expired',
      'trips',
    ],
  },
} as const;

export type RollupTable = keyof typeof rollupTables;
type Spec<T extends RollupTable> = (typeof rollupTables)[T];
export type RollupKey<T extends RollupTable> = Record<Spec<T>['keys'][number], string | number>;
export type RollupCounts<T extends RollupTable> = Partial<Record<Spec<T>['counters'][number], number>>;

export interface RollupRow {
  key: Record<string, string | number>;
  counts: Record<string, number>;
}

export class RollupDeltas {
  private readonly tables = new Map<RollupTable, Map<string, RollupRow>>();

  add<T extends RollupTable>(table: T, key: RollupKey<T>, counts: RollupCounts<T>): void {
    const spec = rollupTables[table];
    const rows = this.tables.get(table) ?? new Map<string, RollupRow>();
    this.tables.set(table, rows);
    const id = JSON.stringify(spec.keys.map((k) => (key as Record<string, string | number>)[k]));
    let row = rows.get(id);
    if (!row) {
      row = { key: { ...key }, counts: Object.fromEntries(spec.counters.map((c) => [c, 0])) };
      rows.set(id, row);
    }
    for (const [column, n] of Object.entries(counts) as [string, number][]) row.counts[column]! += n;
  }

  /** Rows of `table` with any non-zero counter, in key order (the order rows are locked in). */
  rows(table: RollupTable): RollupRow[] {
    const rows = this.tables.get(table);
    if (!rows) return [];
    return [...rows.entries()]
      .filter(([, row]) => Object.values(row.counts).some((n) => n !== 0))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, row]) => row);
  }
}
