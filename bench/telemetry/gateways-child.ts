import { io, type Socket } from 'socket.io-client';
import { haversineMeters, offsetMeters } from '@/domain/geo';
import { locationLimits } from '@/domain/location';
import type {
  Ack,
  ClientToServerEvents,
  GatewayBatchResult,
  ServerToClientEvents,
} from '@/domain/realtime-contract';
import { seededRandom } from '@/domain/seeded-random';
import { signServiceToken } from '@/server/auth/socket-token';
import { Histogram } from '../lib/histogram';
import { runChild } from './child';
import { benchCentre, benchFleet, benchHalfSideM } from './fleet';

/**
 * Load generator: N simulated drivers, each sending one position every `periodMs` (phases spread
 * evenly), relayed by G gateway sockets in messages of up to 100 drivers, each message acked by
 * realtime after Kafka acknowledged it. Records, per driver, which sequence numbers were sent and
 * which acknowledged (bitmaps), so the parent can account for every ping at every hop.
 */
export interface GatewaysConfig {
  realtimeUrl: string;
  secret: string;
  drivers: number;
  seed: number;
  gateways: number;
  periodMs: number;
  maxPings: number;
  /** Messages a gateway may have waiting for an ack; beyond it the generator falls behind. */
  maxInFlight: number;
}

export interface GatewaysReport {
  attempted: number;
  acked: number;
  failed: number;
  skippedBehind: number;
  dropped: Record<string, number>;
  ackLatency: ReturnType<Histogram['snapshot']>;
  sendingMs: number;
  /** Per driver, bit i set = seq i+1 acknowledged / attempted. */
  ackedBits: Uint8Array[];
  attemptedBits: Uint8Array[];
  lastSeq: Uint32Array;
}

type GatewaySocket = Socket<ServerToClientEvents, ClientToServerEvents>;
const slotMs = 50;

void runChild<GatewaysConfig>(async (config) => {
  const fleet = benchFleet(config.drivers, config.seed);
  const random = seededRandom(config.seed + 1);
  const bytes = Math.ceil(config.maxPings / 8);
  const ackedBits = fleet.map(() => new Uint8Array(bytes));
  const attemptedBits = fleet.map(() => new Uint8Array(bytes));
  const lastSeq = new Uint32Array(fleet.length);
  const position = fleet.map((d) => ({ ...d.start }));
  const heading = fleet.map(() => random() * 2 * Math.PI);
  const latency = new Histogram();
  const dropped: Record<string, number> = {};
  let attempted = 0;
  let acked = 0;
  let failed = 0;
  let skippedBehind = 0;

  const sockets: GatewaySocket[] = [];
  for (let g = 0; g < config.gateways; g++) {
    const { token } = await signServiceToken(`bench-${g}`, config.secret, Date.now(), 3_600);
    const socket: GatewaySocket = io(config.realtimeUrl, {
      transports: ['websocket'],
      auth: { token },
      forceNew: true,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    sockets.push(socket);
  }
  const inFlight = new Array<number>(config.gateways).fill(0);

  const slots = Math.round(config.periodMs / slotMs);
  // Driver i pings in slot (i mod slots): the load is even, not a burst every period.
  const bySlot: number[][] = Array.from({ length: slots }, () => []);
  for (let i = 0; i < fleet.length; i++) bySlot[i % slots]!.push(i);

  const setBit = (bits: Uint8Array, seq: number) => {
    bits[(seq - 1) >> 3]! |= 1 << ((seq - 1) & 7);
  };

  const move = (i: number) => {
    const stepM = 40 + random() * 20; // 10–15 m/s over 4 s: a city driver, inside every filter
    heading[i]! += (random() - 0.5) * 0.6;
    let next = offsetMeters(position[i]!, Math.cos(heading[i]!) * stepM, Math.sin(heading[i]!) * stepM);
    if (haversineMeters(next, benchCentre) > benchHalfSideM) {
      heading[i]! += Math.PI;
      next = offsetMeters(position[i]!, Math.cos(heading[i]!) * stepM, Math.sin(heading[i]!) * stepM);
    }
    position[i] = next;
  };

  let timer: NodeJS.Timeout | null = null;
  let slot = 0;
  let started = 0;
  let stopped = 0;

  const tick = () => {
    const due = bySlot[slot]!;
    slot = (slot + 1) % slots;
    const byGateway: number[][] = Array.from({ length: config.gateways }, () => []);
    for (const i of due) byGateway[i % config.gateways]!.push(i);
    byGateway.forEach((indexes, g) => {
      for (let start = 0; start < indexes.length; start += locationLimits.maxGatewayDrivers) {
        const chunk = indexes.slice(start, start + locationLimits.maxGatewayDrivers);
        if (inFlight[g]! >= config.maxInFlight) {
          skippedBehind += chunk.length;
          continue;
        }
        const now = Date.now();
        const drivers = chunk.flatMap((i) => {
          if (lastSeq[i]! >= config.maxPings) return [];
          move(i);
          const seq = ++lastSeq[i]!;
          setBit(attemptedBits[i]!, seq);
          attempted++;
          const d = fleet[i]!;
          return [
            {
              driverId: d.id,
              sessionId: d.sessionId,
              pings: [{ seq, at: now, ...position[i]!, accuracyM: 8 }],
            },
          ];
        });
        if (drivers.length === 0) continue;
        inFlight[g]!++;
        const sentAt = performance.now();
        sockets[g]!.timeout(30_000).emit(
          'location:gateway-batch',
          { drivers },
          (error: Error | null, answer: Ack<GatewayBatchResult>) => {
            inFlight[g]!--;
            if (error || !answer.ok) {
              failed += drivers.length;
              return;
            }
            latency.record(performance.now() - sentAt);
            answer.results.forEach((r, k) => {
              const i = chunk[k]!;
              const seq = drivers[k]!.pings[0]!.seq;
              const reason = r.dropped[0]?.reason;
              if (reason === undefined || reason === 'duplicate') {
                setBit(ackedBits[i]!, seq);
                acked++;
              } else dropped[reason] = (dropped[reason] ?? 0) + 1;
            });
          },
        );
      }
    });
  };

  return {
    detail: { gateways: sockets.length },
    start() {
      started = performance.now();
      timer = setInterval(tick, slotMs);
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      stopped = performance.now();
      // Wait for the last acks.
      const deadline = Date.now() + 30_000;
      while (inFlight.some((n) => n > 0) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      for (const s of sockets) s.disconnect();
    },
    report(): GatewaysReport {
      return {
        attempted,
        acked,
        failed,
        skippedBehind,
        dropped,
        ackLatency: latency.snapshot(),
        sendingMs: (stopped || performance.now()) - started,
        ackedBits,
        attemptedBits,
        lastSeq,
      };
    },
  };
});
