import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@/domain/realtime-contract';
import type { Role } from '@/domain/roles';
import { signSocketToken } from '@/server/auth/socket-token';
import type { Database } from '@/server/infra/postgres';
import { openAuthSession } from '@/server/services/account/auth-sessions';

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
