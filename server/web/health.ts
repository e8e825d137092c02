import { type HealthReport, healthReport } from '../infra/health';
import { webDeps } from './deps';

export function checkWebHealth(): Promise<HealthReport> {
  const deps = webDeps();
  return healthReport('web', {
    postgres: () => deps.postgres.pool.query('select 1'),
    redis: () => deps.redis.ping(),
  });
}
