/**
 * Jepsen's queue checker, simplified (../shared/guides/reliability.md): the producer side records
 * attempted and acknowledged ids, the sink side the ids it holds.
 */
export interface DurabilityReport {
  attempted: number;
  acked: number;
  observed: number;
  lost: number;
  unexpected: number;
  recovered: number;
  sinkDuplicates: number;
}

export function checkDurability(
  attempted: ReadonlySet<string>,
  acked: ReadonlySet<string>,
  observedRows: readonly string[],
): DurabilityReport {
  const observed = new Set(observedRows);
  let lost = 0;
  for (const id of acked) if (!observed.has(id)) lost++;
  let unexpected = 0;
  let recovered = 0;
  for (const id of observed) {
    if (!attempted.has(id)) unexpected++;
    else if (!acked.has(id)) recovered++;
  }
  return {
    attempted: attempted.size,
    acked: acked.size,
    observed: observed.size,
    lost,
    unexpected,
    recovered,
    sinkDuplicates: observedRows.length - observed.size,
  };
}
