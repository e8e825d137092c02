import type { NearestQuery, NearestResult } from '../adapters/live-index';
import type { Logger } from '../infra/logger';
import { nearestToken } from '../infra/nearest-token';
import type { NearestSource } from '../services/ports';

/**
 * Web's nearest-driver questions (dispatchers' "nearest", riders' "cars near you") asked of a
 * dispatching process's in-memory index over its internal port (ADR 0018): web stays stateless
 * and Kafka-free. If the workers cannot answer in time, the Redis live index answers instead
 * (same results, slower), so a workers restart never fails a rider's screen.
 */
export function nearestFromWorkers(options: {
  url: string;
  secret: string;
  fallback: NearestSource;
  logger: Logger;
  timeoutMs?: number;
}): NearestSource {
  const headers = { 'x-nearest-token': nearestToken(options.secret) };
  const base = options.url.replace(/\/$/, '');
  return {
    async nearest(query: NearestQuery): Promise<NearestResult> {
      const params = new URLSearchParams({
        lat: String(query.lat),
        lng: String(query.lng),
        vehicleTypeId: query.vehicleTypeId,
        k: String(query.k),
        maxRadiusM: String(query.maxRadiusM),
        nowMs: String(query.nowMs),
      });
      try {
        const response = await fetch(`${base}/nearest?${params}`, {
          headers,
          signal: AbortSignal.timeout(options.timeoutMs ?? 500),
        });
        if (response.ok) return (await response.json()) as NearestResult;
        options.logger.warn(
          { status: response.status },
          'workers refused a nearest-driver query; asking Redis',
        );
      } catch (err) {
        options.logger.warn({ err }, 'workers did not answer a nearest-driver query; asking Redis');
      }
      return options.fallback.nearest(query);
    },
  };
}
