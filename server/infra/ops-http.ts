import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HealthReport } from './health';

/** The operational endpoints every non-Next process serves: `/health` (200 or 503 with the failing checks). */
export function opsRequestHandler(options: { health: () => Promise<HealthReport> }) {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/health') {
      void options.health().then((report) => {
        res.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify(report));
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"not found"}');
  };
}
