'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef } from 'react';
import { type BookingView, type Quote, useTRPC } from '../trpc';
import { humanError } from '../ui/human-error';
import { randomUuid } from '../ui/random-uuid';

/** A booking request that got no answer is sent again this many times, with the same key. */
const maxNetworkRetries = 2;

/**
 * Books a quote with an idempotency key per booking attempt. The key is made on the first click
 * for a quote and kept until the server says yes, so a double click, a retry after a network
 * failure or a slow answer can never book twice: the server answers every repeat with the same
 * booking. That is what makes it safe to retry by itself when a request got no answer (it may
 * have booked: the answer can be lost on the way back). A new quote (a different request body)
 * starts a new attempt, since the server refuses an old key with a new body.
 */
export function useBookTrip(onBooked: (booking: BookingView) => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const attempt = useRef<{ key: string; token: string } | null>(null);
  const inFlight = useRef(false);
  const create = useMutation(
    trpc.booking.create.mutationOptions({
      // Only when the server never answered; an answer (even a refusal) is final.
      retry: (failures, error) => failures < maxNetworkRetries && humanError(error).code === 'NETWORK',
      retryDelay: (failures) => 500 * 3 ** failures,
      onSuccess: ({ booking }) => {
        attempt.current = null;
        void queryClient.invalidateQueries({ queryKey: trpc.booking.mine.queryKey() });
        onBooked(booking);
      },
      // Whatever failed, a trip may exist (an answer lost on the way, one booked in another tab):
      // reloading the rider's bookings lets the page follow it instead of offering to book again.
      onError: () => void queryClient.invalidateQueries({ queryKey: trpc.booking.mine.queryKey() }),
      onSettled: () => {
        inFlight.current = false;
      },
    }),
  );

  const book = useCallback(
    (quote: Quote, labels: { pickupLabel: string | null; dropoffLabel: string | null }) => {
      // Two clicks in the same frame both reach here before React re-renders a disabled button.
      if (inFlight.current) return;
      inFlight.current = true;
      if (attempt.current?.token !== quote.token) attempt.current = { key: randomUuid(), token: quote.token };
      create.mutate({ quoteToken: quote.token, idempotencyKey: attempt.current.key, ...labels });
    },
    [create],
  );

  return {
    book,
    pending: create.isPending,
    error: create.error ? humanError(create.error) : null,
    reset: create.reset,
  };
}
