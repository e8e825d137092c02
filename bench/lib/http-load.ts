/**
 * Load-generator child (run by load-child.ts): keeps `concurrency` keep-alive HTTP/1.1
 * connections each with one GET in flight, and counts responses. Usage (by fork only):
 *   http-load.ts <port> <concurrency> [path] [header: value]…
 *
 * Raw sockets and a minimal response parser instead of node:http's client, for the same reason
 * autocannon does it: the client's own cost would otherwise dominate on 2 cores and we would
 * measure the load generator, not the server. It understands Content-Length and chunked
 * responses without trailers (a bare node:http server sends the first, Next.js route handlers
 * the second), and counts non-2xx answers apart so a refused request is not taken for a served one.
 */
import { connect, type Socket } from 'node:net';
import { failToParent, serveParent } from './load-protocol';

const port = Number(process.argv[2]);
const concurrency = Number(process.argv[3]);
const path = process.argv[4] ?? '/';
const extraHeaders = process.argv.slice(5).map((h) => `${h}\r\n`);
const request = Buffer.from(
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: keep-alive\r\n${extraHeaders.join('')}\r\n`,
);
let completed = 0;
let notOk = 0;
let running = false;

/** Where the response starting at 0 ends (headers end at `headerEnd`), or -1 if not all here yet. */
function responseEnd(pending: string, headerEnd: number): number {
  const head = pending.slice(0, headerEnd);
  const length = /content-length:\s*(\d+)/i.exec(head);
  if (length) {
    const end = headerEnd + 4 + Number(length[1]);
    return pending.length < end ? -1 : end;
  }
  if (!/transfer-encoding:\s*chunked/i.test(head)) throw new Error('http-load: response without a length');
  let at = headerEnd + 4;
  for (;;) {
    const lineEnd = pending.indexOf('\r\n', at);
    if (lineEnd < 0) return -1;
    const size = Number.parseInt(pending.slice(at, lineEnd), 16);
    if (size === 0) return pending.length < lineEnd + 4 ? -1 : lineEnd + 4;
    at = lineEnd + 2 + size + 2;
    if (pending.length < at) return -1;
  }
}

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
        const end = responseEnd(pending, headerEnd);
        if (end < 0) return;
        if (!pending.startsWith('HTTP/1.1 2')) notOk++;
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
    failed: () => notOk,
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
