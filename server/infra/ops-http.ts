import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { HealthReport } from './health';

/**
 * The operational endpoints every non-Next process serves: `/health` (readiness: 200, or 503
 * naming the failing checks), `/health/live` (liveness) and `/metrics` (Prometheus text format).
 */
export function opsRequestHandler(options: { health: () => Promise<HealthReport>; metrics: Registry }) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    // Liveness: the event loop answers. Readiness (/health) also needs the dependencies.
    if (path === '/health/live') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
      return;
    }
    if (path === '/health') {
      void options.health().then((report) => {
        res.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify(report));
      });
      return;
    }
    if (path === '/metrics') {
      void options.metrics.metrics().then((text) => {
        res.writeHead(200, { 'content-type': options.metrics.contentType });
        res.end(text);
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"not found"}');
  };
}
