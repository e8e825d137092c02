/**
 * Who gets the offer. Pickup ETA decides, with a fairness credit for time spent idle (capped), so
 * a driver who has waited long gets a trip slightly farther away rather than never. Pure; the
 * ranking and its reasons are stored with the booking so dispatchers can see why.
 */
export interface Candidate {
  driverId: string;
  etaS: number;
  distanceM: number;
  /** Seconds since the driver last became available. */
  idleS: number;
}

export interface RankedCandidate extends Candidate {
  rank: number;
  /** Lower is better: ETA minus the fairness credit, in seconds. */
  score: number;
  reason: string;
}

export interface AssignmentPolicy {
  /** Seconds of ETA forgiven per second idle. */
  fairnessWeight: number;
  /** Idle time beyond this earns no more credit. */
  maxIdleCreditS: number;
}

export const defaultAssignmentPolicy: AssignmentPolicy = { fairnessWeight: 0.2, maxIdleCreditS: 900 };

const minutes = (s: number) => `${Math.round(s / 60)} min`;

export function rankCandidates(
  candidates: readonly Candidate[],
  policy: AssignmentPolicy = defaultAssignmentPolicy,
): RankedCandidate[] {
  return candidates
    .map((c) => {
      const credit = Math.min(Math.max(0, c.idleS), policy.maxIdleCreditS) * policy.fairnessWeight;
      return {
        ...c,
        score: c.etaS - credit,
        rank: 0,
        reason: `pickup in ${minutes(c.etaS)} (${(c.distanceM / 1000).toFixed(1)} km), idle ${minutes(c.idleS)}${credit >= 30 ? ` → ${minutes(credit)} fairness credit` : ''}`,
      };
    })
    .sort((a, b) => a.score - b.score || a.etaS - b.etaS || a.driverId.localeCompare(b.driverId))
    .map((c, i) => ({ ...c, rank: i + 1 }));
}
