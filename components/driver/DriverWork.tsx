'use client';
import { useCallback } from 'react';
import type { LatLng } from '@/domain/geo';
import type { RealtimeSocket } from '../realtime/use-realtime-socket';
import { OfferCard } from './OfferCard';
import { TripPanel } from './TripPanel';
import { useDriverWork } from './use-driver-work';
import './driver-work.css';

/** The offer ringing and the trip under way, above the duty controls. */
export function DriverWork({ socket, position }: { socket: RealtimeSocket | null; position: LatLng | null }) {
  const work = useDriverWork(socket);
  const { offer, trip, expire } = work;
  const offerId = offer?.bookingId ?? null;
  const onExpired = useCallback(() => {
    if (offerId) expire(offerId);
  }, [offerId, expire]);
  return (
    <>
      {work.notice ? (
        <p className="driver-notice" role="status" data-testid="driver-notice">
          {work.notice}
        </p>
      ) : null}
      {work.loadError ? (
        <p className="error" role="alert">
          {work.loadError}
        </p>
      ) : null}
      {offer ? (
        <OfferCard
          key={offer.bookingId}
          offer={offer}
          position={position}
          busy={work.respond.isPending}
          onAnswer={(accept) => work.respond.mutate({ bookingId: offer.bookingId, accept })}
          onExpired={onExpired}
        />
      ) : null}
      {trip ? (
        <TripPanel
          key={trip.id}
          trip={trip}
          busy={work.tripAction.isPending}
          onAction={(input) => work.tripAction.mutate({ bookingId: trip.id, ...input })}
        />
      ) : null}
    </>
  );
}
