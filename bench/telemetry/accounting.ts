/**
 * The durability checker of ../shared/guides/reliability.md, per driver with bitmaps: bit i of a
 * driver's bitmap stands for sequence number i + 1.
 *   lost       = acknowledged but not stored
 *   unexpected = stored but never attempted
 *   recovered  = stored although its acknowledgement never arrived
 */
export interface HopReport {
  attempted: number;
  acked: number;
  observed: number;
  lost: number;
  unexpected: number;
  recovered: number;
}

export function hasBit(bits: Uint8Array, seq: number): boolean {
  const i = seq - 1;
  return i >= 0 && i >> 3 < bits.length && ((bits[i >> 3]! >> (i & 7)) & 1) === 1;
}

function popcount(bits: Uint8Array): number {
  let n = 0;
  for (const byte of bits) {
    let b = byte;
    while (b) {
      n += b & 1;
      b >>= 1;
    }
  }
  return n;
}

/** `observed[i]` = the sequence numbers stored for driver i (distinct). */
export function accountHop(
  attempted: Uint8Array[],
  acked: Uint8Array[],
  observed: (readonly number[])[],
): HopReport {
  const report: HopReport = { attempted: 0, acked: 0, observed: 0, lost: 0, unexpected: 0, recovered: 0 };
  attempted.forEach((tried, i) => {
    const ok = acked[i]!;
    const seen = new Set(observed[i] ?? []);
    report.attempted += popcount(tried);
    report.acked += popcount(ok);
    report.observed += seen.size;
    for (let byte = 0; byte < ok.length; byte++) {
      for (let bit = 0; bit < 8; bit++) {
        if ((ok[byte]! >> bit) & 1 && !seen.has(byte * 8 + bit + 1)) report.lost++;
      }
    }
    for (const seq of seen) {
      if (!hasBit(tried, seq)) report.unexpected++;
      else if (!hasBit(ok, seq)) report.recovered++;
    }
  });
  return report;
}

/** The highest acknowledged sequence number of a driver (0 when none). */
export function lastAcked(bits: Uint8Array): number {
  for (let byte = bits.length - 1; byte >= 0; byte--) {
    const b = bits[byte]!;
    if (b) return byte * 8 + (31 - Math.clz32(b)) + 1;
  }
  return 0;
}
