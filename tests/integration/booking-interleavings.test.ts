import { and, eq, inArray } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingEvents, bookings } from '@/db/schema';
import { isTerminal } from '@/domain/booking';
import { canApply } from '@/domain/driver-availability';
import { type ErrorCode, isDomainError } from '@/domain/errors';
import { assignBooking } from '@/server/services/booking/assign-booking';
import { cancelBookingByRider } from '@/server/services/booking/cancel-booking';
import type { BookingDeps } from '@/server/services/booking/deps';
import { dispatchScheduledBooking, reconcileDispatch } from '@/server/services/booking/dispatch-scheduled';
import { driverTripAction, type TripAction } from '@/server/services/booking/driver-trip-action';
import { expireOffer } from '@/server/services/booking/expire-offer';
import { respondToOffer } from '@/server/services/booking/respond-to-offer';
import { setAvailability } from '@/server/services/driver/set-availability';
import { availabilityOf, away, book, driverAt, moveDriver, rider, statusOf } from './support/booking-helpers';
import { bookingInvariantViolations } from './support/booking-invariants';
import { type BookingWorld, bookingWorld } from './support/booking-world';

/**
 * T6: the booking state machine under interleavings, on the real use cases, PostgreSQL, Redis and
 * BullMQ. Riders, drivers and the system each run a random script; fast-check's scheduler decides
 * which step starts next, so their transactions overlap in many orders. After every run the
 * database must satisfy the invariants (support/booking-invariants.ts), every refused command must
 * have been refused with a DomainError, and every booking must still be endable by its rider or
 * driver (afterwards every driver must be free to go offline).
 */

let world: BookingWorld;
/** Modest, so the file stays well under a minute on a busy 2-core machine. */
const runsScheduled = 20;
const runsWithWorker = 6;

type RiderAction = 'book' | 'book_scheduled' | 'cancel' | 'wait';
type DriverAction = 'accept' | 'decline' | TripAction | 'offline' | 'online' | 'pause' | 'resume' | 'wait';
type SystemAction = { kind: 'assign' | 'expire' | 'heartbeat_lost'; target: number };

interface Run {
  deps: BookingDeps;
  riders: { id: string; bookings: string[] }[];
  drivers: { id: string; lastOffer: string | null }[];
  bookingIds: string[];
  /** How long a phone waits for something to answer (an offer, its trip) before acting on what it has. */
  patienceMs: number;
  /** Errors that are not a DomainError with a code the command may answer: the test fails on any. */
  unexpected: string[];
}

const tally = new Map<string, number>();
const count = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);

async function attempt<T>(run: Run, label: string, allowed: ErrorCode[], fn: () => Promise<T>) {
  try {
    const value = await fn();
    count(`${label}:ok`);
    return value;
  } catch (error) {
    if (isDomainError(error) && allowed.includes(error.code)) {
      count(`${label}:${error.code}`);
      return undefined;
    }
    const what = isDomainError(error) ? `DomainError ${error.code}: ${error.message}` : String(error);
    run.unexpected.push(
      `${label}: ${what}${error instanceof Error && !isDomainError(error) ? `\n${error.stack}` : ''}`,
    );
    return undefined;
  }
}

const gate = (s: fc.Scheduler, label: string) => s.schedule(Promise.resolve(), label);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `read` gives something or `ms` pass (real time: it waits for the other actors). */
async function within<T>(ms: number, read: () => Promise<T | null>): Promise<T | null> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value !== null || Date.now() >= end) return value;
    await sleep(30);
  }
}
const pickOf = <T>(xs: readonly T[], i: number) => (xs.length ? xs[i % xs.length]! : null);

async function bookingOf(run: Run, where: ReturnType<typeof and>) {
  const [row] = await run.deps.db.select({ id: bookings.id }).from(bookings).where(where).limit(1);
  return row?.id ?? null;
}

/**
 * The offer ringing for this driver; `false` (stop waiting) when none can come because no booking
 * of the run is looking for a driver; null (keep waiting) otherwise.
 */
async function offerFor(run: Run, driverId: string): Promise<string | false | null> {
  if (run.bookingIds.length === 0) return null;
  const rows = await run.deps.db
    .select({ id: bookings.id, status: bookings.status, offeredTo: bookings.offeredDriverId })
    .from(bookings)
    .where(inArray(bookings.id, run.bookingIds));
  const mine = rows.find((b) => b.status === 'offered' && b.offeredTo === driverId);
  if (mine) return mine.id;
  return rows.some((b) => ['requested', 'searching', 'offered'].includes(b.status)) ? null : false;
}

