import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@/domain/realtime-contract';
import type { Role } from '@/domain/roles';
import { signSocketToken } from '@/server/auth/socket-token';
import type { Database } from '@/server/infra/postgres';
import { openAuthSession } from '@/server/services/account/auth-sessions';
import { setAvailability } from '@/server/services/driver/set-availability';
import { createDriver } from './fixtures';
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
export async function driverOnSocket(h: Harness, secret: string, port: number) {
  const d = await createDriver(h.postgres.db);
  const { sessionId } = await setAvailability(h.core, {
    driverId: d.id,
    event: 'go_online',
    actor: 'driver',
  });
  const { token } = await tokenFor(h.postgres.db, secret, { id: d.id, role: 'driver' });
  return { ...d, sessionId: sessionId!, socket: await connect(port, token) };
}
