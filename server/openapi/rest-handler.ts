import type { SessionUser } from '../auth/session-user';
import { handleTrpcRequest } from '../trpc/http';
import { appRouter } from '../trpc/routers/app';
import { withBoundedBody } from '../web/body-limit';
import type { WebDeps } from '../web/deps';
import { type ProblemBody, problemJson, refusal } from '../web/problem';
import { crossSiteRefusal } from '../web/same-origin';
import { listProcedures, type ProcedureInfo } from './procedures';
import { inputFromQuery, type QueryShape, queryShape } from './query-input';

export const restPrefix = '/api/v1/';

/** `booking.create` ⇄ `/api/v1/booking/create`. */
export const restPathOf = (procedure: string) => `${restPrefix}${procedure.replaceAll('.', '/')}`;

interface RestProcedure extends ProcedureInfo {
  shape: QueryShape;
}

let table: Map<string, RestProcedure> | null = null;

function procedures(): Map<string, RestProcedure> {
  table ??= new Map(
    listProcedures(appRouter).map((p) => [p.path, { ...p, shape: queryShape(p.inputSchema) }]),
  );
  return table;
}

/** The REST error body: what tRPC's errorFormatter says, without the tRPC envelope. */
export type RestError = ProblemBody;

/**
 * `GET /api/v1/<router>/<procedure>` for queries, `POST` with a JSON body for mutations. The
 * request is handed to the same tRPC handler the web app uses (same session, rate limits, error
 * mapping, Retry-After) and its answer unwrapped to `{ data }` or `{ error }` with tRPC's status.
 */
export async function handleRestRequest(
  request: Request,
  deps: WebDeps,
  user: () => Promise<SessionUser | null>,
): Promise<Response> {
  const refused = crossSiteRefusal(request, deps.env.NEXTAUTH_URL);
  if (refused) return refused;
  const url = new URL(request.url);
  const path = url.pathname.slice(restPrefix.length).split('/').filter(Boolean).join('.');
  const procedure = url.pathname.startsWith(restPrefix) ? procedures().get(path) : undefined;
  if (!procedure) return refusal('NOT_FOUND', `No procedure at ${url.pathname}`, { codes: 'http' });
  const method = procedure.type === 'query' ? 'GET' : 'POST';
  if (request.method !== method) {
    const message = `${procedure.path} is a ${procedure.type}: use ${method}`;
    return problemJson(405, { code: 'METHOD_NOT_SUPPORTED', message, field: null }, { allow: method });
  }
  const trpcRequest = await toTrpcRequest(request, url, procedure);
  if (trpcRequest instanceof Response) return trpcRequest;
  return fromTrpcResponse(await handleTrpcRequest(trpcRequest, deps, user));
}

async function toTrpcRequest(
  request: Request,
  url: URL,
  procedure: RestProcedure,
): Promise<Request | Response> {
  const target = new URL(`/api/trpc/${procedure.path}`, url);
  // The caller's headers go along: the client address feeds per-address limits (sign-up).
  const headers = new Headers(request.headers);
  for (const name of ['content-length', 'transfer-encoding', 'trpc-accept', 'trpc-batch-mode'])
    headers.delete(name);
  if (procedure.type === 'mutation') {
    const bounded = await withBoundedBody(request);
    if (!bounded.ok)
      return problemJson(413, { code: 'PAYLOAD_TOO_LARGE', message: bounded.message, field: null });
    const body = await bounded.request.text();
    // Like the tRPC door: a cross-site form can send text/plain without a preflight; only JSON is taken.
    const type = request.headers.get('content-type') ?? '';
    if (body !== '' && !/^application\/json\b/i.test(type)) {
      return problemJson(415, {
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'The body must be JSON (Content-Type: application/json)',
        field: null,
      });
    }
    headers.set('content-type', 'application/json');
    return new Request(target, { method: 'POST', headers, body: body === '' ? undefined : body });
  }
  const query = inputFromQuery(procedure.shape, url.searchParams);
  if (!query.ok) {
    return refusal('INVALID_INPUT', query.message, { field: query.field, codes: 'http' });
  }
  if (query.input !== undefined) target.searchParams.set('input', JSON.stringify(query.input));
  return new Request(target, { method: 'GET', headers });
}

interface TrpcBody {
  result?: { data?: unknown };
  error?: {
    message: string;
    data?: { code?: string; field?: string | null; issues?: RestError['issues'] | null };
  };
}

async function fromTrpcResponse(response: Response): Promise<Response> {
  const body = (await response.json()) as TrpcBody;
  const retryAfter = response.headers.get('retry-after');
  const headers: Record<string, string> = retryAfter ? { 'retry-after': retryAfter } : {};
  if (!body.error) {
    // Answers carry personal data: never stored by a cache between us and the caller.
    const cache = { 'cache-control': 'no-store' };
    return Response.json(
      { data: body.result?.data ?? null },
      { status: response.status, headers: { ...cache, ...headers } },
    );
  }
  const { message, data } = body.error;
  const error: RestError = {
    code: data?.code ?? 'INTERNAL_SERVER_ERROR',
    message,
    field: data?.field ?? null,
  };
  if (data?.issues) error.issues = data.issues;
  return problemJson(response.status, error, headers);
}
