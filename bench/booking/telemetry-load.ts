import { gridDisk, latLngToCell } from 'h3-js';
import { defaultPresencePolicy } from '@/domain/driver-availability';
import { viewportResolution } from '@/domain/realtime-contract';
import { seededRandom } from '@/domain/seeded-random';
import type { StackEnv } from '@/scripts/lib/environments';
import { LiveIndex } from '@/server/adapters/live-index';
import type { Redis } from '@/server/infra/redis';
import { Histogram } from '../lib/histogram';
import { dispatcherTokens } from '../telemetry/bench-stack';
import { BenchChild } from '../telemetry/child';
import type { DispatchersReport } from '../telemetry/dispatchers-child';
import { benchFleet, randomPointInCity } from '../telemetry/fleet';
import type { GatewaysReport } from '../telemetry/gateways-child';

/**
 * The telemetry scenario's load, reused as background for bookings: its seeded fleet put on duty
 * in the live index, its gateway sockets sending every driver's position every 4 s, its
 * dispatchers watching parts of the city (the same children, bench/telemetry/*-child.ts, with
 * the same settings), at `updatesPerS` (drivers = updatesPerS × 4).
 */
export interface TelemetryLoad {
  gateways: BenchChild;
  dispatchers: BenchChild;
  /** Begin the measured window (dispatchers time updates from here). */
  mark(): Promise<void>;
  /** Updates acknowledged per second and dispatcher latency since `mark`. */
  measure(): Promise<{ updatesPerS: number; p50Ms: number; p99Ms: number; superseded: number }>;
  stop(): Promise<void>;
}

const periodMs = 4_000;

export async function startTelemetryLoad(options: {
  stack: StackEnv;
  redis: Redis;
  updatesPerS: number;
  /** Longest the load may run, for the gateways' per-driver bookkeeping. */
  maxSeconds: number;
  quick: boolean;
  seed: number;
}): Promise<TelemetryLoad> {
  const { stack } = options;
  const drivers = Math.round((options.updatesPerS * periodMs) / 1000);
  const fleet = benchFleet(drivers, options.seed);
  const index = new LiveIndex(options.redis, {
    prefix: stack.env.REDIS_PREFIX!,
    presence: defaultPresencePolicy,
  });
  for (let start = 0; start < fleet.length; start += 2_000) {
    await index.setStates(
      fleet.slice(start, start + 2_000).map((d) => ({
        driverId: d.id,
        version: 1,
        state: 'available',
        sessionId: d.sessionId,
        vehicleTypeId: d.vehicleTypeId,
        vehicleId: null,
        at: Date.now(),
      })),
    );
  }
  const realtimeUrl = `http://127.0.0.1:${stack.ports.realtime}`;
  const random = seededRandom(options.seed + 7);
  const viewports = Array.from({ length: options.quick ? 4 : 10 }, () => {
    const p = randomPointInCity(random);
    return gridDisk(latLngToCell(p.lat, p.lng, viewportResolution), 1);
  });
  const tokens = await dispatcherTokens(stack, viewports.length);
  const dispatchers = new BenchChild('./dispatchers-child.ts', {
    realtimeUrl,
    dispatchers: viewports.map((cells, i) => ({ token: tokens[i]!, cells })),
    sampleIds: [],
  });
  const gateways = new BenchChild('./gateways-child.ts', {
    realtimeUrl,
    secret: stack.env.SOCKET_TOKEN_SECRET!,
    drivers,
    seed: options.seed,
    gateways: options.quick ? 4 : 20,
    periodMs,
    maxPings: Math.ceil((options.maxSeconds * 1000) / periodMs) + 4,
    maxInFlight: 32,
    sampleEvery: 1_000,
  });
  try {
    await Promise.all([dispatchers.ready(), gateways.ready()]);
  } catch (error) {
    await Promise.all([dispatchers.close(), gateways.close()]);
    throw error;
  }
  await gateways.call('start');

  let before: GatewaysReport | null = null;
  let markedAt = 0;
  return {
    gateways,
    dispatchers,
    async mark() {
      before = await gateways.call<GatewaysReport>('report');
      markedAt = performance.now();
      await dispatchers.call('start');
    },
    async measure() {
      const now = await gateways.call<GatewaysReport>('report');
      const seconds = (performance.now() - markedAt) / 1000;
      const seen = await dispatchers.call<DispatchersReport>('report');
      const latency = Histogram.fromSnapshot(seen.latency).summary();
      return {
        updatesPerS: (now.acked - (before?.acked ?? 0)) / seconds,
        p50Ms: latency.p50,
        p99Ms: latency.p99,
        superseded: now.superseded - (before?.superseded ?? 0),
      };
    },
    async stop() {
      await gateways.call('stop').catch(() => undefined);
      await Promise.all([gateways.close(), dispatchers.close()]);
    },
  };
}
