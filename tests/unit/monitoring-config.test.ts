import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * The monitoring files name metrics by string; a renamed metric would silently blank a panel or
 * mute an alert. Every od_* metric they use must be declared in the code.
 */
const root = join(import.meta.dirname, '..', '..');
const monitoring = join(root, 'deploy', 'monitoring');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const declared = new Set(
  [...sourceFiles(join(root, 'server')), ...sourceFiles(join(root, 'workers'))].flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/name: '(od_[a-z0-9_]+)'/g)].map((m) => m[1]!),
  ),
);
// prom-client's default metrics, registered with the od_ prefix (server/infra/metrics.ts).
const defaults = /^od_(process|nodejs)_/;

function metricsIn(expr: string): string[] {
  return [...expr.matchAll(/\b(od_[a-z0-9_]+)/g)].map((m) => m[1]!.replace(/_(bucket|count|sum)$/, ''));
}

describe('monitoring configuration', () => {
  it('alerts only on declared metrics, each alert with a summary and a runbook', () => {
    const rules = parse(readFileSync(join(monitoring, 'alerts.yml'), 'utf8')) as {
      groups: { rules: { alert: string; expr: string; annotations: Record<string, string> }[] }[];
    };
    const all = rules.groups.flatMap((g) => g.rules);
    expect(all.length).toBeGreaterThanOrEqual(5);
    for (const rule of all) {
      expect(rule.annotations.summary, rule.alert).toBeTruthy();
      expect(rule.annotations.runbook, rule.alert).toMatch(/^docs\/operations\.md#/);
      for (const metric of metricsIn(rule.expr))
        expect(declared.has(metric), `${rule.alert}: ${metric}`).toBe(true);
    }
  });

  it('draws only declared metrics on the dashboard', () => {
    const dashboard = JSON.parse(readFileSync(join(monitoring, 'grafana-dashboard.json'), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    for (const panel of dashboard.panels) {
      for (const target of panel.targets) {
        for (const metric of metricsIn(target.expr)) {
          expect(declared.has(metric) || defaults.test(metric), `${panel.title}: ${metric}`).toBe(true);
        }
      }
    }
  });

  it('scrapes every app process on its metrics path, with the alert rules loaded', () => {
    const config = parse(readFileSync(join(monitoring, 'prometheus.yml'), 'utf8')) as {
      rule_files: string[];
      scrape_configs: { job_name: string; metrics_path: string }[];
    };
    expect(config.rule_files).toContain('alerts.yml');
    expect(Object.fromEntries(config.scrape_configs.map((j) => [j.job_name, j.metrics_path]))).toEqual({
      web: '/api/metrics',
      realtime: '/metrics',
      workers: '/metrics',
    });
  });
});
