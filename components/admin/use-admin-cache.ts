'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTRPC } from '../trpc';

/**
 * After any admin change, every admin query is refetched: a vehicle assignment changes the
 * drivers table too, a new type the vehicles form. Admin traffic is small; staleness is worse.
 */
export function useRefreshAdmin(): () => Promise<void> {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback(async () => {
    const queryKey = trpc.admin.pathKey();
    // A fetch already in flight (e.g. a search that applied a moment before the change) read the
    // old rows; for a query with no data yet, invalidating would join that fetch instead of
    // starting a new one, and the table would show the old rows as fresh. Cancel, then refetch.
    await queryClient.cancelQueries({ queryKey });
    await queryClient.invalidateQueries({ queryKey });
  }, [queryClient, trpc]);
}
