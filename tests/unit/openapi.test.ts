import { createConfig, lintFromString } from '@redocly/openapi-core';
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { roles } from '@/domain/roles';
import type { SessionUser } from '@/server/auth/session-user';
import type { Access } from '@/server/openapi/doc-model';
import {
  buildOpenApiDocument,
  type OpenApiDocument,
  registryProblems,
  tagOf,
} from '@/server/openapi/document';
import { procedureDocs, tagDocs } from '@/server/openapi/procedure-docs';
import { type JsonSchema, listProcedures } from '@/server/openapi/procedures';
import { inputFromQuery, queryShape } from '@/server/openapi/query-input';
import { restPathOf } from '@/server/openapi/rest-handler';
import { createCallerFactory, publicProcedure, router } from '@/server/trpc/init';
import { appRouter } from '@/server/trpc/routers/app';
import type { WebDeps } from '@/server/web/deps';

const procedures = listProcedures(appRouter);
const doc = buildOpenApiDocument();
const docs = procedureDocs as Record<string, (typeof procedureDocs)[keyof typeof procedureDocs]>;

describe('every procedure is documented', () => {
  it('has one operation per procedure, at its REST path, with its method', () => {
    expect(procedures.length).toBeGreaterThan(40);
    for (const p of procedures) {
      const operation = doc.paths[restPathOf(p.path)]?.[p.type === 'query' ? 'get' : 'post'];
      expect(operation, p.path).toMatchObject({ operationId: p.path, tags: [tagOf(p.path)] });
    }
    expect(Object.keys(doc.paths)).toHaveLength(procedures.length);
  });

  it('has a written entry (summary, access, examples, errors) for every procedure, and none to spare', () => {
    expect(registryProblems()).toEqual([]);
  });

  it('shows a procedure added without an entry anyway, marked undocumented; strict mode refuses it', () => {
    const withNew = router({
      ...appRouter._def.record,
      brandNew: router({ thing: publicProcedure.input(z.object({ n: z.number() })).mutation(() => 1) }),
    });
    const generated = buildOpenApiDocument({ router: withNew, docs, tags: tagDocs });
    expect(generated.paths['/api/v1/brandNew/thing']?.post).toMatchObject({
      operationId: 'brandNew.thing',
      tags: ['brandNew'],
      'x-undocumented': true,
      requestBody: { content: { 'application/json': { schema: { $ref: expect.any(String) } } } },
    });
    expect(generated.tags).toContainEqual({ name: 'brandNew' });
    expect(() => buildOpenApiDocument({ router: withNew, docs, tags: tagDocs }, { strict: true })).toThrow(
      /undocumented procedures: brandNew\.thing; tags without a description: brandNew/,
    );
    const withStream = router({
      ...appRouter._def.record,
      stream: publicProcedure.subscription(async function* () {
        yield 1;
      }),
    });
    expect(listProcedures(withStream)).toHaveLength(procedures.length);
    expect(() => buildOpenApiDocument({ router: withStream, docs, tags: tagDocs }, { strict: true })).toThrow(
      /subscriptions have no REST or OpenAPI form: stream/,
    );
    const stale = { ...docs, 'gone.procedure': procedureDocs.me };
    expect(() =>
      buildOpenApiDocument({ router: appRouter, docs: stale, tags: tagDocs }, { strict: true }),
    ).toThrow(/do not exist: gone\.procedure/);
    const { booking: _booking, ...tags } = tagDocs;
    expect(() => buildOpenApiDocument({ router: appRouter, docs, tags }, { strict: true })).toThrow(
      /tags without a description: booking/,
    );
  });

  it('gives each procedure an example input its own zod schema accepts', () => {
    for (const p of procedures) {
      const input = docs[p.path]!.example.input;
      if (!p.input) {
        expect(input, p.path).toBeUndefined();
        continue;
      }
      const parsed = p.input.safeParse(input);
      expect(parsed.success, `${p.path}: ${parsed.error?.message}`).toBe(true);
    }
  });

  it('names a real input field in every 400, and documents one for each procedure with input', () => {
    for (const p of procedures) {
      const bad = docs[p.path]!.errors.filter((e) => e.status === 400);
      expect(bad.length > 0, `${p.path}: 400 cases`).toBe(p.input !== null);
      expect(
        bad.some((e) => e.field),
        `${p.path}: a 400 naming a field`,
      ).toBe(p.input !== null);
      for (const e of bad.filter((e) => e.field)) {
        expect(schemaAt(p.inputSchema!, e.field!), `${p.path}: ${e.field}`).toBeTruthy();
      }
    }
  });
});

