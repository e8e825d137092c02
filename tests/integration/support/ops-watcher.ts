import { io } from 'socket.io-client';
import type { TestSocket } from './sockets';
import type { WebClient } from './web-client';

interface BoardBooking {
  id: string;
  version: number;
}

/**
 * A dispatcher's operations view without the browser: one Socket.IO connection through the
 * public origin that, on every (re)connection, mints a token over tRPC, joins the operations room
 * and then loads the board snapshot (ADR 0003: join first, then snapshot). It records every
 * booking version it is told about, and where it learned it.
 */
export interface OpsWatcher {
  socket: TestSocket;
  transport: 'websocket' | 'polling';
  /** booking id → versions received as `booking:board` events. */
  seen: Map<string, Set<number>>;
  /** booking id → version in the latest snapshot. */
  snapshot: Map<string, number>;
  /** driver id → states received as `driver:state`. */
  driverStates: Map<string, string[]>;
  connects: number;
  /** Completed join + snapshot rounds (one per connection). */
  syncs: number;
  /** Date.now() of the latest completed sync. */
  syncedAt: number;
  disconnects: string[];
  errors: string[];
  /** The latest version this client knows for a booking (events or snapshot). */
  known(bookingId: string): number;
  /** Makes reconnection attempts wait for `until` (a client slow to come back, on a bad network). */
  holdReconnects(until: Promise<void>): void;
  close(): void;
}

export async function openOpsWatcher(
  browser: WebClient,
  connectTo: { url: string; ca: Buffer },
  transport: 'websocket' | 'polling',
): Promise<OpsWatcher> {
  let hold: Promise<void> = Promise.resolve();
  const socket: TestSocket = io(connectTo.url, {
    transports: [transport],
    ca: connectTo.ca.toString(),
    forceNew: true,
    // Polling keeps nginx's affinity cookie (Node's engine.io client has a jar when asked).
    withCredentials: transport === 'polling',
    reconnection: true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
    auth: (cb) => {
      hold
        .then(() => browser.trpc<{ token: string }>('realtime.token', null))
        .then(
          (answer) => cb({ token: answer.data?.token ?? 'no-token' }),
          () => cb({ token: 'no-token' }),
        );
    },
  });
  const w: OpsWatcher = {
    socket,
    transport,
    seen: new Map(),
    snapshot: new Map(),
    driverStates: new Map(),
    connects: 0,
    syncs: 0,
    syncedAt: 0,
    disconnects: [],
    errors: [],
    known(bookingId) {
      const versions = [...(this.seen.get(bookingId) ?? [])];
      return Math.max(0, this.snapshot.get(bookingId) ?? 0, ...versions);
    },
    holdReconnects(until) {
      hold = until;
    },
    close: () => socket.close(),
  };
  socket.on('booking:board', (change) => {
    let versions = w.seen.get(change.bookingId);
    if (!versions) {
      versions = new Set();
      w.seen.set(change.bookingId, versions);
    }
    versions.add(change.version);
  });
  socket.on('driver:state', (change) => {
    const states = w.driverStates.get(change.driverId) ?? [];
    states.push(change.state);
    w.driverStates.set(change.driverId, states);
  });
  socket.on('disconnect', (reason) => w.disconnects.push(reason));
  socket.on('connect_error', (error) => w.errors.push(error.message));
  socket.on('connect', () => {
    w.connects++;
    void (async () => {
      const joined = await socket.emitWithAck('ops:watch', { cells: [] });
      if (!joined.ok) throw new Error(`ops:watch refused: ${joined.error.message}`);
      const board = await browser.trpc<{ active: BoardBooking[]; recent: BoardBooking[] }>(
        'operations.bookings',
        undefined,
        'query',
      );
      if (!board.data) throw new Error(`operations.bookings answered ${board.status}`);
      for (const b of [...board.data.active, ...board.data.recent]) {
        w.snapshot.set(b.id, Math.max(w.snapshot.get(b.id) ?? 0, b.version));
      }
      w.syncs++;
      w.syncedAt = Date.now();
    })().catch((error: unknown) => w.errors.push(String(error)));
  });
  return w;
}
