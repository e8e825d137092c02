import type { RateLimitName } from '@/domain/rate-limits';
import { describeLimit, errorCodeOf } from './components';
import type { ErrorCase, ProcedureDoc } from './doc-model';
import type { JsonSchema, ProcedureInfo } from './procedures';
import { queryShape } from './query-input';

export interface OperationParts {
  operation: Record<string, unknown>;
  /** Component schemas this operation refers to. */
  schemas: Record<string, unknown>;
}

/**
 * One entry of AllProcedureDocs, whatever its path; or the stand-in for a procedure the registry
 * does not have yet (no examples, `undocumented`).
 */
// biome-ignore lint/suspicious/noExplicitAny: the path-specific typing is checked in the registry.
export type OperationDoc = Omit<ProcedureDoc<any>, 'example'> & {
  example: { input?: unknown; output?: unknown } | undefined;
  undocumented?: boolean;
};
type AnyDoc = OperationDoc;

interface Case extends Omit<ErrorCase, 'status'> {
  status: number;
  message: string;
}

/** One REST operation for one procedure: parameters or body, the answer, and every error that applies. */
export function operationOf(procedure: ProcedureInfo, doc: AnyDoc, tag: string): OperationParts {
  const schemas: Record<string, unknown> = {};
  const input = doc.example?.input;
  const optional = !procedure.input || procedure.input.safeParse(undefined).success;
  const inputRef = () => {
    const name = `${procedure.path}.input`;
    Object.assign(schemas, hoisted(name, procedure.inputSchema!));
    return { $ref: `#/components/schemas/${name}` };
  };
  const operation: Record<string, unknown> = {
    operationId: procedure.path,
    tags: [tag],
    summary: doc.summary,
    description: operationText(procedure, doc),
    security: doc.access === 'anyone' ? [{}, { sessionCookie: [] }] : [{ sessionCookie: [] }],
    'x-access': doc.access,
    ...(doc.undocumented ? { 'x-undocumented': true } : {}),
  };
  if (procedure.type === 'mutation' && procedure.inputSchema) {
    operation.requestBody = {
      required: !optional,
      content: {
        'application/json': {
          schema: inputRef(),
          ...(doc.example ? { examples: { example: { value: input } } } : {}),
        },
      },
    };
  }
  if (procedure.type === 'query')
    operation.parameters = queryParameters(procedure, input, optional, inputRef);
  operation.responses = {
    '200': {
      description: 'The answer, as `data`.',
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['data'],
            properties: {
              data: {
                description: `See the example; in TypeScript, \`RouterOutputs['${procedure.path}']\`.`,
              },
            },
          },
          ...(doc.example ? { examples: { example: { value: { data: doc.example.output } } } } : {}),
        },
      },
    },
    ...errorResponses(errorCases(procedure, doc)),
  };
  return { operation, schemas };
}

function queryParameters(
  procedure: ProcedureInfo,
  input: unknown,
  optional: boolean,
  inputRef: () => unknown,
): unknown[] {
  const shape = queryShape(procedure.inputSchema);
  if (shape.kind === 'none') return [];
  if (shape.kind === 'json') {
    return [
      {
        name: 'input',
        in: 'query',
        required: !optional,
        description: 'The whole input as JSON (URL-encoded): it is nested, so it cannot be flat parameters.',
        content: {
          'application/json': { schema: inputRef(), ...(input !== undefined ? { example: input } : {}) },
        },
      },
    ];
  }
  const properties = procedure.inputSchema!.properties as Record<string, JsonSchema>;
  const required = new Set((procedure.inputSchema!.required as string[] | undefined) ?? []);
  const example = (input ?? {}) as Record<string, unknown>;
  return [...shape.fields].map(([name, field]) => ({
    name,
    in: 'query',
    required: required.has(name),
    schema: properties[name],
    ...(field.array
      ? { style: 'form', explode: true, description: 'Repeat the parameter for each item.' }
      : {}),
    ...(example[name] !== undefined ? { example: example[name] } : {}),
  }));
}

