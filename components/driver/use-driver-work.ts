'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import type { BookingUpdate, OfferView } from '@/domain/realtime-contract';
import type { RealtimeSocket } from '../realtime/use-realtime-socket';
import { type BookingView, useTRPC } from '../trpc';
import { formatMoney } from '../ui/format';
import { humanError } from '../ui/human-error';

/** The offer card's data, from a pushed `offer:new` or from `driver.work` after a reload. */
function offerFromView(view: BookingView): OfferView | null {
  if (view.offerExpiresAt === null) return null;
  return {
    bookingId: view.id,
    expiresAt: view.offerExpiresAt,
    pickup: view.pickup,
    dropoff: view.dropoff,
    fareTotal: view.fare.total,
    currency: view.currency,
    vehicleTypeId: view.vehicleTypeId,
    pickupDistanceM: null,
  };
}

/**
 * The driver's work: the offer ringing and the trip under way. `driver.work` is the truth after a
 * load or a (re)connection; between those, `offer:new` (acknowledged at once: an offer not taken
 * within seconds goes to the next driver), `offer:withdrawn` and the trip's `booking:updated`
 * keep it current. Offers answered, withdrawn or run out here never come back from a stale read.
 */
export function useDriverWork(socket: RealtimeSocket | null) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const work = useQuery(trpc.driver.work.queryOptions());
  const [pushed, setPushed] = useState<OfferView | null>(null);
  const [gone, setGone] = useState<ReadonlySet<string>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  const forget = useCallback((bookingId: string) => setGone((s) => new Set(s).add(bookingId)), []);

  const refresh = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: trpc.driver.work.queryKey() });
    // The availability state moves with offers and trips (offered, en route, on trip).
    void queryClient.invalidateQueries({ queryKey: trpc.driver.console.queryKey() });
  }, [queryClient, trpc]);

  useEffect(() => {
    if (!socket) return;
    const onOffer = (offer: OfferView, ack: (r: { received: true }) => void) => {
      ack({ received: true });
      setPushed(offer);
      setNotice(null);
      refresh();
    };
    const onWithdrawn = ({ bookingId, reason }: { bookingId: string; reason: string }) => {
      forget(bookingId);
      setNotice(`Offer withdrawn: ${reason.toLowerCase()}`);
      refresh();
    };
    socket.on('offer:new', onOffer);
    socket.on('offer:withdrawn', onWithdrawn);
    socket.on('connect', refresh);
    return () => {
      socket.off('offer:new', onOffer);
      socket.off('offer:withdrawn', onWithdrawn);
      socket.off('connect', refresh);
    };
  }, [socket, refresh, forget]);

  // Follow the trip's booking room: a rider who cancels, or dispatch, moves it on.
  const tripId = work.data?.trip?.id ?? null;
  useEffect(() => {
    if (!socket || !tripId) return;
    const watch = () => socket.emit('booking:watch', { bookingId: tripId }, () => refresh());
    const onUpdate = (update: BookingUpdate) => {
      if (update.bookingId !== tripId) return;
      if (update.event === 'rider_cancelled') setNotice('The rider cancelled this trip');
      refresh();
    };
    socket.on('connect', watch);
    socket.on('booking:updated', onUpdate);
    if (socket.connected) watch();
    return () => {
      socket.off('connect', watch);
      socket.off('booking:updated', onUpdate);
    };
  }, [socket, tripId, refresh]);

  const respond = useMutation(
    trpc.driver.respondToOffer.mutationOptions({
      onSuccess: (trip, input) => {
        forget(input.bookingId);
        if (trip) queryClient.setQueryData(trpc.driver.work.queryKey(), { offer: null, trip });
        setNotice(input.accept ? null : 'Offer declined');
        refresh();
      },
      onError: (error, input) => {
        forget(input.bookingId);
        setNotice(humanError(error).message);
        refresh();
      },
    }),
  );
  const tripAction = useMutation(
    trpc.driver.tripAction.mutationOptions({
      onSuccess: (trip, input) => {
        if (input.action === 'complete' && trip)
          setNotice(`Trip completed · collect ${formatMoney(trip.fare.total, trip.currency)}`);
        if (input.action === 'cancel') setNotice('Trip cancelled');
        refresh();
      },
      onError: (error) => {
        setNotice(humanError(error).message);
        refresh();
      },
    }),
  );

  const offer =
    [pushed, work.data?.offer ? offerFromView(work.data.offer) : null].find(
      (o): o is OfferView => !!o && !gone.has(o.bookingId),
    ) ?? null;
  return {
    offer,
    trip: work.data?.trip ?? null,
    loadError: work.error ? humanError(work.error).message : null,
    notice,
    respond,
    tripAction,
    /** The card ran out on this phone before any answer: it goes, and dispatch moves on by itself. */
    expire: (bookingId: string) => {
      forget(bookingId);
      setNotice('The offer expired');
    },
  };
}
