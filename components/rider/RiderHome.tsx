'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { isTerminal } from '@/domain/booking';
import { useTRPC } from '../trpc';
import { LiveTrip } from './LiveTrip';
import { NearbyCars } from './NearbyCars';
import { TripPlanner } from './TripPlanner';
import { emptyDraft, type TripDraft } from './trip-draft';
import './rider.css';

/**
 * The rider's page: a trip under way is followed live (also after a reload: `booking.mine`
 * finds it); otherwise the planner. A finished trip stays on screen until the rider closes it.
 */
export function RiderHome({ name }: { name: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const mine = useQuery(trpc.booking.mine.queryOptions());
  const [followed, setFollowed] = useState<string | null>(null);
  const [closed, setClosed] = useState<ReadonlySet<string>>(new Set());
  const [draft, setDraft] = useState<{ key: number; value: TripDraft }>({ key: 0, value: emptyDraft });

  const underWay = mine.data?.find((b) => !isTerminal(b.status) && !closed.has(b.id))?.id ?? null;
  const active = followed ?? underWay;
  const close = (next: TripDraft) => {
    if (active) setClosed((s) => new Set(s).add(active));
    setFollowed(null);
    setDraft((d) => ({ key: d.key + 1, value: next }));
    void queryClient.invalidateQueries({ queryKey: trpc.booking.mine.queryKey() });
  };

  if (mine.isLoading) return <p>Loading…</p>;
  return (
    <div className="rider-app" data-testid="rider-home">
      <h1>Hello, {name}</h1>
      {mine.error ? (
        <p className="error" role="alert">
          {mine.error.message}
        </p>
      ) : null}
      {active ? (
        <LiveTrip key={active} bookingId={active} onClose={() => close(emptyDraft)} onRetry={close} />
      ) : (
        <>
          <TripPlanner key={draft.key} initial={draft.value} onBooked={(b) => setFollowed(b.id)} />
          <NearbyCars />
        </>
      )}
    </div>
  );
}