/** What the registry says, plus what follows from the procedure's middlewares (access, limits, outages). */
function errorCases(procedure: ProcedureInfo, doc: AnyDoc): Case[] {
  const cases: Case[] = doc.errors.map((e) => ({
    ...e,
    message: e.field ? `${e.field}: ${e.when}` : capitalise(e.when),
  }));
  if (doc.access !== 'anyone') {
    cases.push({
      status: 401,
      when: 'no valid session (signed out, expired or revoked)',
      message: 'Sign in first',
    });
  }
  if (Array.isArray(doc.access)) {
    const roles = (doc.access as string[]).join(' or ');
    cases.push({
      status: 403,
      when: `the session's role is not ${roles}`,
      message: `This needs the ${roles} role`,
    });
  }
  if (procedure.type === 'mutation') {
    const message = 'Cross-site request refused (origin https://elsewhere.example)';
    cases.push({ status: 403, when: "a browser's cross-site POST (CSRF defence)", message });
  }
  const limits = limitsOf(procedure, doc);
  if (limits.length > 0) {
    const when = `over a rate limit (${limits.map(describeLimit).join('; ')})`;
    cases.push({ status: 429, when, message: 'Too many requests; try again in 42 s' });
  }
  cases.push({
    status: 503,
    when: 'PostgreSQL or Redis is briefly unavailable',
    message: 'The service is briefly unavailable; try again in a few seconds',
  });
  return cases.sort((a, b) => a.status - b.status);
}

export function limitsOf(procedure: ProcedureInfo, doc: AnyDoc): readonly RateLimitName[] {
  if (doc.limits) return doc.limits;
  if (doc.access === 'anyone') return [];
  return [procedure.type === 'query' ? 'query' : 'mutation'];
}

function errorResponses(cases: Case[]): Record<string, unknown> {
  const byStatus = new Map<number, Case[]>();
  for (const c of cases) byStatus.set(c.status, [...(byStatus.get(c.status) ?? []), c]);
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      String(status),
      {
        description: [
          headline[status] ?? 'Refused.',
          ...list.map((c) => `- ${c.field ? `\`${c.field}\`: ` : ''}${c.when}`),
        ].join('\n'),
        ...(status === 429 || status === 503
          ? { headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } } }
          : {}),
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/Error' },
            examples: Object.fromEntries(
              list.map((c, i) => [
                `case${i + 1}`,
                {
                  summary: c.field ? `${c.field}: ${c.when}` : c.when,
                  value: { error: { code: errorCodeOf[status], message: c.message, field: c.field ?? null } },
                },
              ]),
            ),
          },
        },
      },
    ]),
  );
}

const headline: Record<number, string> = {
  400: 'Invalid input; `error.field` names the field, for instance:',
  401: 'Not signed in:',
  403: 'Refused:',
  404: 'Not found:',
  409: 'Not possible in the current state:',
  422: 'Well-formed, but cannot be honoured as asked:',
  429: 'Rate limited; wait `Retry-After` seconds:',
  503: 'Briefly unavailable; retry after `Retry-After` seconds (when present):',
};

function operationText(procedure: ProcedureInfo, doc: AnyDoc): string {
  const who =
    doc.access === 'anyone'
      ? 'anyone, signed in or not'
      : doc.access === 'signed-in'
        ? 'any signed-in user'
        : `signed-in users with the ${(doc.access as string[]).join(' or ')} role`;
  const limits = limitsOf(procedure, doc);
  return [
    doc.description,
    `**Who may call:** ${who}.`,
    `**Rate limits:** ${limits.length ? limits.map(describeLimit).join('; ') : 'none'}.`,
    `**tRPC:** \`${procedure.path}\` (${procedure.type}) at \`/api/trpc/${procedure.path}\`.`,
  ].join('\n\n');
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The input schema as a component, with any `$defs` zod emitted (recursive or registered
 * schemas) lifted beside it: inside an OpenAPI document `#/$defs/…` would point at nothing.
 */
function hoisted(name: string, schema: JsonSchema): Record<string, unknown> {
  const { $defs, ...rest } = schema as JsonSchema & { $defs?: Record<string, JsonSchema> };
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [
          k,
          k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')
            ? `#/components/schemas/${name}.${v.slice('#/$defs/'.length)}`
            : rewrite(v),
        ]),
      );
    }
    return value;
  };
  const out: Record<string, unknown> = { [name]: rewrite(rest) };
  for (const [def, value] of Object.entries($defs ?? {})) out[`${name}.${def}`] = rewrite(value);
  return out;
}
