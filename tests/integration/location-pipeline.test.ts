import { gridDisk, latLngToCell } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeGatewayFrame } from '@/domain/gateway-frame';
import { offsetMeters } from '@/domain/geo';
import type { DensityFrame, DriverStateChange, LiveDriver } from '@/domain/realtime-contract';
import { signServiceToken } from '@/server/auth/socket-token';
import type { RealtimeProcess } from '@/server/realtime/start';
import { revokeAuthSession } from '@/server/services/account/auth-sessions';
import { setAvailability } from '@/server/services/driver/set-availability';
import type { WorkersProcess } from '@/workers/start';
import { onDutyDriver } from './support/booking-helpers';
import { createDriver, createUser } from './support/fixtures';
import { createHarness, type Harness, ready } from './support/harness';
import { startRealtimeFor, startWorkersFor } from './support/in-process-apps';
import { connect, openSocket, tokenFor } from './support/sockets';

/**
 * The walking skeleton below the browser: a driver's socket → realtime → Kafka → the workers'
 * live index in Redis, and realtime's own Kafka reader → the dispatcher's socket. Real services,
 * production wiring (startRealtimeFor / startWorkersFor).
 */
let h: Harness;
let realtime: RealtimeProcess;
let workers: WorkersProcess;
const centre = { lat: 12.9716, lng: 77.5946 };

beforeAll(async () => {
  h = await createHarness('pipeline');
  realtime = await startRealtimeFor(h, { FANOUT_INTERVAL_MS: '50' });
  workers = await startWorkersFor(h);
});

afterAll(async () => {
  await h?.cleanup();
});

async function socketFor(user: { id: string; role: 'rider' | 'driver' | 'dispatcher' | 'admin' }) {
  return (await openSocket(h, realtime.port, user)).socket;
}

const onlineDriver = () => onDutyDriver(h);

/** An on-duty driver with the driver app's socket open. */
async function connectedDriver() {
  const d = await onlineDriver();
  return { ...d, socket: await socketFor({ id: d.id, role: 'driver' }) };
}

/** One ping at the city centre from the driver's socket. */
function pingAtCentre(d: Awaited<ReturnType<typeof connectedDriver>>, seq = 1, at = Date.now()) {
  return d.socket.emitWithAck('location:batch', { sessionId: d.sessionId, pings: [{ seq, at, ...centre }] });
}

/** Waits until a watching dispatcher has been told the driver went offline. */
function offlineSeen(what: string, watch: { states: DriverStateChange[] }, driverId: string) {
  return vi.waitFor(
    () =>
      ready(
        what,
        watch.states.find((s) => s.driverId === driverId && s.state === 'offline'),
      ),
    { timeout: 15_000 },
  );
}

/** Waits until a watching dispatcher has received a frame of the driver. */
function frameSeen(what: string, watch: { frames: LiveDriver[] }, driverId: string) {
  return vi.waitFor(
    () =>
      ready(
        what,
        watch.frames.find((f) => f.driverId === driverId),
      ),
    { timeout: 15_000 },
  );
}

/** The viewport cells around the city centre, as a dispatcher's map would ask for them. */
const centreCells = gridDisk(latLngToCell(centre.lat, centre.lng, 6), 1);

async function watcher(cells: string[] = centreCells) {
  const dispatcher = await createUser(h.postgres.db, 'dispatcher');
  const socket = await socketFor(dispatcher);
  const frames: LiveDriver[] = [];
  const states: DriverStateChange[] = [];
  const density: DensityFrame[] = [];
  socket.on('drivers:moved', (f) => frames.push(...f.drivers));
  socket.on('driver:state', (c) => states.push(c));
  socket.on('ops:density', (d) => density.push(d));
  const answer = await socket.emitWithAck('ops:watch', { cells });
  expect(answer).toMatchObject({ ok: true, drivers: expect.any(Array), serverTime: expect.any(Number) });
  return { socket, frames, states, density, snapshot: answer.ok ? answer.drivers : [] };
}

const endOffsets = async (topic: string) => {
  const admin = h.kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
};

