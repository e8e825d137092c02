import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@/domain/realtime-contract';
import type { Role } from '@/domain/roles';
import { signSocketToken } from '@/server/auth/socket-token';
import type { Database } from '@/server/infra/postgres';
import { openAuthSession } from '@/server/services/account/auth-sessions';
import { onDutyDriver } from './booking-helpers';
import type { Harness } from './harness';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export async function tokenFor(
  db: Database,
  secret: string,
  user: { id: string; role: Role },
  options: { nowMs?: number; ttlS?: number; sessionId?: string } = {},
): Promise<{ token: string; sessionId: string }> {
  const sessionId = options.sessionId ?? (await openAuthSession(db, user.id, Date.now()));
  const { token } = await signSocketToken(
    { id: user.id, role: user.role, sessionId },
    secret,
    options.nowMs ?? Date.now(),
    options.ttlS,
  );
  return { token, sessionId };
}

/** Connects and resolves once connected; rejects with the server's refusal message. */
export function connect(port: number, token: string | undefined): Promise<TestSocket> {
  const socket: TestSocket = io(`http://127.0.0.1:${port}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(token === undefined ? {} : { auth: { token } }),
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** A new driver, on duty, with their phone's socket connected to realtime on `port`. */
export async function driverOnSocket(h: Harness, port: number) {
  const d = await onDutyDriver(h);
  const { socket } = await openSocket(h, port, { id: d.id, role: 'driver' });
  return { ...d, socket };
}

/**
 * A socket of `user` on the realtime process at `port`, on a real auth session (a new one unless
 * `options.sessionId`), signed with the harness's secret; `h.cleanup()` closes it.
 */
export async function openSocket(
  h: Harness,
  port: number,
  user: { id: string; role: Role },
  options: { ttlS?: number; sessionId?: string } = {},
): Promise<{ socket: TestSocket; token: string; sessionId: string }> {
  const { token, sessionId } = await tokenFor(h.postgres.db, h.socketSecret, user, options);
  const socket = await connect(port, token);
  h.beforeCleanup(() => socket.close());
  return { socket, token, sessionId };
}

/** Records why the server ended `socket`'s session; `closed` resolves when it disconnects. */
export function sessionEnds(socket: TestSocket): { ended: string[]; closed: Promise<void> } {
  const ended: string[] = [];
  socket.on('session:ended', (e) => ended.push(e.reason));
  const closed = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
  return { ended, closed };
}
