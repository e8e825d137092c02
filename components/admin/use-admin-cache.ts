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
  return useCallback(
    () => queryClient.invalidateQueries({ queryKey: trpc.admin.pathKey() }),
    [queryClient, trpc],
  );
}
