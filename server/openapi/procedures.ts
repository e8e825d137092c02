import type { AnyTRPCRouter } from '@trpc/server';
import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

/** A procedure as the REST door and the generator see it. */
export interface ProcedureInfo {
  path: string;
  type: 'query' | 'mutation';
  /** The zod schema the procedure parses its input with; null when it takes none. */
  input: z.ZodType | null;
  /** That schema as JSON Schema 2020-12 (what OpenAPI 3.1 embeds), for the input as sent. */
  inputSchema: JsonSchema | null;
}

interface ProcedureDef {
  _def: { type: 'query' | 'mutation' | 'subscription'; inputs: unknown[] };
}

/**
 * The router's queries and mutations, read from `_def.procedures` (flat, dotted paths). Several
 * `.input()` calls merge like tRPC merges them. Subscriptions have no REST form: they are left
 * out here and reported by `subscriptionPaths` (the unit test refuses them), so one added later
 * is a conscious decision rather than a silent gap or a broken docs page.
 */
export function listProcedures(router: AnyTRPCRouter): ProcedureInfo[] {
  const procedures = router._def.procedures as Record<string, ProcedureDef>;
  return Object.entries(procedures)
    .flatMap(([path, procedure]) => {
      const { type, inputs } = procedure._def;
      if (type === 'subscription') return [];
      const input = mergeInputs(inputs as z.ZodType[]);
      return [{ path, type, input, inputSchema: input ? inputJsonSchema(input) : null }];
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

export function subscriptionPaths(router: AnyTRPCRouter): string[] {
  const procedures = router._def.procedures as Record<string, ProcedureDef>;
  return Object.keys(procedures).filter((path) => procedures[path]!._def.type === 'subscription');
}

function mergeInputs(inputs: z.ZodType[]): z.ZodType | null {
  if (inputs.length === 0) return null;
  return inputs.reduce((merged, next) => z.intersection(merged, next));
}

/** Input as the client sends it (before defaults and transforms); anything zod cannot express stays open. */
function inputJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  return json;
}
