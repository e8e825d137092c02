import { encode } from 'next-auth/jwt';
import { io, type Socket } from 'socket.io-client';
import { DomainError } from '@/domain/errors';
import type { ClientToServerEvents, ServerToClientEvents } from '@/domain/realtime-contract';
import { signSocketToken } from '../auth/socket-token';
import type { Clock } from '../services/ports';
import type { DriverDoors } from './sim-driver';

export interface DoorSettings {
  /** Where the web app answers tRPC (its public URL, or its own address inside a deployment). */
  webUrl: string;
  /** The web app's public URL: over https its session cookie has the `__Secure-` name. */
  publicUrl: string;
  realtimeUrl: string;
  nextAuthSecret: string;
  socketTokenSecret: string;
  clock: Clock;
}

export interface SimDriverAccount {
  id: string;
  email: string;
  name: string;
  /** The auth session the simulator opened for this driver (like a sign-in). */
  sessionId: string;
}

/**
 * A simulated driver's app: the session cookie a sign-in would give (minted with next-auth's own
 * `encode`, the claims of server/auth/next-auth-options.ts) for tRPC calls to the web app, and a
 * socket of its own to realtime so offers reach it like any driver's phone.
 */
export async function driverDoors(
  account: SimDriverAccount,
  settings: DoorSettings,
  ttlS: number,
): Promise<DriverDoors & { socket: Socket<ServerToClientEvents, ClientToServerEvents> }> {
  const secure = settings.publicUrl.startsWith('https://');
  const jwe = await encode({
    token: {
      name: account.name,
      email: account.email,
      sub: account.id,
      uid: account.id,
      role: 'driver',
      sid: account.sessionId,
    },
    secret: settings.nextAuthSecret,
    maxAge: ttlS,
  });
  const cookie = `${secure ? '__Secure-' : ''}next-auth.session-token=${jwe}`;
  const call = async (path: string, input: unknown) => {
    const response = await fetch(new URL(`/api/trpc/${path}`, settings.webUrl), {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify(input),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) {
      const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
      throw new DomainError(
        response.status === 409 ? 'CONFLICT' : 'UNAVAILABLE',
        `${path}: ${response.status} ${body?.error?.message ?? ''}`.trim(),
      );
    }
  };
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(settings.realtimeUrl, {
    transports: ['websocket'],
    auth: (cb) => {
      void signSocketToken(
        { id: account.id, role: 'driver', sessionId: account.sessionId },
        settings.socketTokenSecret,
        settings.clock.now(),
      ).then(({ token }) => cb({ token }));
    },
  });
  return {
    socket,
    respond: (bookingId, accept) => call('driver.respondToOffer', { bookingId, accept }),
    tripAction: (bookingId, action) => call('driver.tripAction', { bookingId, action }),
  };
}
