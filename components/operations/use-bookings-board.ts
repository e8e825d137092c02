'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { RealtimeSocket } from '../realtime/use-realtime-socket';
import { useTRPC } from '../trpc';

/** A burst of booking events (a busy minute) reloads the board once per this interval, not per event. */
const coalesceMs = 300;
/** Ages and late scheduled bookings change without events: reload this often anyway. */
const backstopMs = 30_000;

/**
 * The dispatchers' bookings board: `operations.bookings`, reloaded when realtime says a booking
 * changed (`booking:board`) and after a reconnection (events may have been missed). The open
 * audit of a changed booking is reloaded too.
 */
export function useBookingsBoard(socket: RealtimeSocket | null) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const board = useQuery({ ...trpc.operations.bookings.queryOptions(), refetchInterval: backstopMs });

  useEffect(() => {
    if (!socket) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const reloadSoon = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        void queryClient.invalidateQueries({ queryKey: trpc.operations.bookings.queryKey() });
      }, coalesceMs);
    };
    const onChange = ({ bookingId }: { bookingId: string }) => {
      reloadSoon();
      void queryClient.invalidateQueries({ queryKey: trpc.operations.bookingAudit.queryKey({ bookingId }) });
    };
    socket.on('booking:board', onChange);
    socket.on('connect', reloadSoon);
    return () => {
      if (timer) clearTimeout(timer);
      socket.off('booking:board', onChange);
      socket.off('connect', reloadSoon);
    };
  }, [socket, queryClient, trpc]);

  return board;
}
