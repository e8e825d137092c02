import type { IncomingMessage, ServerResponse } from 'node:http';
import { openApiResponse } from '../openapi/document';
import { handleRestRequest, restPrefix } from '../openapi/rest-handler';
import { serveTrpc } from '../trpc/http';
import { type Admission, admissionRetryAfterS } from './admission';
import type { WebDeps } from './deps';
import { healthResponse } from './health';
import { metricsResponse } from './metrics-endpoint';
import { requestOf } from './node-request';
import { failureResponse, problemJson } from './problem';
import { sessionUserOf } from './session';
import securityHeaders from './static-security-headers.json';

type Route = (request: Request, deps: WebDeps) => Promise<Response> | Response;

interface ApiRoute {
  serve: Route;
  /** Probes and scrapes are answered even when the door refuses work: they say why. */
  admitted: boolean;
  /** Methods the route takes; tRPC and REST check their own. */
  methods?: readonly string[];
}

const get = ['GET', 'HEAD'] as const;
const routes = {
  trpc: { serve: (r, d) => serveTrpc(r, d, () => sessionUserOf(r, d)), admitted: true },
  rest: { serve: (r, d) => handleRestRequest(r, d, () => sessionUserOf(r, d)), admitted: true },
  openapi: { serve: () => openApiResponse(), admitted: true, methods: get },
  health: { serve: () => healthResponse(), admitted: false, methods: get },
  metrics: { serve: (r, d) => metricsResponse(r, d), admitted: false, methods: get },
} satisfies Record<string, ApiRoute>;

/** The API route of a path, or null when Next serves it (pages, next-auth, static files, the rest of /api). */
export function apiRouteOf(pathname: string): ApiRoute | null {
  if (pathname.startsWith('/api/trpc/')) return routes.trpc;
  if (pathname.startsWith(restPrefix)) return routes.rest;
  if (pathname === '/api/openapi.json') return routes.openapi;
  if (pathname === '/api/health') return routes.health;
  if (pathname === '/api/metrics') return routes.metrics;
  return null;
}

const pathOf = (url: string | undefined) => {
  const path = (url ?? '/').split('?', 1)[0]!;
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
};

/** The answer a refused request gets: written at once, without reading the request at all. */
function writeOverloaded(res: ServerResponse): void {
  const body = JSON.stringify({
    error: {
      code: 'SERVICE_UNAVAILABLE',
      message: 'The service is busy; try again in a moment',
      field: null,
    },
  });
  for (const { key, value } of securityHeaders) res.setHeader(key, value);
  res.writeHead(503, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'retry-after': String(admissionRetryAfterS),
    // Says the request was not read at all, so clients may repeat even a mutation (backoff-fetch.ts).
    'x-od-admission': 'refused',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

async function writeResponse(res: ServerResponse, response: Response, head: boolean): Promise<void> {
  for (const { key, value } of securityHeaders) res.setHeader(key, value);
  for (const [key, value] of response.headers) if (key !== 'set-cookie') res.setHeader(key, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  // Answers here are small JSON documents: one buffer, one write.
  const body = head || !response.body ? null : Buffer.from(await response.arrayBuffer());
  if (body) res.setHeader('content-length', body.byteLength);
  res.statusCode = response.status;
  res.end(body);
}

/**
 * The lean API door: `/api/trpc/*`, `/api/v1/*`, `/api/openapi.json`, `/api/health` and
 * `/api/metrics` answered by plain Node HTTP before Next.js sees them (docs/decisions/0015). The
 * handlers are the ones the Next route files call (same router, context, limits, same-origin rule,
 * body cap, errors); this adds the static security headers Next would set, and admission control.
 * Returns false when the path is not an API route (Next serves it).
 */
export function createApiDoor(deps: WebDeps, admission: Admission) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const route = apiRouteOf(pathOf(req.url));
    if (!route) return false;
    if (route.admitted && admission.enter()) {
      // Nothing of the request is read: the connection is kept alive by draining it.
      req.resume();
      writeOverloaded(res);
      return true;
    }
    void answer(req, res, route).finally(() => {
      if (route.admitted) admission.leave();
    });
    return true;
  };

  async function answer(req: IncomingMessage, res: ServerResponse, route: ApiRoute): Promise<void> {
    const method = req.method ?? 'GET';
    let response: Response;
    try {
      if (route.methods && !route.methods.includes(method)) {
        response = problemJson(
          405,
          { code: 'METHOD_NOT_SUPPORTED', message: `Use ${route.methods.join(' or ')}`, field: null },
          { allow: route.methods.join(', ') },
        );
      } else {
        response = await route.serve(requestOf(req), deps);
      }
    } catch (error) {
      response = failureResponse(error, deps.logger, { path: req.url, method });
    }
    try {
      await writeResponse(res, response, method === 'HEAD');
    } catch (error) {
      deps.logger.warn({ err: error, path: req.url }, 'API answer not written');
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    }
  }
}
