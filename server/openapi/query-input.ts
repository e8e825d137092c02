import type { JsonSchema } from './procedures';

type Scalar = 'string' | 'number' | 'integer' | 'boolean' | 'null';
const scalars = new Set<string>(['string', 'number', 'integer', 'boolean', 'null']);

interface Field {
  array: boolean;
  /** Types a value may take (an array's items' types when `array`). */
  types: Set<Scalar>;
}

/**
 * How a query's input travels in a GET URL (the rule the OpenAPI document states):
 * - `none`: the procedure takes no input;
 * - `flat`: every field is a scalar or an array of scalars: one query parameter per field, arrays
 *   by repeating the parameter; values are converted by the field's schema type;
 * - `json`: anything nested: the whole input as one JSON `input` parameter.
 * `input=<JSON>` is accepted for flat inputs too.
 */
export type QueryShape = { kind: 'none' } | { kind: 'json' } | { kind: 'flat'; fields: Map<string, Field> };

export function queryShape(schema: JsonSchema | null): QueryShape {
  if (!schema) return { kind: 'none' };
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (schema.type !== 'object' || !properties || schema.anyOf || schema.allOf || schema.oneOf) {
    return { kind: 'json' };
  }
  const fields = new Map<string, Field>();
  for (const [name, property] of Object.entries(properties)) {
    const field = fieldOf(property);
    // A field called `input` would be ambiguous with the JSON parameter.
    if (!field || name === 'input') return { kind: 'json' };
    fields.set(name, field);
  }
  return { kind: 'flat', fields };
}

function fieldOf(schema: JsonSchema): Field | null {
  if (schema.type === 'array') {
    const items = schema.items as JsonSchema | undefined;
    const types = items ? scalarTypes(items) : null;
    return types ? { array: true, types } : null;
  }
  const types = scalarTypes(schema);
  return types ? { array: false, types } : null;
}

/** The scalar types a schema allows, or null if it allows anything else (objects, arrays, any). */
function scalarTypes(schema: JsonSchema): Set<Scalar> | null {
  const variants = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (variants) {
    const all = new Set<Scalar>();
    for (const variant of variants) {
      const types = scalarTypes(variant);
      if (!types) return null;
      for (const t of types) all.add(t);
    }
    return all;
  }
  const declared = schema.type ?? (Array.isArray(schema.enum) ? schema.enum.map(jsonTypeOf) : undefined);
  const list = (Array.isArray(declared) ? declared : [declared]) as unknown[];
  if (list.length === 0 || !list.every((t) => typeof t === 'string' && scalars.has(t))) return null;
  return new Set(list as Scalar[]);
}

function jsonTypeOf(value: unknown): string {
  return value === null ? 'null' : typeof value;
}

const numberText = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** One text value as the field's type; anything that does not convert stays text for zod to refuse by name. */
function convert(text: string, types: Set<Scalar>): unknown {
  if (types.has('string')) return text;
  if ((types.has('number') || types.has('integer')) && numberText.test(text)) return Number(text);
  if (types.has('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  if (types.has('null') && text === 'null') return null;
  return text;
}

export type QueryInput = { ok: true; input: unknown } | { ok: false; field: string; message: string };

/** The procedure input a GET's query parameters carry, by the rule above. */
export function inputFromQuery(shape: QueryShape, params: URLSearchParams): QueryInput {
  const names = [...new Set(params.keys())];
  if (names.includes('input')) {
    if (names.length > 1)
      return refuse('input', 'send either one JSON `input` parameter or separate parameters');
    try {
      return { ok: true, input: JSON.parse(params.get('input') ?? '') };
    } catch {
      return refuse('input', 'is not valid JSON');
    }
  }
  if (shape.kind !== 'flat') {
    if (names.length === 0) return { ok: true, input: undefined };
    return shape.kind === 'none'
      ? refuse(names[0]!, 'this procedure takes no input')
      : refuse('input', 'this procedure takes its input as one JSON `input` parameter');
  }
  const input: Record<string, unknown> = {};
  for (const name of names) {
    const field = shape.fields.get(name);
    if (!field) return refuse(name, 'is not a parameter of this procedure');
    const values = params.getAll(name).map((v) => convert(v, field.types));
    // A repeated scalar stays a list, so zod names the field instead of one value winning silently.
    input[name] = field.array || values.length > 1 ? values : values[0];
  }
  // No parameters is `{}`: defaults apply, and a missing required field is named by zod.
  return { ok: true, input };
}

function refuse(field: string, message: string): QueryInput {
  return { ok: false, field, message: `${field}: ${message}` };
}
