/**
 * Load-generator child (run by load-child.ts): opens N WebSocket or Socket.IO clients to a
 * fan-out server and counts every message they receive. Usage (by fork only):
 *   fanout-clients.ts <ws|socket.io> <url> <clients>
 */
import { io, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';
import { failToParent, serveParent } from './load-protocol';

const [kind, url, clientsArg] = process.argv.slice(2);
const clients = Number(clientsArg);
let received = 0;

/** Connects in waves so the server's accept backlog (511) never overflows. */
async function inWaves<T>(total: number, wave: number, open: (i: number) => Promise<T>): Promise<T[]> {
  const all: T[] = [];
  for (let i = 0; i < total; i += wave)
    all.push(
      ...(await Promise.all(Array.from({ length: Math.min(wave, total - i) }, (_, j) => open(i + j)))),
    );
  return all;
}

function openWs(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url!, { perMessageDeflate: false });
    socket.on('message', () => {
      received++;
    });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function openSocketIo(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    // forceNew: socket.io-client otherwise multiplexes every io(url) over one shared connection.
    const socket = io(url!, { transports: ['websocket'], forceNew: true, reconnection: false });
    socket.on('m', () => {
      received++;
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

try {
  if (kind !== 'ws' && kind !== 'socket.io') throw new Error(`unknown client kind ${kind}`);
  const sockets =
    kind === 'ws' ? await inWaves(clients, 100, openWs) : await inWaves(clients, 100, openSocketIo);
  serveParent({
    count: () => received,
    stop: async () => {
      for (const socket of sockets) socket instanceof WebSocket ? socket.terminate() : socket.disconnect();
    },
  });
  process.send?.({ type: 'ready', detail: { clients: sockets.length } });
} catch (error) {
  failToParent(error);
}
