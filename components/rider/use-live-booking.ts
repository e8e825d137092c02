'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BookingUpdate, DriverOnTrip } from '@/domain/realtime-contract';
import type { RealtimeSocket } from '../realtime/use-realtime-socket';
import { type BookingView, useTRPCClient } from '../trpc';
import { type HumanError, humanError } from '../ui/human-error';
import { isNewUpdate, newerPosition, newerView } from './live-booking-state';

type Position = Pick<DriverOnTrip, 'lat' | 'lng' | 'at'>;

/**
 * One booking, live. Subscribes first (`booking:watch`), then loads the booking (`booking.get`),
 * so nothing between the two is missed; every `booking:updated` newer than what is on screen
 * reloads it; a (re)connection subscribes and reloads again, since rooms do not survive a
 * reconnect and events may have been missed meanwhile. The driver's position comes with the
 * booking and then from `booking:driver-location`.
 */
export function useLiveBooking(bookingId: string, socket: RealtimeSocket | null) {
  const client = useTRPCClient();
  const [view, setView] = useState<BookingView | null>(null);
  const [error, setError] = useState<HumanError | null>(null);
  const [lastUpdate, setLastUpdate] = useState<BookingUpdate | null>(null);
  const [driverAt, setDriverAt] = useState<Position | null>(null);
  const known = useRef(0);

  const reload = useCallback(async () => {
    try {
      const fresh = await client.booking.get.query({ bookingId });
      known.current = Math.max(known.current, fresh.version);
      setView((current) => newerView(current, fresh));
      const position = fresh.driverPosition;
      if (position) setDriverAt((current) => newerPosition(current, position));
      setError(null);
    } catch (e) {
      setError(humanError(e));
    }
  }, [client, bookingId]);

  useEffect(() => {
    void reload();
  }, [reload]);

  useEffect(() => {
    if (!socket) return;
    const watch = () =>
      socket.emit('booking:watch', { bookingId }, (answer) => {
        if (!answer.ok) setError({ message: answer.error.message, field: null, code: answer.error.code });
        void reload();
      });
    const onUpdate = (update: BookingUpdate) => {
      if (update.bookingId !== bookingId || !isNewUpdate(known.current, update)) return;
      known.current = update.version;
      setLastUpdate(update);
      void reload();
    };
    const onDriver = (position: DriverOnTrip) => {
      if (position.bookingId === bookingId) setDriverAt((current) => newerPosition(current, position));
    };
    socket.on('connect', watch);
    socket.on('booking:updated', onUpdate);
    socket.on('booking:driver-location', onDriver);
    if (socket.connected) watch();
    return () => {
      socket.off('connect', watch);
      socket.off('booking:updated', onUpdate);
      socket.off('booking:driver-location', onDriver);
    };
  }, [socket, bookingId, reload]);

  return { view, error, lastUpdate, driverAt, reload };
}