/** The JSON Schema at a dotted field path (`range.to`, `ids.0`), or undefined. */
function schemaAt(schema: JsonSchema, field: string): JsonSchema | undefined {
  let at: JsonSchema | undefined = schema;
  for (const part of field.split('.')) {
    if (!at) return undefined;
    at = /^\d+$/.test(part)
      ? (at.items as JsonSchema | undefined)
      : (at.properties as Record<string, JsonSchema> | undefined)?.[part];
  }
  return at;
}

describe('access in the docs is what the router enforces', () => {
  /** Just enough of WebDeps for the middlewares; any use case that gets past them fails on the rest. */
  const deps = new Proxy(
    {
      metrics: { requestSeconds: { startTimer: () => () => 0 }, requests: { inc: () => undefined } },
      rateLimiter: { enforce: async () => undefined },
      logger: {
        error: () => undefined,
        warn: () => undefined,
        info: () => undefined,
        debug: () => undefined,
      },
    } as Record<string, unknown>,
    {
      get(target, key) {
        if (key in target) return target[key as string];
        throw new Error(`past the middlewares: deps.${String(key)}`);
      },
    },
  ) as unknown as WebDeps;
  const createCaller = createCallerFactory(appRouter);

  async function codeOf(path: string, user: SessionUser | null, input: unknown): Promise<string> {
    const caller = createCaller({ deps, user, ip: '192.0.2.1' }) as unknown as Record<string, unknown>;
    const call = path.split('.').reduce<unknown>((at, part) => (at as Record<string, unknown>)[part], caller);
    try {
      await (call as (input: unknown) => Promise<unknown>)(input);
      return 'OK';
    } catch (error) {
      return error instanceof TRPCError ? error.code : 'NOT_TRPC';
    }
  }

  const allowed = (access: Access, role: SessionUser['role']) =>
    typeof access === 'string' || access.includes(role);

  it.each(procedures.map((p) => [p.path]))('%s', async (path) => {
    const { access, example } = docs[path]!;
    const anonymous = await codeOf(path, null, example.input);
    if (access === 'anyone') expect(anonymous).not.toBe('UNAUTHORIZED');
    else expect(anonymous).toBe('UNAUTHORIZED');
    for (const role of roles) {
      const user = { id: crypto.randomUUID(), email: 'x@example.com', name: 'X', role, sessionId: 's' };
      const code = await codeOf(path, user, example.input);
      if (allowed(access, role)) expect([role, code]).not.toEqual([role, 'FORBIDDEN']);
      else expect([role, code]).toEqual([role, 'FORBIDDEN']);
    }
  });
});

