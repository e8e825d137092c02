import { and, eq, isNull } from 'drizzle-orm';
import { availabilityChanges, drivers, dutySessions, vehicles } from '@/db/schema';
import {
  type AvailabilityEvent,
  type AvailabilityState,
  nextAvailability,
} from '@/domain/driver-availability';
import type { DriverStateEvent } from '@/domain/driver-events';
import { DomainError } from '@/domain/errors';
import type { DriverStateEntry } from '../../../adapters/live-index';
import type { Tx } from '../../../infra/postgres';
import { writeOutbox } from '../../platform/internal/write-outbox';
import type { CoreDeps } from '../../ports';

export interface SetAvailabilityInput {
  driverId: string;
  event: AvailabilityEvent;
  actor: DriverStateEvent['actor'];
  reason?: string;
  /** Only apply if the driver is still in this state (the presence sweep's guard against races). */
  expectedState?: AvailabilityState;
}

export interface AvailabilityResult {
  state: AvailabilityState;
  version: number;
  sessionId: string | null;
  vehicleTypeId: string | null;
}

/**
 * Applies an availability event inside the caller's transaction: locks the driver row, asks the
 * state machine, opens or closes the duty session, records the change and its outbox event.
 * Returns what the live index must learn after commit. Booking use cases call this in their own
 * transaction so a driver's reservation and the booking change commit together.
 */
export async function changeAvailabilityInTx(
  tx: Tx,
  input: SetAvailabilityInput,
  now: number,
): Promise<{ result: AvailabilityResult; entry: DriverStateEntry }> {
  const [row] = await tx
    .select({
      state: drivers.availability,
      version: drivers.availabilityVersion,
      sessionId: drivers.dutySessionId,
      vehicleId: vehicles.id,
      vehicleTypeId: vehicles.vehicleTypeId,
      vehicleStatus: vehicles.status,
      documentStatus: drivers.documentStatus,
    })
    .from(drivers)
    .leftJoin(vehicles, eq(vehicles.driverId, drivers.userId))
    .where(eq(drivers.userId, input.driverId))
    .for('update', { of: drivers });
  if (!row) throw new DomainError('NOT_FOUND', 'Driver not found');
  if (input.expectedState && row.state !== input.expectedState) {
    throw new DomainError('CONFLICT', `Driver is ${row.state}, not ${input.expectedState}`);
  }
  const to = nextAvailability(row.state, input.event);
  let sessionId = row.sessionId;
  if (input.event === 'go_online') {
    if (row.documentStatus !== 'verified') {
      throw new DomainError(
        'CONFLICT',
        row.documentStatus === 'pending'
          ? 'Your documents are being checked; you can go online once an admin has verified them'
          : 'Your documents were not accepted; contact the operations team',
      );
    }
    if (!row.vehicleId || row.vehicleStatus !== 'active') {
      throw new DomainError('CONFLICT', 'No active vehicle is assigned to you; ask an admin to assign one');
    }
    const [session] = await tx
      .insert(dutySessions)
      .values({ driverId: input.driverId, vehicleId: row.vehicleId, startedAt: new Date(now) })
      .returning({ id: dutySessions.id });
    sessionId = session!.id;
  }
  let endedSessionId: string | null = null;
  if (to === 'offline' && sessionId) {
    endedSessionId = sessionId;
    await tx
      .update(dutySessions)
      .set({ endedAt: new Date(now), endReason: input.event })
      .where(and(eq(dutySessions.id, sessionId), isNull(dutySessions.endedAt)));
    sessionId = null;
  }
  const version = row.version + 1;
  await tx
    .update(drivers)
    .set({
      availability: to,
      availabilityVersion: version,
      availabilityChangedAt: new Date(now),
      dutySessionId: sessionId,
    })
    .where(eq(drivers.userId, input.driverId));
  await tx.insert(availabilityChanges).values({
    driverId: input.driverId,
    fromState: row.state,
    toState: to,
    event: input.event,
    actor: input.actor,
    reason: input.reason ?? null,
    at: new Date(now),
  });
  const event: DriverStateEvent = {
    type: 'driver.state',
    driverId: input.driverId,
    state: to,
    previous: row.state,
    event: input.event,
    actor: input.actor,
    ...(input.reason ? { reason: input.reason } : {}),
    vehicleTypeId: row.vehicleTypeId,
    vehicleId: row.vehicleId,
    sessionId,
    ...(endedSessionId ? { endedSessionId } : {}),
    version,
    at: now,
  };
  await writeOutbox(tx, 'driverEvents', input.driverId, event);
  const entry: DriverStateEntry = {
    driverId: input.driverId,
    version,
    state: to,
    sessionId,
    vehicleTypeId: row.vehicleTypeId,
    vehicleId: row.vehicleId,
    at: now,
  };
  return { result: { state: to, version, sessionId, vehicleTypeId: row.vehicleTypeId }, entry };
}

/**
 * After commit: Redis must not hold a row lock open. A failure here is repaired by the relayed
 * event a moment later, so it is logged rather than failing the command.
 */
export async function publishToLiveIndex(deps: CoreDeps, entries: DriverStateEntry[]): Promise<void> {
  await deps.liveIndex.setStates(entries).catch((error: unknown) => {
    deps.logger.warn(
      { err: error, drivers: entries.map((e) => e.driverId) },
      'live index update deferred to the event relay',
    );
  });
}
