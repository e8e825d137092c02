import { describe, expect, it } from 'vitest';
import { apiRouteOf } from '@/server/web/api-door';

describe('apiRouteOf: which paths the API door answers before Next', () => {
  it('takes tRPC, REST, the OpenAPI document, health and metrics', () => {
    for (const path of [
      '/api/trpc/me',
      '/api/trpc/booking.create,booking.get',
      '/api/v1/booking/create',
      '/api/openapi.json',
      '/api/health',
      '/api/metrics',
    ])
      expect(apiRouteOf(path), path).not.toBeNull();
  });

  it('leaves pages, next-auth, the analytics export and static files to Next', () => {
    for (const path of [
      '/',
      '/rider',
      '/api/auth/session',
      '/api/auth/callback/credentials',
      '/api/analytics/export',
      '/api/trpc',
      '/api/healthz',
      '/sw.js',
      '/_next/static/chunks/app.js',
    ])
      expect(apiRouteOf(path), path).toBeNull();
  });

  it('never refuses the probes for load: only tRPC, REST and OpenAPI pass admission control', () => {
    expect(apiRouteOf('/api/health')!.admitted).toBe(false);
    expect(apiRouteOf('/api/metrics')!.admitted).toBe(false);
    expect(apiRouteOf('/api/trpc/me')!.admitted).toBe(true);
    expect(apiRouteOf('/api/v1/me')!.admitted).toBe(true);
  });
});
