import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { envSchemas } from '@/server/env';
import { opsRequestHandler } from '@/server/infra/ops-http';

/**
 * The Kubernetes manifests (deploy/kustomization.yaml + deploy/k8s/) cannot be applied here, so
 * this parses every one and checks what a cluster would only reveal at run time: each process gets
 * every variable its schema needs, probes ask paths the process serves on the port it listens on,
 * services, autoscalers and disruption budgets select what exists, nginx gets its configuration.
 */
// biome-ignore lint/suspicious/noExplicitAny: manifests are free-form YAML, checked field by field.
type Manifest = Record<string, any>;

const root = join(import.meta.dirname, '..', '..');
const kustomization = parseYaml(readFileSync(join(root, 'deploy/kustomization.yaml'), 'utf8')) as {
  namespace: string;
  resources: string[];
  configMapGenerator: { name: string; files: string[] }[];
};
const manifestFiles = readdirSync(join(root, 'deploy/k8s')).filter((f) => f.endsWith('.yaml'));
const all: (Manifest & { file: string })[] = manifestFiles.flatMap((file) =>
  parseAllDocuments(readFileSync(join(root, 'deploy/k8s', file), 'utf8')).map((doc) => {
    expect(doc.errors, file).toEqual([]);
    return { ...(doc.toJS() as Manifest), file };
  }),
);
const applied = all.filter((m) => kustomization.resources.includes(`k8s/${m.file}`));
const byKind = (kind: string) => applied.filter((m) => m.kind === kind);
const named = (kind: string, name: string) => byKind(kind).find((m) => m.metadata.name === name);
const config = named('ConfigMap', 'opendispatch-config')!.data as Record<string, string>;
const secretTemplate = all.find((m) => m.kind === 'Secret' && m.metadata.name === 'opendispatch-secrets')!;

const processes = ['web', 'realtime', 'workers'] as const;
const entry = { web: 'server/web/main.ts', realtime: 'server/realtime/main.ts', workers: 'workers/main.ts' };
const healthPath = { web: '/api/health', realtime: '/health', workers: '/health' };

/** Does the process answer `path`? web: a route file; the others: their ops handler, asked. */
function serves(process: (typeof processes)[number], path: string): boolean {
  if (process === 'web') return existsSync(join(root, 'app', path, 'route.ts'));
  const handler = opsRequestHandler({
    health: async () => ({ ok: true, service: process, checks: {} }),
    metrics: new Registry(),
  });
  let status = 0;
  const res = {
    writeHead(code: number) {
      status = code;
      return this;
    },
    end() {},
  } as unknown as ServerResponse;
  handler({ url: path } as IncomingMessage, res);
  return status !== 404;
}

function container(name: string): Manifest {
  const deployment = named('Deployment', name);
  expect(deployment, `Deployment ${name}`).toBeDefined();
  return deployment!.spec.template.spec.containers[0];
}

function portNumber(c: Manifest, port: string | number): number {
  return typeof port === 'number' ? port : c.ports.find((p: Manifest) => p.name === port)?.containerPort;
}

