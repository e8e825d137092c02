/**
 * A per-process map whose entries end at their own time and whose size is bounded: past `max`
 * entries the oldest inserted goes first (a Map keeps insertion order), so a flood of distinct
 * keys costs memory only up to the bound. Time is passed in, as everywhere else.
 */
export class ExpiringCache<K, V> {
  private readonly entries = new Map<K, { value: V; untilMs: number }>();

  constructor(private readonly max: number) {}

  get(key: K, nowMs: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (nowMs >= entry.untilMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: K, value: V, untilMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, untilMs });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as K);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  /** Drops every entry whose value matches (rare: a user's role or status changed). */
  deleteWhere(matches: (value: V) => boolean): void {
    for (const [key, entry] of this.entries) if (matches(entry.value)) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
