'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LocationPing } from '@/domain/location';
import type { LocationBatchResult } from '@/domain/realtime-contract';
import { type RealtimeSocket, useRealtimeSocket } from '../realtime/use-realtime-socket';
import { useTRPC } from '../trpc';
import { DriverWork } from './DriverWork';
import { LocationOutbox } from './location-outbox';
import { useGeolocation } from './use-geolocation';
import { useWakeLock } from './use-wake-lock';

const pingIntervalMs = 4_000;
const staleAfterMs = 30_000;
const ackTimeoutMs = 8_000;

const actionLabels: Record<string, string> = {
  go_online: 'Go online',
  go_offline: 'Go offline',
  pause: 'Pause requests',
  resume: 'Resume requests',
};

const browserStorage = {
  load: (key: string) => window.localStorage.getItem(key),
  save: (key: string, value: string) => window.localStorage.setItem(key, value),
};

function sendWith(socket: RealtimeSocket) {
  return (sessionId: string, pings: LocationPing[]) =>
    socket.timeout(ackTimeoutMs).emitWithAck('location:batch', { sessionId, pings });
}

export function DriverConsole() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const consoleQuery = useQuery(trpc.driver.console.queryOptions());
  const change = useMutation(
    trpc.driver.setAvailability.mutationOptions({
      onSuccess: (data) => queryClient.setQueryData(trpc.driver.console.queryKey(), data),
    }),
  );
  const { socket, status: connection } = useRealtimeSocket();
  const info = consoleQuery.data;
  const onDuty = !!info && info.state !== 'offline';
  const gps = useGeolocation(onDuty);
  useWakeLock(onDuty);

  const sessionId = info?.sessionId ?? null;
  // One durable queue per duty session; sequence numbers restart with each session.
  const outbox = useMemo(
    () => (sessionId ? new LocationOutbox(sessionId, browserStorage) : null),
    [sessionId],
  );
  const lastPingAt = useRef(0);
  const [lastAck, setLastAck] = useState<{ at: number; result: LocationBatchResult } | null>(null);
  const [pending, setPending] = useState(0);
  const [now, setNow] = useState(() => Date.now());

  const flush = useCallback(async () => {
    if (!outbox || !socket?.connected) return;
    const results = await outbox.flush(sendWith(socket));
    const last = results[results.length - 1];
    if (last) setLastAck({ at: Date.now(), result: last });
    setPending(outbox.pendingCount);
  }, [socket, outbox]);

  // Every few seconds: turn the newest fix into a ping and send what is queued.
  useEffect(() => {
    if (!onDuty) return;
    const tick = () => {
      setNow(Date.now());
      const fix = gps.latest();
      if (outbox && fix && fix.at > lastPingAt.current) {
        lastPingAt.current = fix.at;
        outbox.add(fix);
        setPending(outbox.pendingCount);
      }
      void flush();
    };
    const id = setInterval(tick, pingIntervalMs);
    tick();
    return () => clearInterval(id);
  }, [onDuty, flush, outbox, gps.latest]);

  // The PWA's service worker: installable, and the shell opens without a network.
  useEffect(() => {
    if ('serviceWorker' in navigator) void navigator.serviceWorker.register('/sw.js').catch(() => undefined);
  }, []);

  // After a reconnect, whatever was not acknowledged goes out at once.
  useEffect(() => {
    if (!socket) return;
    const onConnect = () => void flush();
    socket.on('connect', onConnect);
    return () => {
      socket.off('connect', onConnect);
    };
  }, [socket, flush]);

  if (consoleQuery.isLoading) return <p>Loading…</p>;
  if (consoleQuery.error || !info)
    return <p className="error">{consoleQuery.error?.message ?? 'Unavailable'}</p>;

  const fixAge = gps.fix ? now - gps.fix.at : null;
  const positionStale = onDuty && (fixAge === null || fixAge > staleAfterMs) && gps.status !== 'waiting';

  return (
    <div className="driver-app">
      <DriverWork socket={socket} position={gps.fix} />
      <section className="card">
        <h1>{info.name}</h1>
        <dl className="status-grid">
          <dt>Status</dt>
          <dd>
            <span className="badge" data-state={info.state} data-testid="driver-state">
              {info.state.replace('_', ' ')}
            </span>
          </dd>
          <dt>Vehicle</dt>
          <dd>{info.vehicle ? `${info.vehicle.description} · ${info.vehicle.plate}` : 'None assigned'}</dd>
          <dt>Connection</dt>
          <dd data-testid="connection-status">{connection}</dd>
          <dt>GPS</dt>
          <dd data-testid="gps-status">
            {gps.status}
            {gps.fix ? ` · ±${Math.round(gps.fix.accuracyM)} m` : ''}
          </dd>
          <dt>Positions</dt>
          <dd data-testid="position-stats">
            sent up to #{lastAck?.result.lastSeq ?? '–'} · {pending} waiting
          </dd>
        </dl>
        {positionStale ? (
          <p className="warning" role="alert" data-testid="stale-warning">
            Your position is not updating{gps.status === 'denied' ? ': location permission is off' : ''}.
            Dispatch cannot see you.
          </p>
        ) : null}
        {change.error ? (
          <p className="error" role="alert">
            {change.error.message}
          </p>
        ) : null}
      </section>
      {info.actions.map((action) => (
        <button
          key={action}
          type="button"
          className={`button duty-toggle ${action === 'go_online' ? 'primary' : action === 'go_offline' ? 'danger' : ''}`}
          disabled={change.isPending}
          onClick={() => change.mutate({ event: action as 'go_online' | 'go_offline' | 'pause' | 'resume' })}
        >
          {actionLabels[action] ?? action}
        </button>
      ))}
    </div>
  );
}
