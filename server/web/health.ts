import { type HealthReport, healthReport } from '../infra/health';
import { webDeps } from './deps';

export function checkWebHealth(): Promise<HealthReport> {
  const deps = webDeps();
  return healthReport('web', {
    postgres: () => deps.postgres.pool.query('select 1'),
    redis: () => deps.redis.ping(),
  });
}

/**
 * Liveness and readiness: 200 when Postgres and Redis answer, 503 with the failing checks
 * otherwise. This path is public behind nginx, so the answer names the failing check but not its
 * error (driver messages carry internal addresses); the error goes to the log for the operator.
 */
export async function healthResponse(): Promise<Response> {
  const report = await checkWebHealth();
  if (!report.ok) webDeps().logger.warn({ health: report }, 'health check failing');
  const checks = Object.fromEntries(
    Object.entries(report.checks).map(([name, { ok, ms }]) => [name, { ok, ms }]),
  );
  return Response.json({ ...report, checks }, { status: report.ok ? 200 : 503 });
}