describe('Kubernetes manifests', () => {
  it('parse, and the kustomization names files that exist', () => {
    expect(all.length).toBeGreaterThan(10);
    for (const m of all) expect(m.apiVersion && m.kind && m.metadata?.name, m.file).toBeTruthy();
    for (const r of kustomization.resources) expect(existsSync(join(root, 'deploy', r)), r).toBe(true);
    for (const g of kustomization.configMapGenerator) {
      for (const f of g.files) expect(existsSync(join(root, 'deploy', f.split('=').at(-1)!)), f).toBe(true);
    }
    // The secret is a template the kustomization never applies, and holds no secret.
    expect(kustomization.resources).not.toContain('k8s/secret.example.yaml');
    for (const value of Object.values(secretTemplate.stringData as Record<string, string>)) {
      expect(value).toContain('CHANGE-ME');
    }
  });

  it.each(processes)('gives %s every variable its environment schema reads', (name) => {
    const c = container(name);
    const given = new Set<string>((c.env ?? []).map((e: Manifest) => e.name));
    for (const from of c.envFrom ?? []) {
      if (from.configMapRef) {
        expect(from.configMapRef.name).toBe('opendispatch-config');
        for (const key of Object.keys(config)) given.add(key);
      }
      if (from.secretRef) {
        expect(from.secretRef.name).toBe(secretTemplate.metadata.name);
        for (const key of Object.keys(secretTemplate.stringData)) given.add(key);
      }
    }
    const required = Object.entries(envSchemas[name].shape)
      .filter(([, field]) => (field as z.ZodType).safeParse(undefined).data !== undefined)
      .map(([key]) => key);
    expect(required.filter((key) => !given.has(key))).toEqual([]);
    // And the values given pass the schema (production secrets excepted: they are placeholders).
    const values = { ...config, ...secretTemplate.stringData, APP_ENV: 'test' };
    const parsed = envSchemas[name].safeParse(values);
    const problems = parsed.success
      ? []
      : parsed.error.issues.map((i) => i.path.join('.')).filter((k) => !(k in secretTemplate.stringData));
    expect(problems).toEqual([]);
  });

  it.each(processes)(
    'runs %s from its entry point and probes paths it serves on the port it listens on',
    (name) => {
      const c = container(name);
      expect(c.command.join(' ')).toContain(entry[name]);
      const listens =
        name === 'web'
          ? Number(c.command[c.command.indexOf('--port') + 1])
          : Number(config[name === 'realtime' ? 'REALTIME_PORT' : 'WORKERS_PORT']);
      expect(c.ports.map((p: Manifest) => p.containerPort)).toContain(listens);
      expect(c.readinessProbe.httpGet.path).toBe(healthPath[name]);
      for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
        const get = c[probe]?.httpGet;
        expect(get, `${name} ${probe}`).toBeDefined();
        expect(portNumber(c, get.port), `${name} ${probe} port`).toBe(listens);
        expect(serves(name, get.path), `${name} serves ${get.path}`).toBe(true);
      }
      // Prometheus' pod discovery scrapes the port and path these annotations name.
      const scrape = named('Deployment', name)!.spec.template.metadata.annotations;
      expect(scrape['prometheus.io/scrape']).toBe('true');
      expect(Number(scrape['prometheus.io/port'])).toBe(listens);
      expect(serves(name, scrape['prometheus.io/path']), `${name} serves its metrics path`).toBe(true);
    },
  );

  it('stops gracefully: longer grace than the 25 s shutdown deadline, unprivileged containers', () => {
    for (const name of processes) {
      const pod = named('Deployment', name)!.spec.template.spec;
      const preStop = pod.containers[0].lifecycle?.preStop?.exec?.command ?? [];
      const preStopS = preStop[0] === 'sleep' ? Number(preStop[1]) : 0;
      expect(pod.terminationGracePeriodSeconds - preStopS, name).toBeGreaterThanOrEqual(30);
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.containers[0].securityContext.allowPrivilegeEscalation).toBe(false);
    }
  });

  it('selects existing pods from every Service, autoscaler and disruption budget', () => {
    const deployments = byKind('Deployment');
    const labelsOf = (name: string) =>
      deployments.find((d) => d.metadata.name === name)?.spec.template.metadata.labels;
    const matches = (selector: Record<string, string>) =>
      deployments.filter((d) =>
        Object.entries(selector).every(([k, v]) => d.spec.template.metadata.labels?.[k] === v),
      );
    for (const s of byKind('Service')) {
      const [target] = matches(s.spec.selector);
      expect(target, `Service ${s.metadata.name}`).toBeDefined();
      const c = target!.spec.template.spec.containers[0];
      for (const p of s.spec.ports)
        expect(portNumber(c, p.targetPort), `${s.metadata.name}:${p.port}`).toBeTruthy();
    }
    expect(
      byKind('HorizontalPodAutoscaler')
        .map((h) => h.spec.scaleTargetRef.name)
        .sort(),
    ).toEqual(['realtime', 'web']);
    for (const h of byKind('HorizontalPodAutoscaler')) {
      expect(labelsOf(h.spec.scaleTargetRef.name)).toBeDefined();
      expect(h.spec.minReplicas).toBeGreaterThanOrEqual(2);
      // CPU utilisation needs requests to measure against.
      expect(container(h.spec.scaleTargetRef.name).resources.requests.cpu).toBeDefined();
    }
    const budgets = byKind('PodDisruptionBudget');
    for (const name of [...processes, 'nginx']) {
      expect(
        budgets.some((b) => matches(b.spec.selector.matchLabels).some((d) => d.metadata.name === name)),
        `PodDisruptionBudget for ${name}`,
      ).toBe(true);
    }
  });

  it('gives nginx the shared site template, every variable it uses, and real upstreams', () => {
    const pod = named('Deployment', 'nginx')!.spec.template.spec;
    const c = pod.containers[0];
    const env = Object.fromEntries(c.env.map((e: Manifest) => [e.name, e.value])) as Record<string, string>;
    const generator = kustomization.configMapGenerator.find((g) => g.name === 'nginx-config')!;
    const keys = generator.files.map((f) => f.split('=')[0]);
    const template = readFileSync(join(root, 'deploy/nginx/templates/opendispatch.conf.template'), 'utf8');
    const needed = [...new Set([...template.matchAll(/\$\{([A-Z][A-Z0-9_]*)\}/g)].map((m) => m[1]!))];
    expect(needed.filter((v) => !(v in env))).toEqual([]);
    const configVolume = pod.volumes.find((v: Manifest) => v.configMap?.name === 'nginx-config');
    const mounted = c.volumeMounts.filter((m: Manifest) => m.name === configVolume.name);
    expect(mounted.map((m: Manifest) => m.subPath).sort()).toEqual([...keys].sort());
    expect(mounted.map((m: Manifest) => m.mountPath)).toContain(
      '/etc/nginx/templates/opendispatch.conf.template',
    );
    // nginx's resolver does not use search domains: upstreams are full names in our namespace.
    for (const [variable, service] of [
      ['WEB_SERVERS', 'web'],
      ['REALTIME_SERVERS', 'realtime'],
    ] as const) {
      const port = named('Service', service)!.spec.ports[0].port;
      expect(env[variable]).toContain(
        `server ${service}.${kustomization.namespace}.svc.cluster.local:${port} resolve`,
      );
    }
    expect(portNumber(c, c.readinessProbe.httpGet.port)).toBe(Number(env.HTTP_LISTEN));
    expect(template).toContain('location = /nginx-health');
    expect(pod.volumes.find((v: Manifest) => v.secret)?.secret.secretName).toBe('opendispatch-tls');
  });

  it('serves pages and sockets from one HTTPS origin', () => {
    const origin = config.NEXTAUTH_URL!;
    expect(origin).toMatch(/^https:\/\//);
    expect(config.PUBLIC_REALTIME_URL).toBe(origin);
    expect(config.REALTIME_CORS_ORIGINS!.split(',')).toContain(origin);
    const nginxEnv = named('Deployment', 'nginx')!.spec.template.spec.containers[0].env as Manifest[];
    expect(nginxEnv.find((e) => e.name === 'SERVER_NAME')?.value).toBe(new URL(origin).hostname);
  });
});
