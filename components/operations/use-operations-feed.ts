'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DensityFrame } from '@/domain/realtime-contract';
import type { RealtimeSocket } from '../realtime/use-realtime-socket';
import { useTRPCClient } from '../trpc';
import { LiveDriversStore } from './live-drivers-store';

/**
 * Keeps a LiveDriversStore in step with the realtime server for the watched viewport cells:
 * subscribes (and re-subscribes on reconnect or viewport change) with `ops:watch`, whose answer
 * is the snapshot; then applies position frames and state changes; looks up names of new ids.
 * `dirty` tells the view to re-render; it re-renders on its own clock, not per message.
 */
export function useOperationsFeed(socket: RealtimeSocket | null, cells: string[] | null | undefined) {
  const client = useTRPCClient();
  const store = useRef(new LiveDriversStore()).current;
  const dirty = useRef(true);
  const [density, setDensity] = useState<DensityFrame | null>(null);
  const lookingUp = useRef(false);

  const lookUpNames = useCallback(async () => {
    if (lookingUp.current) return;
    const ids = store.unnamed().slice(0, 500);
    if (ids.length === 0) return;
    lookingUp.current = true;
    try {
      store.setNames(await client.operations.driverDirectory.query({ ids }));
      dirty.current = true;
    } finally {
      lookingUp.current = false;
    }
  }, [client, store]);

  const watch = useCallback(() => {
    if (!socket?.connected || cells === undefined) return;
    socket.emit('ops:watch', { cells: cells ?? [] }, (answer) => {
      if (!answer.ok) return;
      store.applySnapshot(answer.drivers, answer.serverTime, Date.now());
      dirty.current = true;
      void lookUpNames();
    });
  }, [socket, cells, store, lookUpNames]);

  useEffect(() => {
    if (!socket) return;
    const onMoved = (frame: { drivers: Parameters<LiveDriversStore['applyFrame']>[0]; sentAt: number }) => {
      if (store.applyFrame(frame.drivers, frame.sentAt, Date.now()).length > 0) void lookUpNames();
      dirty.current = true;
    };
    const onState = (change: Parameters<LiveDriversStore['applyStateChange']>[0]) => {
      store.applyStateChange(change);
      dirty.current = true;
    };
    socket.on('drivers:moved', onMoved);
    socket.on('driver:state', onState);
    socket.on('ops:density', setDensity);
    socket.on('connect', watch);
    return () => {
      socket.off('drivers:moved', onMoved);
      socket.off('driver:state', onState);
      socket.off('ops:density', setDensity);
      socket.off('connect', watch);
    };
  }, [socket, store, watch, lookUpNames]);

  // (Re-)subscribe whenever the watched cells change.
  useEffect(() => watch(), [watch]);

  return { store, dirty, density };
}
