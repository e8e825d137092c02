import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Candidate, defaultAssignmentPolicy, rankCandidates } from '@/domain/assignment';

const c = (driverId: string, etaS: number, idleS = 0, distanceM = etaS * 6): Candidate => ({
  driverId,
  etaS,
  distanceM,
  idleS,
});

describe('rankCandidates', () => {
  it('ranks by pickup ETA when nobody has waited', () => {
    const ranked = rankCandidates([c('b', 420), c('a', 180), c('c', 300)]);
    expect(ranked.map((r) => [r.driverId, r.rank, r.score])).toEqual([
      ['a', 1, 180],
      ['c', 2, 300],
      ['b', 3, 420],
    ]);
  });

  it('gives a fairness credit for idle time, so a long wait beats a slightly nearer driver', () => {
    // 15 min idle × 0.2 = 180 s of ETA forgiven.
    const ranked = rankCandidates([c('near', 300, 0), c('waited', 400, 900)]);
    expect(ranked.map((r) => r.driverId)).toEqual(['waited', 'near']);
    expect(ranked[0]!.score).toBe(220);
    // ... but not one much farther away.
    expect(rankCandidates([c('near', 300, 0), c('waited', 481, 900)])[0]!.driverId).toBe('near');
  });

  it('caps the credit: idling beyond the cap earns nothing more', () => {
    const ranked = rankCandidates([c('capped', 500, 900), c('forever', 500, 50_000)]);
    expect(ranked[0]!.score).toBe(ranked[1]!.score);
    expect(ranked[1]!.score).toBe(
      500 - defaultAssignmentPolicy.maxIdleCreditS * defaultAssignmentPolicy.fairnessWeight,
    );
  });

  it('gives no credit (and no penalty) for a negative idle time from clock skew', () => {
    expect(rankCandidates([c('skewed', 300, -120)])[0]!.score).toBe(300);
  });

  it('breaks ties by ETA, then by driver id, so the order is deterministic', () => {
    // Same score 300: the nearer one first.
    const byEta = rankCandidates([c('x', 400, 500), c('y', 300, 0)]);
    expect(byEta.map((r) => r.driverId)).toEqual(['y', 'x']);
    const byId = rankCandidates([c('d2', 300), c('d1', 300), c('d3', 300)]);
    expect(byId.map((r) => r.driverId)).toEqual(['d1', 'd2', 'd3']);
  });

  it('explains each rank in minutes and km, naming the credit only when it matters (≥ 30 s)', () => {
    const [withCredit] = rankCandidates([{ driverId: 'a', etaS: 300, distanceM: 2_000, idleS: 600 }]);
    expect(withCredit!.reason).toBe('pickup in 5 min (2.0 km), idle 10 min → 2 min fairness credit');
    const [small] = rankCandidates([{ driverId: 'b', etaS: 90, distanceM: 540, idleS: 120 }]);
    expect(small!.reason).toBe('pickup in 2 min (0.5 km), idle 2 min'); // 24 s credit: not worth saying
    expect(small!.score).toBe(90 - 24);
  });

  it('follows the policy', () => {
    const policy = { fairnessWeight: 1, maxIdleCreditS: 60 };
    const ranked = rankCandidates([c('a', 100, 0), c('b', 150, 3_600)], policy);
    expect(ranked.map((r) => [r.driverId, r.score])).toEqual([
      ['b', 90],
      ['a', 100],
    ]);
    expect(
      rankCandidates([c('a', 100, 0), c('b', 150, 3_600)], { ...policy, fairnessWeight: 0 })[0]!.driverId,
    ).toBe('a');
  });

  it('returns nothing for no candidates and leaves its input alone', () => {
    expect(rankCandidates([])).toEqual([]);
    const input = [c('b', 400), c('a', 200)];
    const copy = structuredClone(input);
    rankCandidates(input);
    expect(input).toEqual(copy);
  });

  const candidates = fc.uniqueArray(
    fc.record({
      driverId: fc.uuid(),
      etaS: fc.nat(3_600),
      distanceM: fc.nat(20_000),
      idleS: fc.integer({ min: -600, max: 20_000 }),
    }),
    { selector: (x) => x.driverId, maxLength: 30 },
  );

  it('ranks 1..n, best score first, every candidate exactly once', () => {
    fc.assert(
      fc.property(candidates, (cs) => {
        const ranked = rankCandidates(cs);
        expect(ranked.map((r) => r.rank)).toEqual(cs.map((_, i) => i + 1));
        expect(ranked.map((r) => r.driverId).sort()).toEqual(cs.map((x) => x.driverId).sort());
        for (let i = 1; i < ranked.length; i++)
          expect(ranked[i - 1]!.score).toBeLessThanOrEqual(ranked[i]!.score);
        for (const r of ranked) {
          const credit = r.etaS - r.score;
          expect(credit).toBeGreaterThanOrEqual(0);
          expect(credit).toBeLessThanOrEqual(
            defaultAssignmentPolicy.maxIdleCreditS * defaultAssignmentPolicy.fairnessWeight,
          );
        }
      }),
    );
  });

  it('never puts a driver who is farther and has waited less ahead of one nearer who waited longer', () => {
    fc.assert(
      fc.property(candidates, (cs) => {
        const ranked = rankCandidates(cs);
        for (let i = 0; i < ranked.length; i++) {
          for (let j = i + 1; j < ranked.length; j++) {
            const ahead = ranked[i]!;
            const behind = ranked[j]!;
            // Nearer and waited at least as long: must never rank behind.
            expect(behind.etaS < ahead.etaS && behind.idleS >= ahead.idleS).toBe(false);
          }
        }
      }),
    );
  });
});
