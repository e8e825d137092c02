import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LoadChild } from '../load-child';
import { type CeilingOptions, type CeilingResult, defaultDurationMs, measureLoadChild } from './common';

const concurrency = 32;
const body = Buffer.from(JSON.stringify({ ok: true, service: 'bench' }));

/**
 * Requests per second a bare node:http server answers with a tiny JSON body, under keep-alive
 * load from a child process (32 connections, one request in flight on each): the most any HTTP
 * endpoint in Node can do on this machine before routing, validation or tRPC add their cost.
 */
export async function bareHttpPerS(options: CeilingOptions = {}): Promise<CeilingResult> {
  const durationMs = options.durationMs ?? defaultDurationMs;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
  const child = new LoadChild('./http-load.ts', [String(port), String(concurrency)]);
  try {
    await child.ready();
    child.start();
    const { perS, serverPct, clientPct } = await measureLoadChild(child, durationMs);
    return {
      perS,
      note: `${concurrency} keep-alive connections; server ${serverPct.toFixed(0)} % CPU, client ${clientPct.toFixed(0)} % CPU`,
    };
  } finally {
    await child.stop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
