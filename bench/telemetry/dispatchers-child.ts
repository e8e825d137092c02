import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, LiveDriver, ServerToClientEvents } from '@/domain/realtime-contract';
import { Histogram } from '../lib/histogram';
import { runChild } from './child';

/**
 * Dispatchers watching parts of the city. Each update received is timed from the driver's
 * device time (`at`, stamped by the load generator when it sent the ping; same machine clock) to
 * arrival: the end-to-end latency driver → realtime → Kafka → realtime → dispatcher socket.
 */
export interface DispatchersConfig {
  realtimeUrl: string;
  /** One socket token (user tokens of dispatcher accounts) and the cells it watches, per dispatcher. */
  dispatchers: { token: string; cells: string[] }[];
  /** Drivers whose newest sequence number `sample` answers (the overload phase's freshness probe). */
  sampleIds: string[];
}

export interface DispatchersReport {
  frames: number;
  updates: number;
  latency: ReturnType<Histogram['snapshot']>;
  /** Highest sequence number seen per driver id (over all dispatchers). */
  latestSeq: Record<string, number>;
  measuringMs: number;
}

type DispatcherSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

void runChild<DispatchersConfig>(async (config) => {
  const latency = new Histogram();
  const latestSeq = new Map<string, number>();
  let frames = 0;
  let updates = 0;
  let measuring = false;
  let startedAt = 0;
  const sockets: DispatcherSocket[] = [];

  const onFrame = (frame: { drivers: LiveDriver[] }) => {
    const now = Date.now();
    frames++;
    for (const d of frame.drivers) {
      if (d.seq === undefined || d.at === undefined) continue;
      if ((latestSeq.get(d.driverId) ?? 0) < d.seq) latestSeq.set(d.driverId, d.seq);
      if (!measuring) continue;
      updates++;
      latency.record(Math.max(0, now - d.at));
    }
  };

  for (const d of config.dispatchers) {
    const socket: DispatcherSocket = io(config.realtimeUrl, {
      transports: ['websocket'],
      auth: { token: d.token },
      forceNew: true,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    socket.on('drivers:moved', onFrame);
    const answer = await socket.emitWithAck('ops:watch', { cells: d.cells });
    if (!answer.ok) throw new Error(`ops:watch refused: ${answer.error.message}`);
    sockets.push(socket);
  }

  return {
    detail: { dispatchers: sockets.length },
    start() {
      measuring = true;
      startedAt = performance.now();
    },
    stop() {
      measuring = false;
      for (const s of sockets) s.disconnect();
    },
    progress() {
      return { frames };
    },
    sample(): number[] {
      return config.sampleIds.map((id) => latestSeq.get(id) ?? 0);
    },
    report(): DispatchersReport {
      return {
        frames,
        updates,
        latency: latency.snapshot(),
        latestSeq: Object.fromEntries(latestSeq),
        measuringMs: performance.now() - startedAt,
      };
    },
  };
});