async function riderStep(s: fc.Scheduler, run: Run, i: number, action: RiderAction) {
  const r = run.riders[i]!;
  await gate(s, `rider${i}:${action}`);
  if (action === 'wait') return sleep(200);
  if (action === 'cancel') {
    const id = r.bookings.at(-1);
    if (!id) return;
    await attempt(run, 'rider cancel', ['INVALID_TRANSITION'], () =>
      cancelBookingByRider(run.deps, { riderId: r.id, bookingId: id, reason: 'changed my mind' }),
    );
    return;
  }
  const scheduledFor = action === 'book_scheduled' ? Date.now() + 20 * 60_000 : null;
  const made = await attempt(run, action, ['CONFLICT'], () =>
    book(run.deps, r.id, { pickup: away(50 * i, 30 * i), scheduledFor }),
  );
  if (made) {
    r.bookings.push(made.booking.id);
    run.bookingIds.push(made.booking.id);
  }
}

async function driverStep(s: fc.Scheduler, run: Run, i: number, action: DriverAction, salt: number) {
  const d = run.drivers[i]!;
  const label = `driver${i}:${action}`;
  await gate(s, label);
  const { deps } = run;
  switch (action) {
    case 'wait':
      return sleep(300);
    case 'accept':
    case 'decline': {
      // What the phone shows: the offer ringing now; else an older one (stale); else anyone's booking.
      const ringing = await within(run.patienceMs, () => offerFor(run, d.id));
      const id = ringing || d.lastOffer || pickOf(run.bookingIds, salt);
      if (!id) return;
      d.lastOffer = id;
      await gate(s, `${label}:answer`);
      await attempt(run, action, ['CONFLICT'], () =>
        respondToOffer(deps, { driverId: d.id, bookingId: id, accept: action === 'accept' }),
      );
      return;
    }
    case 'arrived':
    case 'start':
    case 'complete':
    case 'cancel': {
      // Only the driver's own accept gives them a trip: nothing to wait for.
      const mine = await bookingOf(
        run,
        and(eq(bookings.driverId, d.id), inArray(bookings.status, ['accepted', 'arrived', 'in_progress'])),
      );
      const id = mine ?? pickOf(run.bookingIds, salt);
      if (!id) return;
      await gate(s, `${label}:act`);
      await attempt(run, `trip ${action}`, ['NOT_FOUND', 'INVALID_TRANSITION'], () =>
        driverTripAction(deps, {
          driverId: d.id,
          bookingId: id,
          action,
          ...(action === 'cancel' ? { reason: 'flat tyre' } : {}),
        }),
      );
      return;
    }
    case 'online': {
      const result = await attempt(run, 'go_online', ['INVALID_TRANSITION'], () =>
        setAvailability(deps, { driverId: d.id, event: 'go_online', actor: 'driver' }),
      );
      // The phone starts pinging at once in the new duty session.
      if (result?.sessionId) await moveDriver(world.h, d.id, result.sessionId, away(200 + 150 * i), 1);
      return;
    }
    default: {
      const event = action === 'offline' ? 'go_offline' : action;
      await attempt(run, event, ['INVALID_TRANSITION'], () =>
        setAvailability(deps, { driverId: d.id, event, actor: 'driver' }),
      );
    }
  }
}

async function systemStep(s: fc.Scheduler, run: Run, action: SystemAction) {
  const label = `system:${action.kind}#${action.target}`;
  await gate(s, label);
  const { deps } = run;
  if (action.kind === 'heartbeat_lost') {
    // Exactly what the presence sweep does for a driver whose pings stopped.
    const d = pickOf(run.drivers, action.target)!;
    const state = await availabilityOf(world.h, d.id);
    if (!canApply(state, 'heartbeat_lost')) return;
    await gate(s, `${label}:act`);
    await attempt(run, 'heartbeat_lost', ['CONFLICT', 'INVALID_TRANSITION'], () =>
      setAvailability(deps, {
        driverId: d.id,
        event: 'heartbeat_lost',
        actor: 'system',
        expectedState: state,
        reason: 'no location for 120 s',
      }),
    );
    return;
  }
  // Dispatch works on bookings: wait for the first one.
  const id = await within(run.patienceMs * 2, async () => pickOf(run.bookingIds, action.target));
  if (!id) return;
  if (action.kind === 'assign') {
    await attempt(run, 'assign', [], () => assignBooking(deps, id));
    return;
  }
  // No socket took the offer: realtime ends it at once (the offer sequence read a moment earlier).
  const { offersMade } = await statusOf(world.h, id);
  await gate(s, `${label}:act`);
  await attempt(run, 'expire offer', [], () =>
    expireOffer(deps, {
      bookingId: id,
      offerSeq: offersMade,
      reason: 'no phone took the offer',
      early: true,
    }),
  );
}

