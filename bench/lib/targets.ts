/**
 * The targets of ../shared/guides/performance.md (100k online drivers, one city, one 2-core
 * machine), for ratios of target ÷ ceiling: the share of a raw ceiling a target would use.
 */
export const targets = {
  /** 100k drivers × one update every 4 s. */
  telemetryUpdatesPerS: 25_000,
  nearestQueriesPerS: 2_000,
  socketsDeliveredPerS: 60_000,
  socketsClients: 10_000,
  bookingsPerSUnderLoad: 300,
} as const;
