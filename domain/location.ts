import { z } from 'zod';
import { haversineMeters, latLngSchema } from './geo';

/** Hard limits on what a driver app may send in one batch. */
export const locationLimits = {
  maxPingsPerBatch: 100,
  /** A gateway message carries several drivers' batches, up to this many pings in all. */
  maxGatewayDrivers: 100,
  maxGatewayPings: 500,
  /** Bytes of one socket message; Socket.IO refuses bigger frames before we parse them. */
  maxMessageBytes: 64 * 1024,
} as const;

export const locationPingSchema = z.object({
  /** Per duty session, strictly increasing; lets every hop detect loss and replays. */
  seq: z
    .int()
    .min(1)
    .max(2 ** 31 - 1),
  /** When the phone measured the position, epoch milliseconds. */
  at: z.int().min(0),
  ...latLngSchema.shape,
  accuracyM: z.number().min(0).max(100_000).optional(),
  speedMps: z.number().min(0).max(1_000).optional(),
  headingDeg: z.number().min(0).max(360).optional(),
});
export type LocationPing = z.infer<typeof locationPingSchema>;

export const locationBatchSchema = z.object({
  sessionId: z.uuid(),
  pings: z.array(locationPingSchema).min(1).max(locationLimits.maxPingsPerBatch),
});
export type LocationBatch = z.infer<typeof locationBatchSchema>;

export const gatewayBatchSchema = z
  .object({
    drivers: z
      .array(locationBatchSchema.extend({ driverId: z.uuid() }))
      .min(1)
      .max(locationLimits.maxGatewayDrivers),
  })
  .refine((b) => b.drivers.reduce((n, d) => n + d.pings.length, 0) <= locationLimits.maxGatewayPings, {
    message: `at most ${locationLimits.maxGatewayPings} pings per gateway message`,
    path: ['drivers'],
  });

export const dropReasons = [
  'duplicate',
  'out_of_order',
  'future_timestamp',
  'too_old',
  'poor_accuracy',
  'impossible_speed',
  'wrong_session',
  'driver_offline',
] as const;
export type DropReason = (typeof dropReasons)[number];

export interface LocationFilterPolicy {
  maxAccuracyM: number;
  maxSpeedMps: number;
  maxFutureSkewMs: number;
  maxAgeMs: number;
  /** After this many consecutive "impossible" jumps the driver really moved (GPS re-acquired). */
  acceptJumpAfter: number;
}

export const defaultLocationFilterPolicy: LocationFilterPolicy = {
  maxAccuracyM: 100,
  maxSpeedMps: 70, // 252 km/h: beyond any road vehicle in a city
  maxFutureSkewMs: 30_000,
  maxAgeMs: 15 * 60_000,
  acceptJumpAfter: 3,
};

/** What the filter remembers about a driver between batches. */
export interface LastAccepted {
  seq: number;
  at: number;
  lat: number;
  lng: number;
  jumpStreak: number;
}

export interface FilterResult {
  accepted: LocationPing[];
  dropped: { seq: number; reason: DropReason }[];
  last: LastAccepted | null;
}

function rejectReason(
  ping: LocationPing,
  last: LastAccepted | null,
  nowMs: number,
  policy: LocationFilterPolicy,
): DropReason | null {
  if (last && ping.seq <= last.seq) return 'duplicate';
  if (ping.at > nowMs + policy.maxFutureSkewMs) return 'future_timestamp';
  if (ping.at < nowMs - policy.maxAgeMs) return 'too_old';
  if (last && ping.at <= last.at) return 'out_of_order';
  if (ping.accuracyM !== undefined && ping.accuracyM > policy.maxAccuracyM) return 'poor_accuracy';
  if (last) {
    const speed = haversineMeters(last, ping) / ((ping.at - last.at) / 1000);
    if (speed > policy.maxSpeedMps && last.jumpStreak + 1 < policy.acceptJumpAfter) return 'impossible_speed';
  }
  return null;
}

/**
 * Quality filter for one driver's batch. Pure: the caller supplies the last accepted point and
 * the clock, and stores the returned `last` for the next batch.
 */
export function filterPings(
  pings: readonly LocationPing[],
  previous: LastAccepted | null,
  nowMs: number,
  policy: LocationFilterPolicy = defaultLocationFilterPolicy,
): FilterResult {
  const ordered = [...pings].sort((a, b) => a.seq - b.seq);
  const accepted: LocationPing[] = [];
  const dropped: FilterResult['dropped'] = [];
  let last = previous;
  for (const ping of ordered) {
    const reason = rejectReason(ping, last, nowMs, policy);
    if (reason === null) {
      accepted.push(ping);
      last = { seq: ping.seq, at: ping.at, lat: ping.lat, lng: ping.lng, jumpStreak: 0 };
    } else {
      dropped.push({ seq: ping.seq, reason });
      if (reason === 'impossible_speed' && last) last = { ...last, jumpStreak: last.jumpStreak + 1 };
    }
  }
  return { accepted, dropped, last };
}