async function newRun(deps: BookingDeps, riders: number, drivers: number, patienceMs: number): Promise<Run> {
  const run: Run = { deps, riders: [], drivers: [], bookingIds: [], patienceMs, unexpected: [] };
  for (let i = 0; i < drivers; i++) {
    const d = await driverAt(world.h, away(200 + 150 * i, 100 * i));
    run.drivers.push({ id: d.id, lastOffer: null });
  }
  for (let i = 0; i < riders; i++) run.riders.push({ id: (await rider(world.h)).id, bookings: [] });
  return run;
}

/**
 * Ends everything the run left under way, through the real use cases, as the people involved would:
 * riders cancel, drivers on a trip complete it, then every driver goes offline. Each of these must
 * work: a booking or driver that cannot be ended is stuck.
 */
async function drain(run: Run): Promise<string[]> {
  const stuck: string[] = [];
  for (const id of run.bookingIds) {
    for (let tries = 0; ; tries++) {
      const b = await statusOf(world.h, id);
      if (isTerminal(b.status)) break;
      if (tries === 5) {
        stuck.push(`booking ${id.slice(0, 8)} still ${b.status} after 5 attempts to end it`);
        break;
      }
      try {
        if (b.status === 'in_progress') {
          await driverTripAction(run.deps, { driverId: b.driverId!, bookingId: id, action: 'complete' });
        } else {
          await cancelBookingByRider(run.deps, { riderId: b.riderId, bookingId: id, reason: 'end of run' });
        }
      } catch (error) {
        // Dispatch may move the booking between our read and our command; anything else is stuck.
        if (!(isDomainError(error) && error.code === 'INVALID_TRANSITION')) {
          stuck.push(`booking ${id.slice(0, 8)} (${b.status}) cannot be ended: ${String(error)}`);
          break;
        }
      }
    }
  }
  for (const d of run.drivers) {
    const state = await availabilityOf(world.h, d.id);
    if (state === 'available' || state === 'paused') {
      await setAvailability(run.deps, { driverId: d.id, event: 'go_offline', actor: 'driver' }).catch(
        (error) => stuck.push(`driver ${d.id.slice(0, 8)} cannot go offline: ${String(error)}`),
      );
    } else if (state !== 'offline') {
      stuck.push(`driver ${d.id.slice(0, 8)} is ${state} after every booking ended`);
    }
  }
  return stuck;
}

async function checkRun(run: Run, s: fc.Scheduler, extra: string[] = []) {
  const scope = { bookingIds: run.bookingIds, driverIds: run.drivers.map((d) => d.id) };
  const during = await bookingInvariantViolations(world.h.postgres.db, scope);
  const stuck = await drain(run);
  const after = await bookingInvariantViolations(world.h.postgres.db, scope);
  const problems = [...run.unexpected, ...extra, ...during, ...stuck, ...after];
  if (problems.length)
    throw new Error(
      `${problems.join('\n')}\n${s
        .report()
        .map((t) => t.label)
        .join(' → ')}`,
    );
}

const riderScript = fc.tuple(
  fc.constantFrom<RiderAction>('book', 'book', 'book', 'book_scheduled'),
  fc.array(fc.constantFrom<RiderAction>('cancel', 'book', 'wait', 'wait'), { maxLength: 3 }),
);
/**
 * A driver's script: a trip taken some way (answer the offer, at the pickup, start, complete), with
 * disturbances slipped in anywhere: going offline or pausing, dropping the trip, repeated or
 * out-of-order taps.
 */
