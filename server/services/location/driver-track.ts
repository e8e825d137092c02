import { and, asc, eq, gte, lt } from 'drizzle-orm';
import { z } from 'zod';
import { locationHistory } from '@/db/history-schema';
import { users } from '@/db/schema';
import { DomainError } from '@/domain/errors';
import type { Role } from '@/domain/roles';
import type { Database } from '../../infra/postgres';
import { recordAudit } from '../platform/audit';
import type { Clock } from '../ports';

/** A day of positions at one per 4 s is 21,600; the window and the answer are both bounded. */
export const driverTrackLimits = { maxWindowMs: 24 * 3_600_000, maxPoints: 25_000 } as const;

/** 9999-12-31T23:59:59.999Z: the last instant PostgreSQL reads back from an ISO string. */
const maxEpochMs = 253_402_300_799_999;

export const driverTrackInput = z
  .object({
    driverId: z.uuid({ error: 'is not a driver id' }),
    /** Epoch ms, device time of the positions. */
    from: z.int().min(0).max(maxEpochMs),
    to: z.int().min(0).max(maxEpochMs),
  })
  .refine((i) => i.to > i.from, { path: ['to'], error: 'must be after from' })
  .refine((i) => i.to - i.from <= driverTrackLimits.maxWindowMs, {
    path: ['to'],
    error: 'the window is at most 24 hours',
  });

/**
 * Where a driver was between two times, from the location history, for dispatchers and admins.
 * A driver's movements are personal: each look is written to the audit log (`driver_history.viewed`)
 * in the same transaction as the read, so none goes unrecorded. A mutation, not a query, at the door:
 * a read that writes must not run on a cross-site GET or a client's refetch.
 */
export async function driverTrack(
  deps: { db: Database; clock: Clock },
  viewer: { id: string; role: Role; ip?: string | null },
  input: z.infer<typeof driverTrackInput>,
) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [driver] = await tx
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(and(eq(users.id, input.driverId), eq(users.role, 'driver')));
    if (!driver) throw new DomainError('NOT_FOUND', 'driverId: no such driver', { field: 'driverId' });
    const rows = await tx
      .select({
        sessionId: locationHistory.sessionId,
        seq: locationHistory.seq,
        at: locationHistory.recordedAt,
        lat: locationHistory.lat,
        lng: locationHistory.lng,
        accuracyM: locationHistory.accuracyM,
        speedMps: locationHistory.speedMps,
      })
      .from(locationHistory)
      .where(
        and(
          eq(locationHistory.driverId, input.driverId),
          gte(locationHistory.recordedAt, new Date(input.from)),
          lt(locationHistory.recordedAt, new Date(input.to)),
        ),
      )
      .orderBy(asc(locationHistory.recordedAt), asc(locationHistory.seq))
      .limit(driverTrackLimits.maxPoints + 1);
    const truncated = rows.length > driverTrackLimits.maxPoints;
    const points = rows.slice(0, driverTrackLimits.maxPoints).map((r) => ({ ...r, at: r.at.getTime() }));
    await recordAudit(tx, {
      action: 'driver_history.viewed',
      actor: viewer,
      ip: viewer.ip ?? null,
      subject: { type: 'user', id: input.driverId },
      details: { from: input.from, to: input.to, points: points.length, truncated },
      at: now,
    });
    return { driverId: driver.id, name: driver.name, points, truncated };
  });
}
