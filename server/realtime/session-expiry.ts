import type { RealtimeSocket } from './types';

/**
 * Ends a socket when its token expires. The client reconnects with a fresh token, which is
 * only minted while the auth session is open: that is how revocation reaches open sockets.
 */
export function endAtTokenExpiry(socket: RealtimeSocket, nowMs: number): void {
  const delay = Math.max(0, socket.data.principal.expiresAt - nowMs);
  const timer = setTimeout(() => {
    socket.emit('session:ended', { reason: 'token_expired' });
    socket.disconnect(true);
  }, delay);
  socket.once('disconnect', () => clearTimeout(timer));
}
