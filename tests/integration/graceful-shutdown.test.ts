import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { webBuildSnapshot } from '@/scripts/lib/build';
import { freePort, portOpen } from '@/scripts/lib/wait';
import type { DispatchQueue } from '@/server/adapters/dispatch-queue';
import { dispatchQueueName } from '@/server/adapters/dispatch-queue';
import { signServiceToken } from '@/server/auth/socket-token';
import { type AppProcess, type Exit, harnessAppEnv, startApp } from './support/app-process';
import { away, book, centre, onDutyDriver, statusOf } from './support/booking-helpers';
import { createRiders, createUser, ensureVehicleTypes, fixturePassword } from './support/fixtures';
import { createHarness, type Harness, ready } from './support/harness';
import { connect, type TestSocket, tokenFor } from './support/sockets';
import { WebClient } from './support/web-client';

/**
 * T19: SIGTERM under load. Each app process, started from its real entry point, is stopped while
 * work is in flight, work the test holds in flight on purpose: HTTP requests and BullMQ jobs
 * waiting on PostgreSQL locks the test owns. The process must wait for that work (it exits only
 * after the test lets it finish), complete it, and exit within 30 s; no job is left stalled; every
 * socket is told to reconnect elsewhere.
 */
let h: Harness;
let env: Record<string, string>;
let logDir: string;
let web: AppProcess;
let realtime: AppProcess;
let workers: AppProcess;
const started: AppProcess[] = [];
/** How long the test keeps work blocked after the process has begun shutting down. */
const holdMs = 1_500;
const deadlineMs = 30_000;

beforeAll(async () => {
  const webDir = webBuildSnapshot();
  h = await createHarness('shutdown');
  await ensureVehicleTypes(h.postgres.db);
  const [webPort, realtimePort, workersPort] = [await freePort(), await freePort(), await freePort()];
  env = {
    ...harnessAppEnv(h, `http://localhost:${webPort}`),
    DISPATCH_MAX_SEARCH_MS: '2000',
    DISPATCH_RETRY_MS: '300',
  };
  logDir = `it-${h.id}`;
  // Each app is tracked as soon as it is up, so a sibling failing to start cannot leak it.
  const tracked = (app: Promise<AppProcess>) =>
    app.then((a) => {
      started.push(a);
      return a;
    });
  [workers, realtime, web] = await Promise.all([
    tracked(startApp('workers', { label: 'workers', port: workersPort!, env, logDir })),
    tracked(startApp('realtime', { label: 'realtime', port: realtimePort!, env, logDir })),
    tracked(startApp('web', { label: 'web', port: webPort!, env, logDir, webDir })),
  ]);
}, 600_000);

afterAll(async () => {
  await Promise.all(started.map((p) => p.stop()));
  await h?.cleanup();
}, 120_000);

/** A connection of the test's own that holds PostgreSQL locks until released. */
async function lockHolder(sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: h.databaseUrl });
  await client.connect();
  await client.query('begin');
  await client.query(sql, params);
  return {
    releasedAt: 0,
    async release() {
      await client.query('commit');
      this.releasedAt = Date.now();
      await client.end();
    },
  };
}

async function waitingOnLocks(applicationName: string): Promise<number> {
  const { rows } = await h.postgres.pool.query<{ n: number }>(
    `select count(*)::int as n from pg_stat_activity
      where datname = current_database() and application_name = $1 and wait_event_type = 'Lock'`,
    [applicationName],
  );
  return rows[0]!.n;
}

function expectCleanExit(p: AppProcess, exit: Exit, sentAt: number, releasedAt: number, code: number) {
  expect({ code: exit.code, signal: exit.signal }, p.tail()).toEqual({ code, signal: null });
  expect(exit.at - sentAt, 'SIGTERM to exit (ms)').toBeLessThan(deadlineMs);
  // It waited for the work the test held in flight.
  expect(exit.at).toBeGreaterThanOrEqual(releasedAt);
}

