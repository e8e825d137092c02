import { describe, expect, it } from 'vitest';
import { accountHop, hasBit, lastAcked } from '@/bench/telemetry/accounting';

const bits = (...seqs: number[]) => {
  const b = new Uint8Array(4);
  for (const s of seqs) b[(s - 1) >> 3]! |= 1 << ((s - 1) & 7);
  return b;
};

describe('benchmark loss accounting', () => {
  it('counts lost, unexpected and recovered per the queue checker', () => {
    const attempted = [bits(1, 2, 3, 4), bits(1, 2)];
    const acked = [bits(1, 2, 3), bits(1, 2)];
    // Driver 0: 3 acked but missing (lost), 4 stored though unacked (recovered), 9 never sent (unexpected).
    const report = accountHop(attempted, acked, [
      [1, 2, 4, 9],
      [1, 2],
    ]);
    expect(report).toEqual({ attempted: 6, acked: 5, observed: 6, lost: 1, unexpected: 1, recovered: 1 });
  });

  it('reads bits and the last acknowledged sequence number', () => {
    const b = bits(1, 9, 17);
    expect(hasBit(b, 9)).toBe(true);
    expect(hasBit(b, 10)).toBe(false);
    expect(hasBit(b, 0)).toBe(false);
    expect(hasBit(b, 1_000)).toBe(false);
    expect(lastAcked(b)).toBe(17);
    expect(lastAcked(bits())).toBe(0);
    expect(lastAcked(bits(32))).toBe(32);
  });
});