describe('location path: driver socket → Kafka → live index → dispatcher socket', () => {
  it('shows a driver moving on the operations stream and in the live index, then going offline', async () => {
    const ops = await watcher();
    const d = await onlineDriver();
    const socket = await socketFor({ id: d.id, role: 'driver' });

    const first = { seq: 1, at: Date.now(), ...centre, accuracyM: 5 };
    expect(await socket.emitWithAck('location:batch', { sessionId: d.sessionId, pings: [first] })).toEqual({
      ok: true,
      accepted: 1,
      lastSeq: 1,
      dropped: [],
    });
    await vi.waitFor(
      () =>
        ready(
          'the first position on the dispatcher stream',
          ops.frames.find((f) => f.driverId === d.id && f.lat === first.lat),
        ),
      { timeout: 15_000 },
    );
    await vi.waitFor(
      async () =>
        ready('the first position in the live index', (await h.liveIndex.ingestView(d.id))?.last?.seq === 1),
      { timeout: 15_000 },
    );

    const moved = offsetMeters(centre, 60, 0);
    // Four seconds later, like a phone's heartbeat: 60 m in 4 s passes the speed filter.
    const second = { seq: 2, at: first.at + 4_000, ...moved, accuracyM: 5 };
    expect(
      await socket.emitWithAck('location:batch', { sessionId: d.sessionId, pings: [second] }),
    ).toMatchObject({
      ok: true,
      accepted: 1,
    });
    const frame = await vi.waitFor(
      () =>
        ready(
          'the move on the dispatcher stream',
          ops.frames.find((f) => f.driverId === d.id && f.lat === moved.lat),
        ),
      { timeout: 15_000 },
    );
    expect(frame).toMatchObject({ state: 'available', vehicleTypeId: 'economy', lng: moved.lng });
    const snapshot = await vi.waitFor(
      async () =>
        ready(
          'the move in the live index snapshot',
          (await h.liveIndex.snapshot()).find((s) => s.driverId === d.id && s.lat === moved.lat),
        ),
      { timeout: 15_000 },
    );
    expect(snapshot.state).toBe('available');

    await vi.waitFor(
      async () => {
        const { rows } = await h.postgres.pool.query(
          'select seq, lat from location_history where driver_id = $1 and session_id = $2 order by seq',
          [d.id, d.sessionId],
        );
        return ready(
          'both positions in the location history',
          rows.length === 2 && rows[1].lat === moved.lat,
        );
      },
      { timeout: 15_000 },
    );

    await setAvailability(h.core, { driverId: d.id, event: 'go_offline', actor: 'driver' });
    await offlineSeen('the offline event on the dispatcher stream (outbox → Kafka → realtime)', ops, d.id);
    expect((await h.liveIndex.snapshot()).find((s) => s.driverId === d.id)).toBeUndefined();
  });

  it('answers a malformed batch with the offending field and publishes nothing', async () => {
    const d = await onlineDriver();
    const socket = await socketFor({ id: d.id, role: 'driver' });
    const before = await endOffsets(h.topics.driverLocation);
    const cases: [unknown, string][] = [
      [{ sessionId: d.sessionId, pings: [{ seq: 1, at: Date.now(), lat: 123, lng: 0 }] }, 'pings.0.lat'],
      [{ sessionId: d.sessionId, pings: [] }, 'pings'],
      [{ sessionId: 'not-a-uuid', pings: [{ seq: 1, at: Date.now(), lat: 1, lng: 1 }] }, 'sessionId'],
      [{ sessionId: d.sessionId, pings: 'lots' }, 'pings'],
      ['just a string', ''],
    ];
    for (const [payload, field] of cases) {
      const answer = await socket.emitWithAck('location:batch', payload as never);
      expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      if (field && !answer.ok) expect(answer.error.field).toBe(field);
    }
    const oversized = {
      sessionId: d.sessionId,
      pings: Array.from({ length: 2_000 }, (_, i) => ({ seq: i + 1, at: Date.now(), lat: 1, lng: 1 })),
    };
    // Over maxHttpBufferSize: the server drops the connection instead of parsing it.
    const dropped = new Promise((resolve) => socket.once('disconnect', resolve));
    socket.emit('location:batch', oversized as never, () => undefined);
    await dropped;
    expect(await endOffsets(h.topics.driverLocation)).toBe(before);
  });

  it('drops replays, pings from an offline driver and pings from another session, counting why', async () => {
    const d = await onlineDriver();
    const socket = await socketFor({ id: d.id, role: 'driver' });
    const ping = (seq: number) => ({ seq, at: Date.now() + seq, ...centre, accuracyM: 5 });
    await socket.emitWithAck('location:batch', { sessionId: d.sessionId, pings: [ping(1), ping(2)] });
    expect(
      await socket.emitWithAck('location:batch', { sessionId: d.sessionId, pings: [ping(2), ping(3)] }),
    ).toMatchObject({
      ok: true,
      accepted: 1,
      dropped: [{ seq: 2, reason: 'duplicate' }],
    });
    const otherSession = '11111111-2222-4333-8444-555555555555';
    expect(
      await socket.emitWithAck('location:batch', { sessionId: otherSession, pings: [ping(4)] }),
    ).toMatchObject({
      ok: true,
      accepted: 0,
      dropped: [{ seq: 4, reason: 'wrong_session' }],
    });
    const ops = await watcher();
    // What the dispatcher's map receives after it was told the driver went offline: nothing may
    // bring the driver back as a ghost. (A ping accepted in the moments before realtime learns of
    // the change may still be drawn before the offline event removes the marker: positions and
    // state changes travel on different topics.)
    let toldOffline = false;
    const afterOffline: LiveDriver[] = [];
    ops.socket.on('driver:state', (c) => {
      if (c.driverId === d.id && c.state === 'offline') toldOffline = true;
    });
    ops.socket.on('drivers:moved', (f) => {
      if (toldOffline) afterOffline.push(...f.drivers.filter((x) => x.driverId === d.id));
    });
    await setAvailability(h.core, { driverId: d.id, event: 'go_offline', actor: 'driver' });
    // Realtime learns of the change from Kafka within moments (pings in that window are kept in
    // history under the ended session but never reach the live index); after it, pings are refused.
    let seq = 5;
    await vi.waitFor(
      async () => {
        const answer = await socket.emitWithAck('location:batch', {
          sessionId: d.sessionId,
          pings: [ping(seq++)],
        });
        return ready(
          'pings from the offline driver refused',
          answer.ok && answer.dropped[0]?.reason === 'driver_offline',
        );
      },
      { timeout: 15_000 },
    );
    await offlineSeen('the offline event on the dispatcher stream', ops, d.id);
    // More than a few fan-out ticks, so a late frame would have arrived.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(afterOffline).toEqual([]);
    expect(await h.liveIndex.ingestView(d.id)).toMatchObject({ state: 'offline', last: null });
  });
});

