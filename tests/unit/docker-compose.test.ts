import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { z } from 'zod';
import { envSchemas } from '@/server/env';

/**
 * docker-compose.yml cannot run on our machines (no Docker engine), so this guards what it can:
 * every backing service and app process is there, and each app process is given every
 * environment variable its schema reads (optional ones excepted).
 */
interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, unknown>;
}
const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8'), {
  merge: true,
}) as {
  services: Record<string, Service>;
};

describe('docker-compose.yml', () => {
  it('names the backing services and every app process', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['kafka', 'postgres', 'redis', 'web', 'realtime', 'workers', 'sim', 'migrate']),
    );
    expect(compose.services.kafka?.image).toMatch(/^apache\/kafka:4\./);
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
    expect(compose.services.web?.command?.join(' ')).toContain('next start');
  });
});
