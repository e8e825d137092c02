import type { AnyTRPCRouter } from '@trpc/server';
import { appRouter } from '../trpc/routers/app';
import { components } from './components';
import type { ProcedureDoc } from './doc-model';
import { type OperationDoc, type OperationParts, operationOf } from './operation';
import { overview } from './overview';
import { procedureDocs, tagDocs } from './procedure-docs';
import { listProcedures, type ProcedureInfo, subscriptionPaths } from './procedures';
import { restPathOf } from './rest-handler';

export type OpenApiDocument = Record<string, unknown> & {
  paths: Record<string, Record<string, Record<string, unknown>>>;
};

export interface DocumentSources {
  router: AnyTRPCRouter;
  // biome-ignore lint/suspicious/noExplicitAny: entries are checked per path by AllProcedureDocs.
  docs: Record<string, ProcedureDoc<any>>;
  tags: Record<string, string>;
}

/** `booking.create` → `booking`; admin groups by sub-router; top-level procedures are `session`. */
export function tagOf(path: string): string {
  const parts = path.split('.');
  return parts.length === 1 ? 'session' : parts.slice(0, -1).join('.');
}

const defaultSources: DocumentSources = { router: appRouter, docs: procedureDocs, tags: tagDocs };

/** What the registry lacks or has too much of; empty when it matches the router exactly. */
export function registryProblems(sources: DocumentSources = defaultSources): string[] {
  const procedures = listProcedures(sources.router);
  const known = new Set(procedures.map((p) => p.path));
  const undocumented = procedures.filter((p) => !sources.docs[p.path]).map((p) => p.path);
  const stale = Object.keys(sources.docs).filter((path) => !known.has(path));
  const untagged = [...new Set(procedures.map((p) => tagOf(p.path)))].filter((t) => !sources.tags[t]);
  const subscriptions = subscriptionPaths(sources.router);
  return [
    subscriptions.length ? `subscriptions have no REST or OpenAPI form: ${subscriptions.join(', ')}` : '',
    undocumented.length ? `undocumented procedures: ${undocumented.join(', ')}` : '',
    stale.length ? `docs for procedures that do not exist: ${stale.join(', ')}` : '',
    untagged.length ? `tags without a description: ${untagged.join(', ')}` : '',
  ].filter(Boolean);
}

/**
 * The OpenAPI 3.1 document of every procedure of `router`, read from the router itself: a
 * procedure added without a registry entry still appears (generated from its input schema,
 * marked `x-undocumented`), so the page never breaks or silently omits it while someone writes
 * its prose. `strict` (the unit test) throws instead, naming what is missing or stale: an
 * undocumented procedure must not ship, but it must not take the docs down either.
 */
export function buildOpenApiDocument(
  sources: DocumentSources = defaultSources,
  options: { strict?: boolean } = {},
): OpenApiDocument {
  const problems = options.strict ? registryProblems(sources) : [];
  if (problems.length > 0) {
    throw new Error(`OpenAPI: ${problems.join('; ')} (server/openapi/procedure-docs.ts)`);
  }
  const procedures = listProcedures(sources.router);

  const paths: OpenApiDocument['paths'] = {};
  const schemas: Record<string, unknown> = { ...components.schemas };
  for (const procedure of procedures) {
    const parts: OperationParts = operationOf(
      procedure,
      sources.docs[procedure.path] ?? undocumentedDoc(procedure),
      tagOf(procedure.path),
    );
    paths[restPathOf(procedure.path)] = { [procedure.type === 'query' ? 'get' : 'post']: parts.operation };
    Object.assign(schemas, parts.schemas);
  }
  const usedTags = new Set(procedures.map((p) => tagOf(p.path)));
  return {
    openapi: '3.1.0',
    info: {
      title: 'OpenDispatch API',
      version: '1',
      description: overview(),
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/', description: 'This server' }],
    tags: [
      ...Object.entries(sources.tags)
        .filter(([name]) => usedTags.has(name))
        .map(([name, description]) => ({ name, description })),
      // A router added without a tag description still gets its group.
      ...[...usedTags].filter((name) => !sources.tags[name]).map((name) => ({ name })),
    ],
    paths,
    components: { ...components, schemas },
  };
}

let cached: OpenApiDocument | null = null;

/** The app's document, built once per process (the router does not change while it runs). */
export function openApiDocument(): OpenApiDocument {
  cached ??= buildOpenApiDocument();
  return cached;
}

/**
 * The entry for a procedure the registry does not have yet: no prose, no examples, and the
 * access the router is most likely to enforce (any session), said to be unverified.
 */
function undocumentedDoc(procedure: ProcedureInfo): OperationDoc {
  return {
    summary: procedure.path,
    description:
      'Not described yet: the input schema is generated from the procedure, but its access, ' +
      'answer and errors have not been written down (server/openapi/procedure-docs.ts).',
    access: 'signed-in',
    example: undefined,
    errors: procedure.input
      ? [{ status: 400, when: 'the input is invalid; `error.field` names the field' }]
      : [],
    undocumented: true,
  };
}

/** `/api/openapi.json`: built from the running router at run time, public (it describes, it grants nothing). */
export function openApiResponse(): Response {
  return Response.json(openApiDocument(), { headers: { 'cache-control': 'public, max-age=300' } });
}
