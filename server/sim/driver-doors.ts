import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@/domain/realtime-contract';
import { signSocketToken } from '../auth/socket-token';
import type { DriverDoors } from './sim-driver';
import { type DoorSettings, type SimAccount, webSession } from './web-session';

/**
 * A simulated driver's app: tRPC calls to the web app with a driver's session (web-session.ts),
 * and a socket of its own to realtime so offers reach it like any driver's phone.
 */
export async function driverDoors(
  account: SimAccount,
  settings: DoorSettings,
  ttlS: number,
): Promise<DriverDoors & { socket: Socket<ServerToClientEvents, ClientToServerEvents> }> {
  const call = await webSession(account, 'driver', settings, ttlS);
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
    respond: async (bookingId, accept) => {
      await call('driver.respondToOffer', { bookingId, accept });
    },
    tripAction: async (bookingId, action) => {
      await call('driver.tripAction', { bookingId, action });
    },
  };
}
