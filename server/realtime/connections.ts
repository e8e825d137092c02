import { rooms } from '@/domain/realtime-contract';
import type { LocationIngestor } from '../services/location/ingest-location-batch';
import type { Clock } from '../services/ports';
import type { BookingFanout } from './booking-fanout';
import type { RealtimeMetrics } from './metrics';
import { endAtTokenExpiry } from './session-expiry';
import type { RealtimeSocket } from './types';

export interface ConnectionDeps {
  clock: Clock;
  metrics: Pick<RealtimeMetrics, 'connections'>;
  ingestor: Pick<LocationIngestor, 'forget'>;
  bookingFanout: Pick<BookingFanout, 'onDriverDisconnected'>;
  /** True while the server shuts down. */
  draining: () => boolean;
}

/**
 * What an authenticated socket gets on connecting: its own rooms (the user's, a driver's), an end
 * at its token's expiry, a place in the connections gauge; and what its disconnect undoes.
 */
export function welcomeSockets(deps: ConnectionDeps): (socket: RealtimeSocket) => void {
  // Created once and bound to each socket as `this`: no closure per connection.
  function disconnected(this: RealtimeSocket) {
    const { principal } = this.data;
    deps.metrics.connections.dec({ role: principal.role });
    if (principal.role === 'driver') {
      deps.ingestor.forget(principal.userId);
      // A restart is not the driver going away: their phone reconnects to another instance,
      // so a ringing offer keeps ringing (it still ends at its deadline).
      if (!deps.draining()) deps.bookingFanout.onDriverDisconnected(principal.userId);
    }
  }
  return (socket) => {
    const { principal } = socket.data;
    // The token string is not needed once verified.
    socket.handshake.auth = {};
    if (principal.role !== 'gateway') void socket.join(rooms.user(principal.userId));
    if (principal.role === 'driver') void socket.join(rooms.driver(principal.userId));
    endAtTokenExpiry(socket, deps.clock.now());
    deps.metrics.connections.inc({ role: principal.role });
    socket.on('disconnect', disconnected);
  };
}