describe('metrics', () => {
  it('count accepted and dropped pings by reason, and what the workers wrote', async () => {
    const realtimeText = await (await fetch(`http://127.0.0.1:${realtime.port}/metrics`)).text();
    const value = (text: string, series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(series));
      return line ? Number(line.slice(series.length).trim()) : 0;
    };
    // Earlier tests in this file sent accepted pings and every kind of refusal checked here.
    expect(
      value(realtimeText, 'od_location_pings_total{outcome="accepted",reason="",service="realtime"}'),
    ).toBeGreaterThan(0);
    for (const reason of ['duplicate', 'wrong_session', 'driver_offline']) {
      expect(
        value(
          realtimeText,
          `od_location_pings_total{outcome="dropped",reason="${reason}",service="realtime"}`,
        ),
      ).toBeGreaterThan(0);
    }
    expect(
      value(realtimeText, 'od_location_batches_total{kind="phone",result="invalid",service="realtime"}'),
    ).toBeGreaterThan(0);
    expect(realtimeText).toContain('od_socket_connections');
    expect(realtimeText).toContain('od_location_publish_seconds_bucket');
    const workersText = await (await fetch(`http://127.0.0.1:${workers.port}/metrics`)).text();
    expect(value(workersText, 'od_location_history_rows_total{service="workers"}')).toBeGreaterThan(0);
    expect(value(workersText, 'od_outbox_relayed_total{service="workers"}')).toBeGreaterThan(0);
    expect(workersText).toContain('od_nodejs_eventloop_lag_seconds');
  });
});

