import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { Role } from '@/domain/roles';
import type { SessionUser } from '@/server/auth/session-user';
import { listProcedures } from '@/server/openapi/procedures';
import { queryShape } from '@/server/openapi/query-input';
import { handleRestRequest, restPathOf } from '@/server/openapi/rest-handler';
import { handleTrpcRequest } from '@/server/trpc/http';
import { appRouter } from '@/server/trpc/routers/app';
import type { WebDeps } from '@/server/web/deps';
import { type PrincipalKind, procedureMatrix, roleOf } from '@/tests/security/authorization-matrix';
import {
  applyMutation,
  jsonSchemaOf,
  type Mutation,
  mutatedArbitrary,
  overTheWire,
  pathsOf,
  valueArbitrary,
} from '@/tests/security/zod-arbitrary';
import { createDriver, createUser } from './support/fixtures';
import { createHarness, type Harness } from './support/harness';
import { callProcedure } from './support/rest-routes';
import { createSecurityWorld, type SecurityWorld } from './support/security-world';
import { sessionOf, webDepsFor } from './support/trpc';

/**
 * T10: every procedure, fuzzed through the real HTTP handler as a principal allowed to call it.
 * Inputs come from the procedure's own zod schema (valid ones, and each mutated once at one path);
 * the server's answer is judged against the same schema: invalid input must be a 400 naming its
 * field, nothing may be a 5xx. Then raw HTTP junk (content types, broken JSON, batches, wrong
 * methods, huge bodies) at every procedure. Seed: FUZZ_SEED (printed), sizes: FUZZ_VALID/FUZZ_MUTATED.
 */
const seed = Number(process.env.FUZZ_SEED ?? 20_260_101);
const validRuns = Number(process.env.FUZZ_VALID ?? 12);
const mutatedRuns = Number(process.env.FUZZ_MUTATED ?? 24);

let h: Harness;
let deps: WebDeps;
let world: SecurityWorld;
const started = Date.now();

type Procedure = { _def: { type: 'query' | 'mutation'; inputs: z.ZodType[] } };
const procedures = appRouter._def.procedures as unknown as Record<string, Procedure>;
const paths = Object.keys(procedures).sort();

interface Finding {
  path: string;
  what: string;
  status: number;
  input: string;
  answer: string;
}
const findings: Finding[] = [];
const stats = {
  cases: 0,
  valid: 0,
  invalid: 0,
  raw: 0,
  rest: 0,
  byStatus: {} as Record<number, number>,
  namedTheMutatedField: 0,
  namedAnotherField: 0,
  emptyBodies: 0,
};

beforeAll(async () => {
  h = await createHarness('fuzz');
  deps = webDepsFor(h);
  world = await createSecurityWorld(h);
}, 120_000);

afterAll(async () => {
  console.log(
    `[T10] seed ${seed}: ${stats.cases} fuzzed calls (${stats.valid} schema-valid, ${stats.invalid} invalid, ${stats.emptyBodies} empty bodies) + ${stats.raw} raw HTTP requests + ${stats.rest} through REST /api/v1 over ${paths.length} procedures in ${Math.round((Date.now() - started) / 1000)} s; statuses ${JSON.stringify(stats.byStatus)}; 400s naming the mutated field ${stats.namedTheMutatedField}, another field ${stats.namedAnotherField}; findings ${findings.length}`,
  );
  const kinds = new Map<string, { count: number; example: Finding }>();
  for (const f of findings) {
    const key = `${f.path}: ${f.what.replace(/\(.*\)|".*"/g, '…')}`;
    const seen = kinds.get(key);
    if (seen) seen.count++;
    else kinds.set(key, { count: 1, example: f });
  }
  for (const [key, { count, example }] of kinds)
    console.log(`[T10] ${count}× ${key} e.g. ${JSON.stringify(example)}`);
  await h?.cleanup();
});

