import type { WebDeps } from './deps';
import { refusal } from './problem';

/**
 * Prometheus scrape endpoint of this web instance. With METRICS_TOKEN set, scrapers must send it
 * as a bearer token (the web port faces the internet; realtime and workers serve /metrics on ops
 * ports that do not).
 */
export async function metricsResponse(request: Request, deps: WebDeps): Promise<Response> {
  const token = deps.env.METRICS_TOKEN;
  if (token && request.headers.get('authorization') !== `Bearer ${token}`) {
    return refusal('UNAUTHENTICATED', 'metrics need the scrape token', { codes: 'http' });
  }
  return new Response(await deps.registry.metrics(), {
    headers: { 'content-type': deps.registry.contentType },
  });
}
