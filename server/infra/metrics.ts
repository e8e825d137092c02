import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * One Prometheus registry per process, with Node's default metrics (CPU, memory, event-loop lag,
 * GC) and a `service` label, served at /metrics.
 */
export function createRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: 'od_' });
  return registry;
}
