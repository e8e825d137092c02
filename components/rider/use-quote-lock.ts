'use client';
import { useMutation } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { type RouterInputs, useTRPC } from '../trpc';
import { humanError } from '../ui/human-error';
import { useNow } from '../ui/use-now';

export type QuoteRequest = RouterInputs['pricing']['quote'];

/** An idle page re-quotes on its own this many times in a row, then waits for a click. */
const maxAutoRequotes = 3;

/**
 * A fare quote and its price lock. The server signs the price for a few minutes (`expiresAt`);
 * when the lock runs out the same trip is quoted again, so the price on screen is always one the
 * server will honour.
 */
export function useQuoteLock() {
  const trpc = useTRPC();
  const quote = useMutation(trpc.pricing.quote.mutationOptions());
  const lastRequest = useRef<QuoteRequest | null>(null);
  const autoLeft = useRef(maxAutoRequotes);
  const [previousTotal, setPreviousTotal] = useState<number | null>(null);
  const now = useNow(1_000, !!quote.data);
  const remainingMs = quote.data ? quote.data.expiresAt - now : 0;
  const expired = !!quote.data && remainingMs <= 0;

  const run = useCallback(
    (request: QuoteRequest) => {
      lastRequest.current = request;
      quote.mutate(request);
    },
    [quote],
  );

  /** A quote the rider asked for. */
  const request = useCallback(
    (request: QuoteRequest) => {
      autoLeft.current = maxAutoRequotes;
      setPreviousTotal(null);
      run(request);
    },
    [run],
  );

  /** The same trip again (the lock expired): remembers the old total to say if the price moved. */
  const refresh = useCallback(() => {
    if (!lastRequest.current) return;
    setPreviousTotal(quote.data?.fare.total ?? null);
    run(lastRequest.current);
  }, [quote.data, run]);

  const clear = useCallback(() => {
    lastRequest.current = null;
    setPreviousTotal(null);
    quote.reset();
  }, [quote]);

  useEffect(() => {
    if (!expired || quote.isPending || autoLeft.current <= 0) return;
    autoLeft.current--;
    refresh();
  }, [expired, quote.isPending, refresh]);

  return {
    quote: quote.data ?? null,
    pending: quote.isPending,
    error: quote.error ? humanError(quote.error) : null,
    remainingMs,
    expired,
    /** The total before the last refresh, when it differs from the current one. */
    priceChangedFrom:
      previousTotal !== null && quote.data && previousTotal !== quote.data.fare.total ? previousTotal : null,
    request,
    refresh,
    clear,
  };
}
