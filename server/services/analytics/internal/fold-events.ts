/**
 * Folds a batch's events, in order, into the states they change (`states`, keyed by `keyOf`, as
 * locked from the database). `fold` answers null for an event that changes nothing (one already
 * applied, redelivered). Returns how many applied and the changed states in key order, the order
 * their rows are written in.
 */
export function foldEvents<E, S>(
  events: readonly E[],
  states: Map<string, S>,
  keyOf: (event: E) => string,
  fold: (state: S | null, event: E) => S | null,
): { applied: number; changed: S[] } {
  const changed = new Set<string>();
  let applied = 0;
  for (const e of events) {
    const key = keyOf(e);
    const next = fold(states.get(key) ?? null, e);
    if (!next) continue;
    states.set(key, next);
    changed.add(key);
    applied++;
  }
  return { applied, changed: [...changed].sort().map((key) => states.get(key)!) };
}