/** The procedure's caller: the first kind its matrix row allows, a fresh person every few calls. */
function principalFor(path: string) {
  const row = procedureMatrix[path];
  const kind = (['riderOwner', 'assignedDriver', 'dispatcher', 'admin', 'anonymous'] as PrincipalKind[]).find(
    (k) => row && 'allow' in row.cells[k],
  );
  let current: SessionUser | null = null;
  let calls = 0;
  return async (): Promise<SessionUser | null> => {
    if (!kind || kind === 'anonymous') return null;
    // Per-user limits (10 booking attempts, 60 quotes a minute) must not hide what validation does.
    if (current && calls++ % 8 !== 0) return current;
    const role: Role = roleOf[kind];
    const user =
      role === 'driver' ? await createDriver(h.postgres.db) : await createUser(h.postgres.db, role);
    current = await sessionOf(h, { ...user, role });
    return current;
  };
}

let address = 0;
const nextAddress = () => `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address++ & 255}`;

function record(path: string, what: string, status: number, input: unknown, answer: unknown) {
  findings.push({
    path,
    what,
    status,
    input: (JSON.stringify(input) ?? 'undefined').slice(0, 300),
    answer: (JSON.stringify(answer) ?? 'undefined').slice(0, 300),
  });
}

const startsWith = (field: string, path: (string | number)[]) => {
  const p = path.join('.');
  return p === '' || field === p || field.startsWith(`${p}.`) || p.startsWith(`${field}.`);
};

function valueAt(value: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((v, step) => (v as Record<string | number, unknown> | null)?.[step], value);
}

/** Valid inputs from the procedure's schema, and each mutated once (the same for both doors). */
function casesFor(path: string): { value: unknown; mutation: Mutation | null }[] {
  const schema = procedures[path]!._def.inputs[0];
  const cases: { value: unknown; mutation: Mutation | null }[] = [];
  if (schema) {
    const valid = valueArbitrary(jsonSchemaOf(schema), {
      ids: [...Object.values(world.actors).map((a) => a.id), world.booking.id],
    });
    for (const value of fc.sample(valid, { numRuns: validRuns, seed })) cases.push({ value, mutation: null });
    for (const m of fc.sample(mutatedArbitrary(valid), { numRuns: mutatedRuns, seed: seed + 1 }))
      cases.push(m);
    // Not left to chance: a NUL in every string field (PostgreSQL refuses it in text; the
    // server must refuse it first, by name).
    for (const base of fc.sample(valid, { numRuns: 3, seed: seed + 2 })) {
      for (const at of pathsOf(base).filter((p) => typeof valueAt(base, p) === 'string')) {
        const mutation: Mutation = { path: at, op: 'replace', kind: 'NUL in a string' };
        cases.push({ value: applyMutation(base, { ...mutation, junk: 'a\u0000b' }), mutation });
      }
    }
  } else {
    for (const value of [undefined, null, { junk: 'x'.repeat(10_000) }, ['a', 1]])
      cases.push({ value, mutation: null });
  }
  return cases;
}

