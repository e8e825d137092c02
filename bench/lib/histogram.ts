/**
 * A latency histogram with bounded memory, in milliseconds.
 *
 * Log-linear buckets (the HdrHistogram idea): each power of two above `lowestMs` is cut into
 * `SUB_BUCKETS` equal slices, so a bucket is at most 1/64 of its value wide and the midpoint we
 * report is within 1/128 (< 0.8 %) of any sample in it. 0.01 ms … 60 s is 23 octaves, i.e.
 * 1,472 counters (~12 KB) however many samples are recorded, so a two-minute run at 100k
 * samples/s costs no more memory than a one-second run. Samples outside the range are clamped
 * into the first/last bucket; min, max and mean stay exact.
 */
const SUB_BUCKETS = 64;
const LOWEST_MS = 0.01;
const HIGHEST_MS = 60_000;
const OCTAVES = Math.ceil(Math.log2(HIGHEST_MS / LOWEST_MS));
const BUCKETS = OCTAVES * SUB_BUCKETS;

export interface HistogramSummary {
  count: number;
  min: number;
  max: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
}

/** Sparse form for sending a histogram between processes (IPC, JSON files). */
export interface HistogramSnapshot {
  count: number;
  min: number;
  max: number;
  sum: number;
  /** [bucket index, count] for the non-empty buckets only. */
  buckets: [number, number][];
}

function bucketOf(valueMs: number): number {
  const x = valueMs / LOWEST_MS;
  if (!(x >= 1)) return 0;
  let octave = Math.floor(Math.log2(x));
  // Math.log2 can be off by one ulp right at a power of two; correct it exactly.
  if (2 ** octave > x) octave -= 1;
  else if (2 ** (octave + 1) <= x) octave += 1;
  if (octave >= OCTAVES) return BUCKETS - 1;
  const sub = Math.min(SUB_BUCKETS - 1, Math.floor((x / 2 ** octave - 1) * SUB_BUCKETS));
  return octave * SUB_BUCKETS + sub;
}

/** The value a bucket stands for: its midpoint. */
function midpointOf(bucket: number): number {
  const octave = Math.floor(bucket / SUB_BUCKETS);
  const sub = bucket % SUB_BUCKETS;
  return LOWEST_MS * 2 ** octave * (1 + (sub + 0.5) / SUB_BUCKETS);
}

export class Histogram {
  private readonly counts = new Float64Array(BUCKETS);
  private total = 0;
  private sum = 0;
  private lowest = Number.POSITIVE_INFINITY;
  private highest = Number.NEGATIVE_INFINITY;

  /** Records one sample (ms). Negative values (clock skew between processes) count as 0. */
  record(valueMs: number, times = 1): void {
    if (Number.isNaN(valueMs)) throw new RangeError('Histogram.record: NaN');
    const value = Math.max(0, valueMs);
    this.counts[bucketOf(value)]! += times;
    this.total += times;
    this.sum += value * times;
    if (value < this.lowest) this.lowest = value;
    if (value > this.highest) this.highest = value;
  }

  get count(): number {
    return this.total;
  }

  /** Adds another histogram's samples to this one (e.g. one per client process). */
  merge(other: Histogram | HistogramSnapshot): this {
    const snap = other instanceof Histogram ? other.snapshot() : other;
    if (snap.count === 0) return this;
    for (const [bucket, n] of snap.buckets) this.counts[bucket]! += n;
    this.total += snap.count;
    this.sum += snap.sum;
    this.lowest = Math.min(this.lowest, snap.min);
    this.highest = Math.max(this.highest, snap.max);
    return this;
  }

  /**
   * The q-quantile (0 ≤ q ≤ 1) by the nearest-rank rule: the smallest recorded value such that at
   * least q of the samples are ≤ it, to bucket precision and never outside [min, max].
   */
  percentile(q: number): number {
    if (this.total === 0) return 0;
    if (q <= 0) return this.lowest;
    if (q >= 1) return this.highest;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.highest, Math.max(this.lowest, midpointOf(i)));
    }
    return this.highest;
  }

  summary(): HistogramSummary {
    const empty = this.total === 0;
    return {
      count: this.total,
      min: empty ? 0 : this.lowest,
      max: empty ? 0 : this.highest,
      mean: empty ? 0 : this.sum / this.total,
      p50: this.percentile(0.5),
      p90: this.percentile(0.9),
      p99: this.percentile(0.99),
      p999: this.percentile(0.999),
    };
  }

  snapshot(): HistogramSnapshot {
    const buckets: [number, number][] = [];
    for (let i = 0; i < BUCKETS; i++) if (this.counts[i]! > 0) buckets.push([i, this.counts[i]!]);
    return { count: this.total, min: this.lowest, max: this.highest, sum: this.sum, buckets };
  }

  static fromSnapshot(snap: HistogramSnapshot): Histogram {
    return new Histogram().merge(snap);
  }

  /** Number of counters, the same for every histogram: memory does not grow with samples. */
  static readonly bucketCount = BUCKETS;
}
