import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { travelEstimatorFor } from '../adapters/city-roads';
import { onShutdown } from '../infra/shutdown';
import { createAdmission } from './admission';
import { createApiDoor } from './api-door';
import { initWebDeps } from './deps';

/**
 * The web process: one Node HTTP server that answers the API (tRPC, REST, OpenAPI, health,
 * metrics) through the lean API door and hands everything else (pages, next-auth, static files)
 * to Next.js (docs/decisions/0015). `--dev` runs Next's dev server (hot reload) behind the same
 * door; `--dir` is the Next project (a production build's directory, default the repository).
 */
const { values } = parseArgs({
  options: {
    dev: { type: 'boolean', default: false },
    // The API door alone, without Next (every other path 404): the "own process behind nginx"
    // layout, kept runnable so the benchmark can compare it with the custom server (ADR 0015).
    'api-only': { type: 'boolean', default: false },
    dir: { type: 'string', default: '.' },
    port: { type: 'string', default: process.env.PORT ?? '3000' },
    // Unset: every interface, IPv4 and IPv6 (as `next start`).
    host: { type: 'string', default: process.env.HOST },
  },
});
const dev = values.dev;
const port = Number(values.port);
// As `next start` / `next dev` do, before Next (or React) is loaded.
(process.env as Record<string, string>).NODE_ENV ??= dev ? 'development' : 'production';

const deps = initWebDeps((env) => ({ estimator: travelEstimatorFor(env.TRAVEL_ESTIMATOR) }));
const { logger, env } = deps;
const admission = createAdmission(
  { maxInFlight: env.WEB_MAX_IN_FLIGHT, maxEventLoopDelayMs: env.WEB_MAX_EVENT_LOOP_DELAY_MS },
  deps.registry,
);
const door = createApiDoor(deps, admission);

const server = createServer({ keepAliveTimeout: 65_000 });
const app = values['api-only'] ? null : await startNext();
const notFound = Buffer.from(
  JSON.stringify({ error: { code: 'NOT_FOUND', message: 'No API route here', field: null } }),
);

server.on('request', (req, res) => {
  if (door(req, res)) return;
  if (!app) {
    res.writeHead(404, { 'content-type': 'application/json', 'content-length': notFound.byteLength });
    res.end(notFound);
    return;
  }
  app.handle(req, res).catch((error: unknown) => {
    logger.error({ err: error, path: req.url }, 'next request failed');
    if (!res.headersSent) res.statusCode = 500;
    res.end();
  });
});

async function startNext() {
  const { default: next } = await import('next');
  const nextApp = next({
    dev,
    dir: resolve(values.dir),
    hostname: values.host ?? 'localhost',
    port,
    httpServer: server,
  });
  const handle = nextApp.getRequestHandler();
  await nextApp.prepare();
  if (dev) {
    // Next's hot reload talks over a WebSocket upgrade.
    const upgrade = nextApp.getUpgradeHandler();
    server.on('upgrade', (req, socket, head) => void upgrade(req, socket, head));
  }
  return { handle, close: () => nextApp.close() };
}
server.listen(port, values.host, () => {
  logger.info(
    {
      port,
      host: values.host,
      dev,
      apiOnly: values['api-only'],
      maxInFlight: env.WEB_MAX_IN_FLIGHT,
      maxLoopDelayMs: env.WEB_MAX_EVENT_LOOP_DELAY_MS,
    },
    'web listening',
  );
});

onShutdown(logger, async () => {
  // Stop accepting, let in-flight requests finish (idle keep-alive sockets are closed as they go idle).
  const closed = new Promise<void>((done) => server.close(() => done()));
  const idle = setInterval(() => server.closeIdleConnections(), 100);
  await closed;
  clearInterval(idle);
  admission.stop();
  await app?.close();
  await Promise.allSettled([deps.postgres.pool.end(), deps.redis.quit()]);
});