describe('T10: fuzzing every procedure from its zod schema', () => {
  it('derives a generator for every procedure that takes input', () => {
    for (const path of paths) {
      const schema = procedures[path]!._def.inputs[0];
      if (schema) expect(() => jsonSchemaOf(schema), path).not.toThrow();
    }
  });

  it.each(paths)('%s', async (path) => {
    const procedure = procedures[path]!;
    const kind = procedure._def.type;
    const schema = procedure._def.inputs[0];
    const caller = principalFor(path);
    for (const { value, mutation } of casesFor(path)) {
      const wire = overTheWire(value);
      const parsed = schema ? schema.safeParse(wire) : { success: true as const };
      const answer = await callProcedure(deps, await caller(), path, wire, kind, nextAddress());
      stats.cases++;
      stats.byStatus[answer.status] = (stats.byStatus[answer.status] ?? 0) + 1;
      const label = mutation ? `${mutation.kind} at "${mutation.path.join('.')}"` : 'schema-generated';
      if (answer.status >= 500) {
        record(path, `server error on ${label}`, answer.status, wire, answer.error);
        continue;
      }
      if (
        'stack' in (answer.error?.data ?? {}) ||
        /node_modules|\.ts:\d+|\bselect\b.+\bfrom\b/i.test(answer.error?.message ?? '')
      ) {
        record(path, `internals in the error for ${label}`, answer.status, wire, answer.error);
      }
      if (wire === undefined && kind === 'mutation' && schema) {
        // No body for a procedure that needs input: a transport-level parse error (like broken
        // JSON), not an input with fields. (Procedures without input take an empty body.)
        stats.emptyBodies++;
        if (answer.status !== 400)
          record(path, 'an empty body not answered 400', answer.status, wire, answer.error);
        continue;
      }
      if (!parsed.success) {
        stats.invalid++;
        const issues = (answer.error?.data?.issues ?? []) as { field: string }[];
        if (answer.status !== 400 || issues.length === 0) {
          record(
            path,
            `invalid input (${label}) not answered 400 with its issues`,
            answer.status,
            wire,
            answer.error,
          );
          continue;
        }
        if (mutation && mutation.path.length > 0 && issues.every((i) => i.field === '')) {
          record(path, `400 for ${label} names no field`, answer.status, wire, answer.error);
        }
        if (mutation && issues.some((i) => startsWith(i.field, mutation.path))) stats.namedTheMutatedField++;
        else stats.namedAnotherField++;
      } else {
        stats.valid++;
        if (answer.status === 400 && (answer.error?.data?.field ?? null) === null) {
          record(
            path,
            `400 for schema-valid input names no field (${label})`,
            answer.status,
            wire,
            answer.error,
          );
        }
        if (answer.status === 429)
          record(path, `rate limited (${label}): the fuzz lost its power`, 429, wire, answer.error);
      }
    }
    const mine = findings.filter((f) => f.path === path);
    expect(mine, `${path}: ${mine.length} finding(s), first: ${JSON.stringify(mine[0])}`).toEqual([]);
  });

  it('answers raw HTTP junk at every procedure without a server error', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const big = JSON.stringify({ junk: 'x'.repeat(2_000_000) });
    const problems: string[] = [];
    for (const path of paths) {
      // A principal allowed to call it, so that what is tested is the transport, not the role check.
      const caller = principalFor(path);
      const url = `http://it.test/api/trpc/${path}`;
      const form = new FormData();
      form.set('a', '1');
      const post = (type: string, body: BodyInit, at = url) =>
        new Request(at, { method: 'POST', headers: { 'content-type': type }, body });
      const json = (body: string, at = url) => post('application/json', body, at);
      const requests: [string, Request][] = [
        ['text/plain', post('text/plain', '{}')],
        ['form-urlencoded', post('application/x-www-form-urlencoded', 'a=1&b=2')],
        ['multipart', new Request(url, { method: 'POST', body: form })],
        ['octet-stream', post('application/octet-stream', new Uint8Array([0, 159, 146, 150]))],
        ['xml', post('application/xml', '<a/>')],
        ['no content type', new Request(url, { method: 'POST', body: '{}' })],
        ['truncated JSON', json('{"a":')],
        ['single quotes', json("{'a':1}")],
        ['NaN literal', json('{"lat":NaN}')],
        ['1e400 (Infinity)', json('{"lat":1e400,"lng":-1e400,"k":1e400}')],
        ['BOM', json('\ufeff{}')],
        ['100k-deep nesting', json(deep)],
        ['2 MB body', json(big)],
        ['GET with broken input', new Request(`${url}?input=%7B%22a%22%3A`)],
        ['GET with bad percent-encoding', new Request(`${url}?input=%E0%A4%A`)],
        [
          'GET with 200 kB input',
          new Request(`${url}?input=${encodeURIComponent(JSON.stringify({ a: 'y'.repeat(200_000) }))}`),
        ],
        [
          'batch of 2, one junk',
          json('{"0":{},"1":"junk"}', `http://it.test/api/trpc/${path},${path}?batch=1`),
        ],
        ['batch body not an object', json('[1,2,3]', `http://it.test/api/trpc/${path}?batch=1`)],
        [
          'GET batch with junk input',
          new Request(
            `http://it.test/api/trpc/${path},${path}?batch=1&input=${encodeURIComponent('{"0":[],"1":null}')}`,
          ),
        ],
        ['batch of 50', json('{}', `http://it.test/api/trpc/${Array(50).fill(path).join(',')}?batch=1`)],
        ['GET', new Request(url)],
        ['POST', json('{}')],
        [
          'PUT',
          new Request(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' }),
        ],
        ['DELETE', new Request(url, { method: 'DELETE' })],
        ['PATCH', new Request(url, { method: 'PATCH', body: '{}' })],
      ];
      for (const [what, request] of requests) {
        request.headers.set('x-real-ip', nextAddress());
        const user = await caller();
        const res = await handleTrpcRequest(request, deps, async () => user);
        const body = await res.text();
        stats.raw++;
        stats.byStatus[res.status] = (stats.byStatus[res.status] ?? 0) + 1;
        if (res.status >= 500) problems.push(`${path} ${what}: ${res.status} ${body.slice(0, 200)}`);
      }
    }
    // An unknown procedure is a 404, signed in or not.
    const admin = await principalFor('admin.audit')();
    for (const who of [null, admin]) {
      const unknown = await handleTrpcRequest(
        new Request('http://it.test/api/trpc/no.such.procedure'),
        deps,
        async () => who,
      );
      expect(unknown.status).toBe(404);
    }
    expect(problems, problems.slice(0, 10).join('\n')).toEqual([]);
  }, 120_000);
});