const tripPlan: DriverAction[] = ['accept', 'arrived', 'start', 'complete'];
const disturbances: DriverAction[] = [
  'decline',
  'cancel',
  'offline',
  'online',
  'pause',
  'resume',
  'accept',
  'start',
];
const driverScript = (wait: boolean) =>
  fc
    .record({
      steps: fc.integer({ min: 1, max: tripPlan.length }),
      decline: fc.boolean(),
      extra: fc.array(
        fc.tuple(
          fc.nat(tripPlan.length),
          fc.constantFrom<DriverAction>(...disturbances, ...(wait ? ['wait' as const] : [])),
        ),
        { maxLength: 3 },
      ),
    })
    .map(({ steps, decline, extra }) => {
      const script = tripPlan.slice(0, steps);
      if (decline) script[0] = 'decline';
      for (const [at, action] of extra) script.splice(Math.min(at, script.length), 0, action);
      return script;
    });

async function runScripts(
  s: fc.Scheduler,
  run: Run,
  scripts: { riders: [RiderAction, RiderAction[]][]; drivers: DriverAction[][]; system: SystemAction[] },
) {
  const tasks = [
    ...scripts.riders.map(async ([first, rest], i) => {
      for (const a of [first, ...rest]) await riderStep(s, run, i, a);
    }),
    ...scripts.drivers.map(async (script, i) => {
      for (const [n, a] of script.entries()) await driverStep(s, run, i, a, n + i);
    }),
    (async () => {
      for (const a of scripts.system) await systemStep(s, run, a);
    })(),
  ];
  await s.waitFor(Promise.all(tasks));
}

async function eventCounts(ids: string[]) {
  const rows = ids.length
    ? await world.h.postgres.db.select().from(bookingEvents).where(inArray(bookingEvents.bookingId, ids))
    : [];
  const byEvent = new Map<string, number>();
  for (const r of rows) byEvent.set(r.event, (byEvent.get(r.event) ?? 0) + 1);
  return byEvent;
}

