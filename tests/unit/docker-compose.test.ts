import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { z } from 'zod';
import { envSchemas } from '@/server/env';

/**
 * docker-compose.yml and the Dockerfile cannot run on our machines (no Docker engine), so this
 * guards what it can: every backing service and app process is there, scaled out behind nginx,
 * each app process is given every environment variable its schema reads (optional ones
 * excepted), and nginx is given every file and variable its configuration needs.
 */
interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, unknown>;
  deploy?: { replicas?: number };
  ports?: string[];
  volumes?: string[];
  stop_grace_period?: string;
}
const root = join(import.meta.dirname, '..', '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const appProcesses = ['web', 'realtime', 'workers'] as const;

/** The value compose would use when the variable is unset: `${X:-default}` → default. */
function composeDefault(value: unknown): string {
  return String(value).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
}

/** The variables an envsubst template uses (`${NAME}`; nginx's own `$name` are not). */
function templateVariables(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{([A-Z][A-Z0-9_]*)\}/g)].map((m) => m[1]!))];
}

describe('docker-compose.yml', () => {
  it('names the backing services, every app process and nginx', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining([
        'kafka',
        'postgres',
        'redis',
        'web',
        'realtime',
        'workers',
        'sim',
        'migrate',
        'nginx',
        'tls-cert',
      ]),
    );
    expect(compose.services.kafka?.image).toMatch(/^apache\/kafka:4\./);
    expect(compose.services.nginx?.image).toMatch(/^nginx:/);
  });

  it.each(Object.entries(envSchemas))(
    'gives %s every variable its environment schema reads',
    (process, schema) => {
      const service = compose.services[process];
      expect(service, `service ${process}`).toBeDefined();
      const given = Object.keys(service?.environment ?? {});
      // Everything the process reads, except variables that are optional with no default (INSTANCE_ID).
      const required = Object.entries(schema.shape)
        .filter(([, field]) => (field as z.ZodType).safeParse(undefined).data !== undefined)
        .map(([key]) => key);
      expect(required.length).toBeGreaterThan(5);
      expect(given.sort()).toEqual(expect.arrayContaining(required.sort()));
    },
  );

  it('starts each app process with its own entry point', () => {
    expect(compose.services.realtime?.command).toContain('server/realtime/main.ts');
    expect(compose.services.workers?.command).toContain('workers/main.ts');
    expect(compose.services.sim?.command).toContain('server/sim/main.ts');
    expect(compose.services.web?.command?.join(' ')).toContain('server/web/main.ts');
  });

  it('runs two web and two realtime instances, reachable only through nginx', () => {
    expect(compose.services.web?.deploy?.replicas).toBe(2);
    expect(compose.services.realtime?.deploy?.replicas).toBe(2);
    expect(compose.services.workers?.deploy?.replicas).toBeGreaterThanOrEqual(1);
    for (const name of [...appProcesses, 'postgres', 'redis', 'kafka']) {
      expect(compose.services[name]?.ports, `${name} publishes no host port`).toBeUndefined();
    }
    expect(compose.services.nginx?.ports?.map(composeDefault)).toEqual(['8443:443', '8080:80']);
  });

  it('gives the browser one HTTPS origin for pages and sockets', () => {
    const web = compose.services.web!.environment!;
    const origin = composeDefault(web.NEXTAUTH_URL);
    expect(origin).toMatch(/^https:\/\//);
    expect(composeDefault(web.PUBLIC_REALTIME_URL)).toBe(origin);
    expect(composeDefault(compose.services.realtime!.environment!.REALTIME_CORS_ORIGINS)).toBe(origin);
    expect(new URL(origin).port).toBe(composeDefault(compose.services.nginx!.environment!.HTTPS_PUBLIC_PORT));
  });

  it('gives nginx every file and variable its configuration needs', () => {
    const nginx = compose.services.nginx!;
    const mounts = (nginx.volumes ?? []).map((v) => v.split(':'));
    for (const [source] of [
      ...mounts,
      ...(compose.services['tls-cert']?.volumes ?? []).map((v) => v.split(':')),
    ]) {
      if (source!.startsWith('./')) expect(existsSync(join(root, source!)), source).toBe(true);
    }
    const templatesDir = mounts.find(([, target]) => target === '/etc/nginx/templates')?.[0];
    expect(templatesDir).toBe('./deploy/nginx/templates');
    const templates = readdirSync(join(root, templatesDir!)).filter((f) => f.endsWith('.template'));
    expect(templates).toEqual(['opendispatch.conf.template']);
    const needed = templateVariables(readFileSync(join(root, templatesDir!, templates[0]!), 'utf8'));
    expect(needed.length).toBeGreaterThan(5);
    expect(Object.keys(nginx.environment ?? {}).sort()).toEqual(expect.arrayContaining(needed.sort()));
    // The main file includes what the image renders from that template.
    const main = mounts.find(([, target]) => target === '/etc/nginx/nginx.conf')?.[0];
    expect(readFileSync(join(root, main!), 'utf8')).toContain('include /etc/nginx/conf.d/opendispatch.conf;');
    // Upstreams name the scaled services on their ports.
    expect(nginx.environment?.WEB_SERVERS).toContain('server web:3000 ');
    expect(nginx.environment?.REALTIME_SERVERS).toContain('server realtime:3001 ');
  });

  it('lets every app process finish its shutdown (T19: < 30 s) before Docker kills it', () => {
    for (const name of appProcesses) {
      expect(Number.parseInt(compose.services[name]?.stop_grace_period ?? '10s', 10)).toBeGreaterThanOrEqual(
        30,
      );
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const stages = [...dockerfile.matchAll(/^FROM \S+ AS (\S+)$/gm)].map((m) => m[1]);
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('builds in stages and ships only production packages, as a non-root user', () => {
    expect(stages).toEqual(['deps', 'build', 'prod-deps', 'runtime']);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/COPY --from=prod-deps \S* ?\/app\/node_modules/);
    expect(runtime).not.toMatch(/COPY --from=(deps|build)\S* \S*\/app\/node_modules/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*deploy\/docker\/healthcheck\.mjs/ms);
    expect(existsSync(join(root, 'deploy/docker/healthcheck.mjs'))).toBe(true);
  });

  it('keeps local state and secrets out of the build context', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.git', 'node_modules', '.next', '.run', '.env']));
  });
});