// ── The REST door (/api/v1): its own query-parameter parsing in front of the same procedures ──

const shapes = new Map(listProcedures(appRouter).map((p) => [p.path, queryShape(p.inputSchema)]));
type Scalar = string | number | boolean | null;
const isScalar = (v: unknown): v is Scalar =>
  v === null || ['string', 'number', 'boolean'].includes(typeof v);

/**
 * The request an integrator would send: mutations POST a JSON body; queries with a flat input put
 * each field in its own parameter (arrays repeated), so the REST door's conversion is what gets
 * fuzzed; anything else goes as one JSON `input` parameter.
 */
function restRequest(path: string, kind: 'query' | 'mutation', value: unknown): Request {
  const url = new URL(restPathOf(path), 'http://it.test');
  if (kind === 'mutation') {
    return new Request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: value === undefined ? undefined : JSON.stringify(value),
    });
  }
  const flat =
    shapes.get(path)?.kind === 'flat' &&
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => isScalar(v) || (Array.isArray(v) && v.every(isScalar)));
  if (flat) {
    for (const [name, v] of Object.entries(value as Record<string, Scalar | Scalar[]>))
      for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(name, String(item));
  } else if (value !== undefined) {
    url.searchParams.set('input', JSON.stringify(value));
  }
  return new Request(url);
}

describe('T10: the same inputs through the REST door', () => {
  it.each(paths)('%s', async (path) => {
    const kind = procedures[path]!._def.type;
    const caller = principalFor(path);
    const problems: string[] = [];
    for (const { value, mutation } of casesFor(path)) {
      const wire = overTheWire(value);
      const request = restRequest(path, kind, wire);
      request.headers.set('x-real-ip', nextAddress());
      const user = await caller();
      const res = await handleRestRequest(request, deps, async () => user);
      const body = (await res.json()) as { data?: unknown; error?: { code?: string } };
      stats.rest++;
      stats.byStatus[res.status] = (stats.byStatus[res.status] ?? 0) + 1;
      const label = mutation ? `${mutation.kind} at "${mutation.path.join('.')}"` : 'schema-generated';
      const where = `${request.method} ${request.url.slice(0, 200)} (${label})`;
      if (res.status >= 500) problems.push(`${where}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
      else if (res.status >= 400 && !body.error?.code)
        problems.push(`${where}: ${res.status} without an error code`);
    }
    expect(problems, problems.slice(0, 5).join('\n')).toEqual([]);
  });
});
