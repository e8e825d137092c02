/**
 * Load-generator child (run by load-child.ts): keeps `concurrency` keep-alive HTTP/1.1
 * connections each with one GET in flight, and counts responses. Usage (by fork only):
 *   http-load.ts <port> <concurrency>
 *
 * Raw sockets and a minimal response parser instead of node:http's client, for the same reason
 * autocannon does it: the client's own cost would otherwise dominate on 2 cores and we would
 * measure the load generator, not the server. It only understands Content-Length responses,
 * which is all the bare server it is aimed at sends.
 */
import { connect, type Socket } from 'node:net';
import { failToParent, serveParent } from './load-protocol';

const port = Number(process.argv[2]);
const concurrency = Number(process.argv[3]);
const request = Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: keep-alive\r\n\r\n`);
let completed = 0;
let running = false;

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.setNoDelay(true);
    socket.once('error', reject);
    let pending = '';
    socket.on('data', (chunk) => {
      pending += chunk.toString('latin1');
      // Consume every complete response in the buffer; answer each with the next request.
      for (;;) {
        const headerEnd = pending.indexOf('\r\n\r\n');
        if (headerEnd < 0) return;
        const length = /content-length:\s*(\d+)/i.exec(pending.slice(0, headerEnd));
        if (!length) throw new Error('http-load: response without Content-Length');
        const end = headerEnd + 4 + Number(length[1]);
        if (pending.length < end) return;
        pending = pending.slice(end);
        completed++;
        if (running) socket.write(request);
      }
    });
  });
}

try {
  const sockets = await Promise.all(Array.from({ length: concurrency }, open));
  serveParent({
    count: () => completed,
    start: () => {
      running = true;
      for (const socket of sockets) socket.write(request);
    },
    stop: async () => {
      running = false;
      for (const socket of sockets) socket.destroy();
    },
  });
  process.send?.({ type: 'ready', detail: { connections: sockets.length } });
} catch (error) {
  failToParent(error);
}
