'use client';
import { useEffect, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@/domain/realtime-contract';
import { useTRPCClient } from '../trpc';

export type RealtimeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'signed_out';

/**
 * One authenticated Socket.IO connection for the page. Every (re)connection attempt mints a
 * fresh short-lived token, so an expired token only costs a reconnect, and a revoked session
 * ends in `signed_out` instead of a reconnect loop.
 */
export function useRealtimeSocket(): { socket: RealtimeSocket | null; status: ConnectionStatus } {
  const client = useTRPCClient();
  const [socket, setSocket] = useState<RealtimeSocket | null>(null);
  const [status, setStatus] = useState<ConnectionStatus>('connecting');

  useEffect(() => {
    let disposed = false;
    let current: RealtimeSocket | null = null;
    const mint = () => client.realtime.token.mutate();

    mint()
      .then((first) => {
        if (disposed) return;
        let pending: typeof first | null = first;
        current = io(first.url, {
          transports: ['websocket'],
          reconnectionDelay: 500,
          reconnectionDelayMax: 5_000,
          auth: (cb) => {
            const ready = pending ? Promise.resolve(pending) : mint();
            pending = null;
            ready.then(
              (t) => cb({ token: t.token }),
              () => {
                setStatus('signed_out');
                current?.disconnect();
              },
            );
          },
        });
        const s = current;
        s.on('connect', () => setStatus('connected'));
        s.on('disconnect', (reason) => {
          setStatus('reconnecting');
          // The server closed us (token expired): Socket.IO does not retry that by itself.
          if (reason === 'io server disconnect' && !disposed) setTimeout(() => s.connect(), 250);
        });
        s.on('session:ended', ({ reason }) => {
          if (reason === 'session_revoked') {
            setStatus('signed_out');
            s.disconnect();
          }
        });
        s.on('connect_error', () => setStatus('reconnecting'));
        setSocket(s);
      })
      .catch(() => !disposed && setStatus('signed_out'));

    return () => {
      disposed = true;
      current?.disconnect();
    };
  }, [client]);

  return { socket, status };
}
