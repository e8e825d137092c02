import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { latLngSchema } from '@/domain/geo';
import { nearestToken } from '@/server/infra/nearest-token';
import { nearestLimits } from '@/server/services/location/find-nearest-drivers';
import type { NearestSource } from '@/server/services/ports';

/** The query web (and the scale-out test) asks a dispatching process: `GET /nearest?…`. */
export const nearestHttpQuerySchema = z.object({
  lat: z.coerce.number().pipe(latLngSchema.shape.lat),
  lng: z.coerce.number().pipe(latLngSchema.shape.lng),
  vehicleTypeId: z.string().min(1).max(40),
  k: z.coerce.number().int().min(1).max(nearestLimits.maxK),
  maxRadiusM: z.coerce.number().min(1).max(nearestLimits.maxRadiusM),
  nowMs: z.coerce.number().int().min(0),
});

/**
 * Serves `/nearest` from this process's in-memory index; returns false for any other path (the
 * ops handler answers those). Bad input is a 400 naming the field.
 */
export function nearestHttpHandler(options: { source: NearestSource; secret: string }) {
  const expected = Buffer.from(nearestToken(options.secret));
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? '/', 'http://workers');
    if (url.pathname !== '/nearest') return false;
    const token = Buffer.from(String(req.headers['x-nearest-token'] ?? ''));
    if (token.length !== expected.length || !timingSafeEqual(token, expected)) {
      send(res, 401, { error: 'x-nearest-token missing or wrong' });
      return true;
    }
    const parsed = nearestHttpQuerySchema.safeParse(Object.fromEntries(url.searchParams));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      send(res, 400, { error: `${issue.path.join('.')}: ${issue.message}`, field: issue.path.join('.') });
      return true;
    }
    void Promise.resolve(options.source.nearest(parsed.data)).then(
      (result) => send(res, 200, result),
      () => send(res, 503, { error: 'nearest-driver index unavailable' }),
    );
    return true;
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
