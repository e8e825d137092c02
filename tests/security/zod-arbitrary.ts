import fc from 'fast-check';
import { z } from 'zod';

/**
 * Inputs for fuzzing (T10), derived from a procedure's zod input schema: the schema's JSON Schema
 * (zod v4 `z.toJSONSchema`, input side) drives fast-check generators of well-formed values, and
 * mutations turn a well-formed value into a malformed one at one path (wrong type, missing, extra
 * field, huge, NaN/Infinity, unicode, nested junk). Whether a value is valid is decided by the same
 * schema the server uses (`safeParse`), never guessed.
 */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

export interface ArbitraryOptions {
  /** Real ids of the fixture world, mixed into uuid fields so some inputs reach real rows. */
  ids: readonly string[];
}

const maxSafe = Number.MAX_SAFE_INTEGER;

function integers(min: number, max: number): fc.Arbitrary<number> {
  const small = fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31 - 1) });
  const edges = fc.constantFrom(min, max);
  if (min >= -(2 ** 31) && max <= 2 ** 31 - 1) return fc.oneof({ weight: 4, arbitrary: small }, edges);
  const wide = fc
    .double({ min, max, noNaN: true, noDefaultInfinity: true })
    .map((x) => Math.min(max, Math.max(min, Math.trunc(x))));
  return fc.oneof({ weight: 3, arbitrary: small }, { weight: 2, arbitrary: wide }, edges);
}

