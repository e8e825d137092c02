import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as yieldToIo } from 'node:timers/promises';
import { Server as SocketIoServer } from 'socket.io';
import { WebSocket, WebSocketServer } from 'ws';
import { LoadChild } from '../load-child';
import { type CeilingOptions, type CeilingResult, defaultDurationMs, measureLoadChild } from './common';

const defaultClients = 1_000;
/** Deliveries allowed in flight per client: bounds memory, large enough never to starve the server. */
const windowPerClient = 32;

/** A ~150-byte drivers:moved-like JSON message, fresh each round like a real broadcast. */
function message(seq: number): string {
  return JSON.stringify({
    t: 'drivers:moved',
    seq,
    ts: Date.now(),
    d: [{ id: '5b0e7c1e-8d7a-4c1e-9a57-2f0c3c1d9e4a', lat: 12.97161, lng: 77.59461, s: 'available', v: 12 }],
  });
}

interface FanoutServer {
  url: string;
  connected(): number;
  /** Sends one new message to every client. */
  broadcast(seq: number): void;
  close(): Promise<void>;
}

/**
 * The server (under test) runs in this process, the N clients in a load-generator child on the
 * other core (see load-child.ts). The server sends as fast as it can, but keeps at most
 * `windowPerClient` messages per client not yet counted by the clients, so buffers stay bounded
 * and the figure is a sustained rate, not a burst into kernel buffers.
 */
async function measureFanout(
  kind: 'ws' | 'socket.io',
  server: FanoutServer,
  clients: number,
  durationMs: number,
): Promise<CeilingResult> {
  const child = new LoadChild('./fanout-clients.ts', [kind, server.url, String(clients)]);
  try {
    await child.ready();
    if (server.connected() !== clients)
      throw new Error(`${kind}: ${server.connected()}/${clients} connected`);
    let sent = 0;
    let seq = 0;
    let stopping = false;
    const pump = (async () => {
      while (!stopping) {
        if (sent - child.progress < clients * windowPerClient) {
          server.broadcast(seq++);
          sent += clients;
          await yieldToIo(); // let writes complete and progress reports arrive
        } else await Promise.race([child.nextProgress(), new Promise((r) => setTimeout(r, 50))]);
      }
    })();
    const { perS, serverPct, clientPct } = await measureLoadChild(child, durationMs);
    stopping = true;
    await pump;
    return {
      perS,
      note: `${clients} clients, ${Buffer.byteLength(message(0))} B messages; server ${serverPct.toFixed(0)} % CPU, clients ${clientPct.toFixed(0)} % CPU`,
    };
  } finally {
    await child.stop();
    await server.close();
  }
}

function listen(http: HttpServer): Promise<number> {
  return new Promise((resolve) =>
    http.listen(0, '127.0.0.1', () => resolve((http.address() as AddressInfo).port)),
  );
}

function closeHttp(http: HttpServer): Promise<void> {
  http.closeAllConnections();
  return new Promise((resolve) => http.close(() => resolve()));
}

/** Messages delivered per second at N raw `ws` clients by a raw `ws` server's broadcast loop. */
export async function wsFanoutPerS(
  options: CeilingOptions & { clients?: number } = {},
): Promise<CeilingResult> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  const port = await listen(http);
  const server: FanoutServer = {
    url: `ws://127.0.0.1:${port}`,
    connected: () => wss.clients.size,
    broadcast: (seq) => {
      // Encode once, send the same bytes to everyone: the ws README's broadcast pattern.
      const data = Buffer.from(message(seq));
      for (const client of wss.clients)
        if (client.readyState === WebSocket.OPEN) client.send(data, { binary: false });
    },
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(resolve));
      await closeHttp(http);
    },
  };
  return measureFanout(
    'ws',
    server,
    options.clients ?? defaultClients,
    options.durationMs ?? defaultDurationMs,
  );
}

/** Messages delivered per second at N socket.io-client clients by a Socket.IO room broadcast. */
export async function socketIoFanoutPerS(
  options: CeilingOptions & { clients?: number } = {},
): Promise<CeilingResult> {
  const http = createServer();
  const io = new SocketIoServer(http, { transports: ['websocket'], perMessageDeflate: false });
  io.on('connection', (socket) => void socket.join('all'));
  const port = await listen(http);
  const server: FanoutServer = {
    url: `http://127.0.0.1:${port}`,
    connected: () => io.sockets.adapter.rooms.get('all')?.size ?? 0,
    // The realtime server emits objects; Socket.IO encodes a room broadcast once for all sockets.
    broadcast: (seq) => void io.to('all').emit('m', JSON.parse(message(seq))),
    close: async () => {
      io.disconnectSockets(true);
      await new Promise((resolve) => io.close(resolve));
      await closeHttp(http).catch(() => undefined);
    },
  };
  return measureFanout(
    'socket.io',
    server,
    options.clients ?? defaultClients,
    options.durationMs ?? defaultDurationMs,
  );
}
