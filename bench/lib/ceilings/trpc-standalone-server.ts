/**
 * Child process of the trpcStandalonePerS ceiling: tRPC 11's standalone adapter serving one
 * trivial query (`me`, answering null: no session, no I/O) on a free port, which it sends to its
 * parent. What tRPC's own request handling costs once no framework sits in front of it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { initTRPC } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';

const t = initTRPC.create();
const router = t.router({ me: t.procedure.query(() => null) });
const server = createServer(createHTTPHandler({ router, basePath: '/api/trpc/' }));
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => process.exit(0));