describe('socket authentication and authorisation', () => {
  it('refuses a connection without a token, with a forged one, an expired one, or for a revoked session', async () => {
    const d = await createDriver(h.postgres.db);
    await expect(connect(realtime.port, undefined)).rejects.toThrow('A socket token is required');
    await expect(connect(realtime.port, 'eyJhbGciOiJIUzI1NiJ9.e30.x')).rejects.toThrow('invalid or expired');
    const forged = await tokenFor(h.postgres.db, 'x'.repeat(64), { id: d.id, role: 'driver' });
    await expect(connect(realtime.port, forged.token)).rejects.toThrow('invalid or expired');
    const expired = await tokenFor(
      h.postgres.db,
      h.socketSecret,
      { id: d.id, role: 'driver' },
      { nowMs: Date.now() - 3_600_000 },
    );
    await expect(connect(realtime.port, expired.token)).rejects.toThrow('invalid or expired');
    const revoked = await tokenFor(h.postgres.db, h.socketSecret, { id: d.id, role: 'driver' });
    await revokeAuthSession(h.postgres.db, revoked.sessionId, Date.now());
    await expect(connect(realtime.port, revoked.token)).rejects.toThrow('session has ended');
    const wrongRole = await tokenFor(h.postgres.db, h.socketSecret, { id: d.id, role: 'admin' });
    await expect(connect(realtime.port, wrongRole.token)).rejects.toThrow('session has ended');
  });

  it('keeps riders out of the operations room and off the location path', async () => {
    const rider = await createUser(h.postgres.db, 'rider');
    const socket = await socketFor(rider);
    const received: unknown[] = [];
    socket.on('drivers:moved', (f) => received.push(f));
    expect(await socket.emitWithAck('ops:watch', { cells: centreCells })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(
      await socket.emitWithAck('location:batch', {
        sessionId: '11111111-2222-4333-8444-555555555555',
        pings: [{ seq: 1, at: Date.now(), lat: 1, lng: 1 }],
      }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    // A driver moves meanwhile: a dispatcher sees it, the rider's socket must not.
    const ops = await watcher();
    const d = await connectedDriver();
    await pingAtCentre(d);
    await frameSeen('the dispatcher frame', ops, d.id);
    await new Promise((r) => setTimeout(r, 200));
    expect(received).toEqual([]);
  });

  it('ends a socket when its token expires', async () => {
    const d = await createDriver(h.postgres.db);
    const { socket } = await openSocket(h, realtime.port, { id: d.id, role: 'driver' }, { ttlS: 2 });
    const ended = new Promise<{ reason: string }>((resolve) => socket.once('session:ended', resolve));
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    expect(await ended).toEqual({ reason: 'token_expired' });
    expect(await closed).toBe('io server disconnect');
  });
});

describe('operations viewport, density and gateways', () => {
  it('sends a dispatcher only the watched cells, with their snapshot in the answer', async () => {
    const here = await watcher();
    // One watching a faraway city must get neither the snapshot nor the frames.
    const far = await watcher(gridDisk(latLngToCell(28.61, 77.2, 6), 1));
    const d = await connectedDriver();
    await pingAtCentre(d);
    await frameSeen('the driver in the live stream', here, d.id);
    // A dispatcher who subscribes later gets the driver in the answer to ops:watch.
    const late = await watcher();
    expect(late.snapshot.find((x) => x.driverId === d.id)).toMatchObject({
      lat: centre.lat,
      state: 'available',
    });
    const lateFar = await watcher(gridDisk(latLngToCell(28.61, 77.2, 6), 1));
    expect(lateFar.snapshot.find((x) => x.driverId === d.id)).toBeUndefined();
    await pingAtCentre(d, 2, Date.now() + 5);
    await frameSeen('the second position at the centre', late, d.id);
    expect(far.frames.find((f) => f.driverId === d.id)).toBeUndefined();
    // Every dispatcher gets the density heatmap.
    const frame = await vi.waitFor(() => ready('a density frame', far.density.at(-1)), { timeout: 15_000 });
    expect(frame.resolution).toBe(7);
    const total = frame.cells.reduce((n, [, available, busy, stale]) => n + available + busy + stale, 0);
    expect(total).toBeGreaterThan(0);
  });

  it('refuses malformed watch requests naming the field', async () => {
    const { socket } = await watcher();
    expect(await socket.emitWithAck('ops:watch', { cells: ['not-a-cell'] })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', field: 'cells.0' },
    });
    expect(
      await socket.emitWithAck('ops:watch', { cells: [latLngToCell(centre.lat, centre.lng, 9)] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', field: 'cells.0' },
    });
    const tooMany = gridDisk(latLngToCell(centre.lat, centre.lng, 6), 15);
    expect(await socket.emitWithAck('ops:watch', { cells: tooMany })).toMatchObject({
      ok: false,
      error: { field: 'cells' },
    });
  });

  it('takes many drivers’ positions from a gateway, each checked like a phone’s', async () => {
    const { token } = await signServiceToken('fleet-a', h.socketSecret, Date.now());
    const gateway = await connect(realtime.port, token);
    h.beforeCleanup(() => gateway.close());
    const a = await onlineDriver();
    const b = await onlineDriver();
    const offline = await createDriver(h.postgres.db);
    const answer = await gateway.emitWithAck('location:gateway-batch', {
      drivers: [
        { driverId: a.id, sessionId: a.sessionId, pings: [{ seq: 1, at: Date.now(), ...centre }] },
        { driverId: b.id, sessionId: b.sessionId, pings: [{ seq: 1, at: Date.now(), ...centre }] },
        { driverId: offline.id, sessionId: a.sessionId, pings: [{ seq: 1, at: Date.now(), ...centre }] },
      ],
    });
    expect(answer).toMatchObject({
      ok: true,
      results: [
        { driverId: a.id, accepted: 1 },
        { driverId: b.id, accepted: 1 },
        { driverId: offline.id, accepted: 0, dropped: [{ seq: 1, reason: 'driver_offline' }] },
      ],
    });
    await vi.waitFor(
      async () =>
        ready('gateway positions in the index', (await h.liveIndex.ingestView(b.id))?.last?.seq === 1),
      { timeout: 15_000 },
    );
    // A gateway is not a dispatcher, and a driver is not a gateway.
    expect(await gateway.emitWithAck('ops:watch', { cells: centreCells })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const driverSocket = await socketFor({ id: a.id, role: 'driver' });
    expect(
      await driverSocket.emitWithAck('location:gateway-batch', {
        drivers: [{ driverId: b.id, sessionId: b.sessionId, pings: [{ seq: 2, at: Date.now(), ...centre }] }],
      }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('takes the same from a gateway’s binary frame, and names the offending field of a bad one', async () => {
    const { token } = await signServiceToken('fleet-b', h.socketSecret, Date.now());
    const gateway = await connect(realtime.port, token);
    h.beforeCleanup(() => gateway.close());
    const a = await onlineDriver();
    const ping = { seq: 1, at: Date.now(), ...centre, accuracyM: 6 };
    const answer = await gateway.emitWithAck(
      'location:gateway-frame',
      encodeGatewayFrame([{ driverId: a.id, sessionId: a.sessionId, pings: [ping] }]),
    );
    expect(answer).toMatchObject({ ok: true, results: [{ driverId: a.id, accepted: 1, dropped: [] }] });
    await vi.waitFor(
      async () => ready('frame position in the index', (await h.liveIndex.ingestView(a.id))?.last?.seq === 1),
      { timeout: 15_000 },
    );
    const bad = encodeGatewayFrame([
      { driverId: a.id, sessionId: a.sessionId, pings: [{ ...ping, seq: 2, lat: 91 }] },
    ]);
    expect(await gateway.emitWithAck('location:gateway-frame', bad)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', field: 'drivers.0.pings.0.lat' },
    });
    expect(await gateway.emitWithAck('location:gateway-frame', { drivers: [] } as never)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });
});