describe('the document is valid OpenAPI 3.1', () => {
  it('passes the Redocly linter: structure, references, examples against their schemas', async () => {
    const config = await createConfig({
      rules: {
        struct: 'error',
        'no-unresolved-refs': 'error',
        'operation-operationId-unique': 'error',
        'operation-2xx-response': 'error',
        'security-defined': 'error',
        'no-invalid-media-type-examples': 'error',
        'no-invalid-parameter-examples': 'error',
        'no-example-value-and-externalValue': 'error',
        'spec-components-invalid-map-name': 'error',
      },
    });
    const problems = await lintFromString({
      source: JSON.stringify(doc),
      absoluteRef: 'openapi.json',
      config,
    });
    expect(problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
  });

  it('resolves every $ref and declares every tag it uses', () => {
    const refs: string[] = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) k === '$ref' ? refs.push(v as string) : walk(v);
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of refs) expect(resolvePointer(doc, ref), ref).toBeDefined();
    const declared = new Set((doc.tags as { name: string }[]).map((t) => t.name));
    for (const p of procedures) expect(declared.has(tagOf(p.path)), p.path).toBe(true);
  });

  it('says Retry-After on every 429 and 503, and 401/403 exactly where access needs them', () => {
    for (const p of procedures) {
      const operation = doc.paths[restPathOf(p.path)]![p.type === 'query' ? 'get' : 'post']!;
      const responses = operation.responses as Record<string, { headers?: Record<string, unknown> }>;
      const access = docs[p.path]!.access;
      for (const status of ['429', '503'] as const) {
        if (responses[status])
          expect(responses[status].headers, `${p.path} ${status}`).toHaveProperty('Retry-After');
      }
      expect(!!responses['503'], p.path).toBe(true);
      expect(!!responses['401'], p.path).toBe(access !== 'anyone');
      expect(!!responses['403'], p.path).toBe(Array.isArray(access) || p.type === 'mutation');
      expect(!!responses['429'], p.path).toBe(access !== 'anyone' || !!docs[p.path]!.limits?.length);
    }
  });

  it('publishes no secret: no server address, no real-looking credentials', () => {
    const text = JSON.stringify(doc);
    expect(text).not.toMatch(/localhost|127\.0\.0\.1|demo\.test|demo1234/);
    expect(doc.servers).toEqual([{ url: '/', description: 'This server' }]);
  });
});

function resolvePointer(document: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], document);
}

describe('REST query parameters', () => {
  const nearest = procedures.find((p) => p.path === 'operations.nearestDrivers')!;
  const flat = queryShape(nearest.inputSchema);

  it('reads flat inputs from parameters by their schema types, lists by repetition', () => {
    const params = new URLSearchParams('lat=12.5&lng=-77&vehicleTypeIds=economy&vehicleTypeIds=xl&k=3');
    expect(inputFromQuery(flat, params)).toEqual({
      ok: true,
      input: { lat: 12.5, lng: -77, vehicleTypeIds: ['economy', 'xl'], k: 3 },
    });
    // One value of a list is still a list; text that is not a number stays text for zod to refuse.
    expect(inputFromQuery(flat, new URLSearchParams('vehicleTypeIds=economy&lat=north'))).toEqual({
      ok: true,
      input: { vehicleTypeIds: ['economy'], lat: 'north' },
    });
  });

  it('refuses unknown parameters by name, and mixing `input` with others', () => {
    expect(inputFromQuery(flat, new URLSearchParams('lat=1&latitude=2'))).toMatchObject({
      ok: false,
      field: 'latitude',
    });
    expect(inputFromQuery(flat, new URLSearchParams('input={}&lat=1'))).toMatchObject({
      ok: false,
      field: 'input',
    });
    expect(inputFromQuery(flat, new URLSearchParams('input={nope'))).toMatchObject({
      ok: false,
      field: 'input',
    });
  });

  it('takes nested inputs only as one JSON `input` parameter', () => {
    const series = procedures.find((p) => p.path === 'analytics.series')!;
    const shape = queryShape(series.inputSchema);
    expect(shape.kind).toBe('json');
    expect(inputFromQuery(shape, new URLSearchParams('granularity=day'))).toMatchObject({
      ok: false,
      field: 'input',
    });
    const input = { range: { from: 'a', to: 'b' }, granularity: 'day' };
    expect(inputFromQuery(shape, new URLSearchParams({ input: JSON.stringify(input) }))).toEqual({
      ok: true,
      input,
    });
    expect(queryShape(null)).toEqual({ kind: 'none' });
  });
});