describe('T19: graceful shutdown under load', () => {
  it('web finishes in-flight requests, takes no new ones, and exits', async () => {
    const riders = await createRiders(h.postgres.db, 3);
    const browsers = await Promise.all(
      riders.map(async (r) => {
        const b = new WebClient(`http://localhost:${web.port}`);
        expect((await b.signIn(r.email, fixturePassword)).status).toBe(200);
        return b;
      }),
    );
    const quotes = await Promise.all(
      browsers.map((b) =>
        b.trpc<{ token: string }>('pricing.quote', {
          pickup: centre,
          dropoff: away(3_000, 2_000),
          vehicleTypeId: 'economy',
        }),
      ),
    );
    // Every request that touches bookings now waits for the test's lock: in flight, by design.
    const lock = await lockHolder('lock table bookings in access exclusive mode');
    const inFlight = [
      ...browsers.map((b, i) =>
        b.trpc<{ booking: { id: string } }>('booking.create', {
          quoteToken: quotes[i]!.data!.token,
          idempotencyKey: randomUUID(),
        }),
      ),
      ...browsers.map((b) => b.trpc<unknown[]>('booking.mine', undefined, 'query')),
    ];
    await vi.waitFor(
      async () => ready('six requests waiting inside web', (await waitingOnLocks('opendispatch-web')) >= 6),
      { timeout: 15_000 },
    );

    // Background load: pages and health checks on fresh connections until web is gone.
    const load = { answered: 0, serverErrors: 0, refused: 0, reset: 0, other: [] as string[] };
    let webGone = false;
    const loadLoops = Array.from({ length: 4 }, async (_, i) => {
      const client = new WebClient(`http://localhost:${web.port}`);
      while (!webGone) {
        try {
          const res = await client.get(i % 2 ? '/signin' : '/api/health');
          load.answered++;
          if (res.status >= 500) load.serverErrors++;
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ECONNREFUSED') load.refused++;
          else if (code === 'ECONNRESET') load.reset++;
          else load.other.push(String(error));
          if (code === 'ECONNREFUSED')
            await web.exited.then(
              () => undefined,
              () => undefined,
            );
        }
      }
    });
    await vi.waitFor(() => ready('load answered', load.answered >= 8), { timeout: 15_000 });

    const sentAt = web.terminate();
    await vi.waitFor(async () => ready('web to stop accepting connections', !(await portOpen(web.port))), {
      timeout: 10_000,
    });
    expect(web.running(), 'web still draining').toBe(true);
    await new Promise((r) => setTimeout(r, holdMs));
    expect(web.running(), 'web waits for its in-flight requests').toBe(true);
    await lock.release();

    const answers = await Promise.all(inFlight);
    for (const a of answers) expect(a.status, JSON.stringify(a.error)).toBe(200);
    const created = answers.slice(0, 3).map((a) => (a.data as { booking: { id: string } }).booking.id);
    for (const id of created) expect((await statusOf(h, id)).id).toBe(id);

    const exit = await web.exited;
    webGone = true;
    await Promise.all(loadLoops);
    // web's own server (server/web/main.ts) drains the door and Next, closes its pools, exits 0.
    expectCleanExit(web, exit, sentAt, lock.releasedAt, 0);
    expect(load.serverErrors).toBe(0);
    expect(load.other).toEqual([]);
    console.log(
      `T19 web: 6 held requests answered 200 after release; exit ${exit.code} ` +
        `${exit.at - sentAt} ms after SIGTERM; background load: ${load.answered} answered, ` +
        `${load.refused} refused after close, ${load.reset} reset`,
    );
  });

  it('workers finish running jobs, leave none stalled, and exit 0', async () => {
    const riders = await createRiders(h.postgres.db, 12);
    // Bookings created without their assignment job; the test enqueues the jobs itself, after
    // it has locked some of the bookings.
    const noQueue: DispatchQueue = {
      ...h.booking.dispatch,
      assign: async () => undefined,
      expireOffer: async () => undefined,
      dispatchScheduled: async () => undefined,
    };
    const ids: string[] = [];
    for (const r of riders) ids.push((await book({ ...h.booking, dispatch: noQueue }, r.id)).booking.id);
    const held = ids.slice(0, 4);
    const lock = await lockHolder('select id from bookings where id = any($1::uuid[]) for update', [held]);
    const connection = { url: h.redisUrl, maxRetriesPerRequest: null };
    const prefix = `${h.redisPrefix}:bull`;
    const queue = new Queue(dispatchQueueName, { connection, prefix });
    const events = new QueueEvents(dispatchQueueName, { connection, prefix });
    await events.waitUntilReady();
    const stalled: string[] = [];
    events.on('stalled', ({ jobId }) => stalled.push(jobId));
    try {
      for (const id of ids) await h.booking.dispatch.assign(id, 1);
      await vi.waitFor(
        async () => {
          const free = await Promise.all(ids.slice(4).map((id) => statusOf(h, id)));
          return ready(
            'the free bookings searching and the held ones running',
            free.every((b) => b.status !== 'requested') && (await queue.getActiveCount()) >= held.length,
          );
        },
        { timeout: 20_000 },
      );
      const activeBefore = (await queue.getActive()).map((j) => j.id);
      expect(activeBefore).toEqual(expect.arrayContaining(held.map((id) => `assign-${id}-1`)));

      const sentAt = workers.terminate();
      await workers.line(/"msg":"shutting down"/, 10_000);
      await new Promise((r) => setTimeout(r, holdMs));
      expect(workers.running(), 'workers wait for running jobs').toBe(true);
      expect(await queue.getActiveCount()).toBeGreaterThanOrEqual(held.length);
      await lock.release();
      const exit = await workers.exited;
      expectCleanExit(workers, exit, sentAt, lock.releasedAt, 0);

      // Nothing was abandoned mid-job: no job is active, none is marked stalled, the held jobs
      // completed (their bookings moved on).
      expect(await queue.getActiveCount()).toBe(0);
      expect(await h.redis.scard(`${prefix}:${dispatchQueueName}:stalled`)).toBe(0);
      for (const id of held) {
        const job = await queue.getJob(`assign-${id}-1`);
        expect(await job?.getState()).toBe('completed');
        expect(job?.stalledCounter ?? 0).toBe(0);
        expect((await statusOf(h, id)).status).not.toBe('requested');
      }

      // A new workers process takes over the queue: the retries left behind run, nothing stalls.
      workers = await startApp('workers', { label: 'workers-2', port: workers.port, env, logDir });
      started.push(workers);
      await vi.waitFor(
        async () => {
          const all = await Promise.all(ids.map((id) => statusOf(h, id)));
          return ready(
            'every booking dispatched to its end',
            all.every((b) => b.status === 'no_driver_found'),
          );
        },
        { timeout: 30_000 },
      );
      expect(stalled).toEqual([]);
      console.log(
        `T19 workers: ${held.length} jobs held in flight finished after release; exit 0 ` +
          `${exit.at - sentAt} ms after SIGTERM; 0 active, 0 stalled; ${ids.length} bookings ended after restart`,
      );
    } finally {
      await events.close();
      await queue.close();
    }
  });

  it('realtime answers the batches it took, tells every client to reconnect, and exits 0', async () => {
    const dispatchers = await Promise.all([1, 2, 3].map(() => createUser(h.postgres.db, 'dispatcher')));
    // A fleet relayed by gateways (as telematics boxes and the simulator do), streaming back to back.
    const fleet = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const d = await onDutyDriver(h);
        return { driverId: d.id, sessionId: d.sessionId };
      }),
    );
    const clients: { socket: TestSocket; ended: string[]; disconnect?: string }[] = [];
    const open = async (token: string) => {
      const socket = await connect(realtime.port, token);
      const c = { socket, ended: [] as string[], disconnect: undefined as string | undefined };
      socket.on('session:ended', ({ reason }) => c.ended.push(reason));
      socket.on('disconnect', (reason) => {
        c.disconnect = reason;
      });
      clients.push(c);
      return socket;
    };
    for (const user of dispatchers) {
      const socket = await open((await tokenFor(h.postgres.db, h.socketSecret, user)).token);
      expect(await socket.emitWithAck('ops:watch', { cells: [] })).toMatchObject({ ok: true });
    }
    const gateways = await Promise.all(
      [1, 2, 3].map(async (i) =>
        open((await signServiceToken(`gateway-${i}`, h.socketSecret, Date.now())).token),
      ),
    );

    const batches = {
      sent: 0,
      acked: 0,
      refusedRestarting: 0,
      refused: [] as string[],
      unanswered: 0,
      inFlight: 0,
    };
    let seq = 0;
    const streams = gateways.map(async (gateway, g) => {
      const mine = fleet.filter((_, i) => i % gateways.length === g);
      let told = false;
      gateway.once('session:ended', () => {
        told = true;
      });
      // Sends until told the server is going (a client should then wait to be reconnected).
      while (gateway.connected && !told) {
        seq++;
        batches.sent++;
        batches.inFlight++;
        try {
          const answer = await gateway.timeout(10_000).emitWithAck('location:gateway-batch', {
            drivers: mine.map((d) => ({
              driverId: d.driverId,
              sessionId: d.sessionId,
              pings: [{ seq, at: Date.now(), ...away(seq), accuracyM: 5 }],
            })),
          });
          if (answer.ok) batches.acked++;
          // Sent after shutdown began: refused at once, to be sent again after reconnecting.
          else if (answer.error.code === 'UNAVAILABLE') batches.refusedRestarting++;
          else batches.refused.push(answer.error.message);
        } catch {
          batches.unanswered++;
        } finally {
          batches.inFlight--;
        }
      }
    });
    await vi.waitFor(() => ready('positions flowing', batches.acked >= 30), { timeout: 15_000 });

    const inFlightAtSigterm = batches.inFlight;
    const sentAt = realtime.terminate();
    const exit = await realtime.exited;
    await Promise.all(streams);
    expect({ code: exit.code, signal: exit.signal }, realtime.tail()).toEqual({ code: 0, signal: null });
    expect(exit.at - sentAt).toBeLessThan(deadlineMs);
    for (const c of clients) {
      expect(c.ended).toEqual(['server_shutdown']);
      // The transport closes under the client, which then reconnects by itself (behind nginx: to
      // another instance).
      expect(c.disconnect).toBe('transport close');
    }
    expect(inFlightAtSigterm, 'batches in flight when SIGTERM was sent').toBeGreaterThan(0);
    expect(batches.refused).toEqual([]);
    // Every batch got an answer: the ones being handled at SIGTERM their real acknowledgement.
    expect(batches.unanswered, `batches without an answer (of ${batches.sent})`).toBe(0);
    console.log(
      `T19 realtime: ${clients.length} sockets told server_shutdown; exit 0 ${exit.at - sentAt} ms after ` +
        `SIGTERM; ${batches.acked} gateway batches acknowledged (${inFlightAtSigterm} in flight at SIGTERM), ` +
        `${batches.refusedRestarting} refused as restarting, ${batches.unanswered} unanswered`,
    );
  });
});