describe('T6: booking state machine under interleavings (real use cases)', () => {
  const allBookings: string[] = [];
  const workerFailures: string[] = [];

  beforeAll(async () => {
    world = await bookingWorld('interleave', {
      offerTtlMs: 1_500,
      retryDelayMs: 300,
      maxOffers: 3,
      maxSearchMs: 6_000,
    });
    world.worker.on('failed', (job, err) =>
      workerFailures.push(`${job?.name} ${job?.data?.bookingId}: ${err.stack}`),
    );
    // The first property drives the system's side itself; the worker joins for the second.
    await world.worker.pause();
  });

  afterAll(async () => {
    console.log(
      'T6 outcomes:',
      Object.fromEntries([...tally].sort(([a], [b]) => a.localeCompare(b))),
      Object.fromEntries(await eventCounts(allBookings)),
    );
    await world?.close();
  });

  it('a driver who vanishes while an offer rings neither gets the trip nor blocks it', async () => {
    const deps: BookingDeps = { ...world.deps, dispatchPolicy: { offerTtlMs: 60_000 } };
    const d = await driverAt(world.h, away(300));
    const lost = async () =>
      setAvailability(deps, {
        driverId: d.id,
        event: 'heartbeat_lost',
        actor: 'system',
        expectedState: 'offered',
      });
    const first = await book(deps, (await rider(world.h)).id);
    expect(await assignBooking(deps, first.booking.id)).toBe('offered');
    await lost();
    await expect(
      respondToOffer(deps, { driverId: d.id, bookingId: first.booking.id, accept: true }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: 'This offer is no longer open' });
    // The offer times out: the booking searches again; the driver, gone, stays offline.
    const timedOut = { bookingId: first.booking.id, offerSeq: 1, reason: 'offer timed out', early: true };
    expect(await expireOffer(deps, timedOut)).toBe(true);
    expect((await statusOf(world.h, first.booking.id)).status).toBe('searching');
    expect(await availabilityOf(world.h, d.id)).toBe('offline');

    // Back online, offered another trip, gone again: that rider can still cancel, free.
    const { sessionId } = await setAvailability(deps, {
      driverId: d.id,
      event: 'go_online',
      actor: 'driver',
    });
    await moveDriver(world.h, d.id, sessionId!, away(300), 1);
    const secondRider = await rider(world.h);
    const second = await book(deps, secondRider.id);
    expect(await assignBooking(deps, second.booking.id)).toBe('offered');
    await lost();
    const { booking, terms } = await cancelBookingByRider(deps, {
      riderId: secondRider.id,
      bookingId: second.booking.id,
    });
    expect(booking).toMatchObject({ status: 'cancelled', offeredDriverId: null });
    expect(terms.fee).toBe(0);
    expect(await availabilityOf(world.h, d.id)).toBe('offline');
    const run = { bookingIds: [first.booking.id, second.booking.id], driverIds: [d.id] };
    expect(await bookingInvariantViolations(world.h.postgres.db, run)).toEqual([]);
    await cancelBookingByRider(deps, { riderId: first.booking.riderId, bookingId: first.booking.id });
  });

  it('the scheduler interleaves riders, drivers, assignment, offer expiry and the presence sweep', async () => {
    const started = Date.now();
    // Offers ring long enough here that only the scheduled expiries end them.
    const deps: BookingDeps = { ...world.deps, dispatchPolicy: { offerTtlMs: 60_000, maxOffers: 3 } };
    const scripts = fc.record({
      riders: fc.array(riderScript, { minLength: 2, maxLength: 2 }),
      drivers: fc.array(driverScript(false), { minLength: 3, maxLength: 3 }),
      system: fc.array(
        fc.record({
          kind: fc.constantFrom<SystemAction['kind']>(
            ...(['assign', 'assign', 'assign', 'assign', 'assign', 'expire', 'heartbeat_lost'] as const),
          ),
          target: fc.nat(5),
        }),
        { minLength: 4, maxLength: 12 },
      ),
    });
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), scripts, async (s, script) => {
        const run = await newRun(deps, 2, 3, 800);
        await runScripts(s, run, script);
        allBookings.push(...run.bookingIds);
        await checkRun(run, s);
      }),
      { numRuns: runsScheduled, endOnFailure: true },
    );
    const events = await eventCounts(allBookings);
    // Not vacuous: trips were offered, accepted and taken further.
    expect(events.get('offer')).toBeGreaterThan(0);
    expect(events.get('offer_accepted')).toBeGreaterThan(0);
    console.log(
      `T6 scheduled: ${runsScheduled} runs, ${allBookings.length} bookings in ${Date.now() - started} ms`,
    );
  }, 240_000);

  it('riders, drivers and the presence sweep interleave with the real dispatch worker', async () => {
    const started = Date.now();
    const before = allBookings.length;
    await world.worker.resume();
    const scripts = fc.record({
      riders: fc.array(riderScript, { minLength: 2, maxLength: 2 }),
      drivers: fc.array(driverScript(true), { minLength: 3, maxLength: 3 }),
      system: fc.array(
        fc.record({ kind: fc.constant<SystemAction['kind']>('heartbeat_lost'), target: fc.nat(5) }),
        {
          maxLength: 2,
        },
      ),
    });
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), scripts, async (s, script) => {
        const run = await newRun(world.deps, 2, 3, 2_000);
        workerFailures.length = 0;
        await runScripts(s, run, script);
        allBookings.push(...run.bookingIds);
        await checkRun(run, s, workerFailures);
      }),
      { numRuns: runsWithWorker, endOnFailure: true },
    );
    console.log(
      `T6 worker: ${runsWithWorker} runs, ${allBookings.length - before} bookings in ${Date.now() - started} ms`,
    );
  }, 240_000);

  // Scheduled dispatch is left out of the scripts above until this is fixed: it would fail every run
  // that reaches it. When this test starts failing, the bug is fixed: drop `.fails` and add a
  // 'dispatch scheduled' system action to the first property.
  it('dispatches a scheduled booking that falls due while its rider is on another trip', async () => {
    const r = await rider(world.h);
    const { booking: later } = await book(world.deps, r.id, { scheduledFor: Date.now() + 20 * 60_000 });
    // Allowed: a scheduled booking does not count as a trip under way (bookings_one_active_per_rider).
    await book(world.deps, r.id);
    const outcome = await dispatchScheduledBooking(world.deps, later.id).then(
      () => null,
      (error: unknown) => error,
    );
    // Scheduled trips are apart from the one-immediate-trip rule (an outbound and a return), and
    // the reconciler isolates each booking's failure from the rest.
    expect(outcome).toBeNull();
    expect((await statusOf(world.h, later.id)).status).not.toBe('scheduled');
    const later15min = { ...world.deps, clock: { now: () => Date.now() + 15 * 60_000 } };
    await expect(reconcileDispatch(later15min)).resolves.toBeDefined();
  });
});