function strings(s: JsonSchema, opts: ArbitraryOptions): fc.Arbitrary<string> {
  const minLength = s.minLength ?? 0;
  const maxLength = Math.min(s.maxLength ?? 64, Math.max(minLength, 64));
  const fits = (x: string) => x.length >= minLength && x.length <= (s.maxLength ?? Number.POSITIVE_INFINITY);
  if (s.format === 'uuid') {
    return opts.ids.length > 0 ? fc.oneof(fc.uuid(), fc.constantFrom(...opts.ids)) : fc.uuid();
  }
  if (s.format === 'email') return fc.emailAddress().filter(fits);
  if (s.format === 'date-time') {
    const recent = fc
      .date({
        min: new Date('2024-01-01T00:00:00Z'),
        max: new Date('2027-01-01T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString());
    return s.pattern ? fc.oneof(recent, fc.stringMatching(new RegExp(s.pattern))) : recent;
  }
  if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter(fits);
  return fc.oneof(
    fc.string({ minLength, maxLength }),
    fc.string({ minLength, maxLength, unit: 'grapheme' }).filter(fits),
  );
}

/** Well-formed values of a JSON Schema (they may still fail the schema's refinements). */
export function valueArbitrary(s: JsonSchema, opts: ArbitraryOptions): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const union = s.anyOf ?? s.oneOf;
  if (union) return fc.oneof(...union.map((u) => valueArbitrary(u, opts)));
  if (s.allOf?.length) return valueArbitrary(s.allOf[0]!, opts);
  switch (s.type) {
    case 'object': {
      const properties = s.properties ?? {};
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(properties)) record[key] = valueArbitrary(value, opts);
      return fc.record(record, { requiredKeys: (s.required ?? []).filter((k) => k in properties) });
    }
    case 'array': {
      const minLength = s.minItems ?? 0;
      const maxLength = Math.min(s.maxItems ?? 5, Math.max(minLength, 5));
      return fc.array(valueArbitrary(s.items ?? {}, opts), { minLength, maxLength });
    }
    case 'string':
      return strings(s, opts);
    case 'integer': {
      const min = Math.max(
        s.minimum ?? -maxSafe,
        s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -maxSafe,
      );
      const max = Math.min(
        s.maximum ?? maxSafe,
        s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : maxSafe,
      );
      return integers(min, max);
    }
    case 'number': {
      const min = s.minimum ?? s.exclusiveMinimum ?? -1e9;
      const max = s.maximum ?? s.exclusiveMaximum ?? 1e9;
      return fc.oneof(
        fc.double({ min, max, noNaN: true, noDefaultInfinity: true }),
        fc.constantFrom(min, max),
      );
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

// ── Mutations ─────────────────────────────────────────────────────────────────────────────────

export type Path = (string | number)[];
export interface Junk {
  kind: string;
  value: unknown;
}

const nested = (depth: number): unknown => (depth === 0 ? 'bottom' : { a: [nested(depth - 1)] });
const protoKey = (value: unknown) => Object.defineProperty({}, '__proto__', { value, enumerable: true });

/** Wrong types, edge numbers, hostile strings and structures. */
export const junk: fc.Arbitrary<Junk> = fc.oneof(
  fc.constantFrom<Junk>(
    { kind: 'null', value: null },
    { kind: 'true', value: true },
    { kind: 'zero', value: 0 },
    { kind: 'negative', value: -1 },
    { kind: 'fraction', value: 0.5 },
    { kind: 'NaN', value: Number.NaN },
    { kind: 'Infinity', value: Number.POSITIVE_INFINITY },
    { kind: '-Infinity', value: Number.NEGATIVE_INFINITY },
    { kind: 'past 2^53', value: 2 ** 53 + 2 },
    { kind: '-2^63', value: -(2 ** 63) },
    { kind: '1e308', value: 1e308 },
    { kind: 'tiny', value: 5e-324 },
    { kind: 'empty string', value: '' },
    { kind: 'blank', value: '   ' },
    { kind: 'huge string', value: 'x'.repeat(100_000) },
    { kind: 'NUL', value: 'a\u0000b' },
    { kind: 'lone surrogate', value: '\ud800x' },
    { kind: 'right-to-left override', value: '\u202egnp.exe' },
    { kind: 'emoji', value: '🚕'.repeat(300) },
    { kind: 'SQL', value: "'; drop table users; --" },
    { kind: 'path', value: '../../../../etc/passwd' },
    { kind: 'markup', value: '<script>alert(1)</script>' },
    { kind: 'number as string', value: '12345' },
    { kind: 'nil uuid', value: '00000000-0000-0000-0000-000000000000' },
    { kind: 'uuid with NUL', value: '11111111-1111-4111-8111-11111111111\u0000' },
    { kind: 'empty array', value: [] },
    { kind: 'long array', value: Array.from({ length: 5_000 }, (_, i) => i) },
    { kind: 'empty object', value: {} },
    { kind: '__proto__', value: protoKey({ polluted: true }) },
    { kind: 'constructor.prototype', value: { constructor: { prototype: { polluted: true } } } },
    { kind: 'nested 200 deep', value: nested(200) },
  ),
  fc.jsonValue({ maxDepth: 3 }).map((value) => ({ kind: 'random JSON', value })),
  fc.string({ unit: 'binary', maxLength: 40 }).map((value) => ({ kind: 'random unicode', value })),
  fc.double().map((value) => ({ kind: 'random double', value })),
);

/** Keys an attacker adds: prototype pollution and mass assignment. */
const extraKeys = [
  '__proto__',
  'constructor',
  'role',
  'driverId',
  'riderId',
  'userId',
  'status',
  'fare',
  'isAdmin',
];

export function pathsOf(value: unknown, at: Path = []): Path[] {
  const paths: Path[] = [at];
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) paths.push(...pathsOf(v, [...at, i]));
  } else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) paths.push(...pathsOf(v, [...at, k]));
  return paths;
}

export interface Mutation {
  path: Path;
  op: 'replace' | 'delete' | 'extra';
  kind: string;
}

function clone(value: unknown): unknown {
  return value === undefined ? undefined : structuredClone(value);
}

export function applyMutation(value: unknown, m: Mutation & { junk: unknown; key?: string }): unknown {
  const root = clone(value);
  if (m.path.length === 0) {
    if (m.op === 'delete') return undefined;
    if (m.op === 'extra' && root && typeof root === 'object' && !Array.isArray(root)) {
      Object.defineProperty(root, m.key ?? 'extra', { value: m.junk, enumerable: true, writable: true });
      return root;
    }
    return m.junk;
  }
  let parent = root as Record<string | number, unknown>;
  for (const step of m.path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = m.path.at(-1)!;
  if (m.op === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (
    m.op === 'extra' &&
    parent[last] &&
    typeof parent[last] === 'object' &&
    !Array.isArray(parent[last])
  ) {
    Object.defineProperty(parent[last], m.key ?? 'extra', {
      value: m.junk,
      enumerable: true,
      writable: true,
    });
  } else {
    parent[last] = m.junk;
  }
  return root;
}

/** A well-formed value, mutated once at one of its paths. */
export function mutatedArbitrary(
  valid: fc.Arbitrary<unknown>,
): fc.Arbitrary<{ value: unknown; mutation: Mutation }> {
  return valid.chain((base) =>
    fc
      .record({
        path: fc.constantFrom(...pathsOf(base)),
        op: fc.constantFrom<Mutation['op']>('replace', 'replace', 'delete', 'extra'),
        junk,
        key: fc.constantFrom(...extraKeys),
      })
      .map(({ path, op, junk: j, key }) => ({
        value: applyMutation(base, { path, op, kind: j.kind, junk: j.value, key }),
        mutation: {
          path,
          op,
          kind: op === 'delete' ? 'missing' : op === 'extra' ? `extra ${key}: ${j.kind}` : j.kind,
        },
      })),
  );
}

/** The value as the server receives it (JSON: NaN and ±Infinity become null, undefined keys vanish). */
export function overTheWire(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}
