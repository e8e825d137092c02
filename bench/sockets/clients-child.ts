import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, LiveDriver, ServerToClientEvents } from '@/domain/realtime-contract';
import { Histogram } from '../lib/histogram';
import { runChild } from '../telemetry/child';

/**
 * Many Socket.IO clients in one process, each watching one viewport cell, counting the frames
 * (messages) delivered and timing each from the server's send time and from the newest driver
 * position's time (both on this machine's clock).
 */
export interface ClientsConfig {
  realtimeUrl: string;
  tokens: string[];
  cells: string[];
  clients: number;
  /** Index of this child's first client, so cells spread the same way across children. */
  offset: number;
  connectPerS: number;
}

export interface ClientsReport {
  connected: number;
  messages: number;
  latency: ReturnType<Histogram['snapshot']>;
  endToEnd: ReturnType<Histogram['snapshot']>;
  measuringMs: number;
}

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

void runChild<ClientsConfig>(async (config) => {
  const sockets: ClientSocket[] = [];
  const latency = new Histogram();
  const endToEnd = new Histogram();
  let messages = 0;
  let measuring = false;
  let startedAt = 0;

  const onFrame = (frame: { drivers: LiveDriver[]; sentAt: number }) => {
    if (!measuring) return;
    const now = Date.now();
    messages++;
    latency.record(Math.max(0, now - frame.sentAt));
    let newest = 0;
    for (const d of frame.drivers) if ((d.at ?? 0) > newest) newest = d.at!;
    if (newest) endToEnd.record(Math.max(0, now - newest));
  };

  const batch = Math.max(1, Math.round(config.connectPerS / 10));
  for (let i = 0; i < config.clients; i += batch) {
    const started = Date.now();
    await Promise.all(
      Array.from({ length: Math.min(batch, config.clients - i) }, async (_, k) => {
        const n = config.offset + i + k;
        const socket: ClientSocket = io(config.realtimeUrl, {
          transports: ['websocket'],
          auth: { token: config.tokens[n % config.tokens.length]! },
          forceNew: true,
          reconnection: false,
        });
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', () => resolve());
          socket.once('connect_error', reject);
        });
        socket.on('drivers:moved', onFrame);
        const answer = await socket.emitWithAck('ops:watch', {
          cells: [config.cells[n % config.cells.length]!],
        });
        if (!answer.ok) throw new Error(`ops:watch refused: ${answer.error.message}`);
        sockets.push(socket);
      }),
    );
    const spent = Date.now() - started;
    if (spent < 100) await new Promise((r) => setTimeout(r, 100 - spent));
  }

  return {
    detail: { connected: sockets.length },
    start() {
      measuring = true;
      startedAt = performance.now();
    },
    stop() {
      measuring = false;
      for (const s of sockets) s.disconnect();
    },
    report(): ClientsReport {
      return {
        connected: sockets.filter((s) => s.connected).length,
        messages,
        latency: latency.snapshot(),
        endToEnd: endToEnd.snapshot(),
        measuringMs: performance.now() - startedAt,
      };
    },
  };
});
