import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { NextRequest } from 'next/server';
import NextAuth from 'next-auth';
import { encode } from 'next-auth/jwt';
import * as analyticsExport from '@/app/api/analytics/export/route';
import * as auth from '@/app/api/auth/[...nextauth]/route';
import * as health from '@/app/api/health/route';
import * as metrics from '@/app/api/metrics/route';
import * as openapi from '@/app/api/openapi.json/route';
import * as trpc from '@/app/api/trpc/[trpc]/route';
import * as restV1 from '@/app/api/v1/[...path]/route';
import { authOptions } from '@/server/auth/next-auth-options';
import type { SessionUser } from '@/server/auth/session-user';
import { handleTrpcRequest } from '@/server/trpc/http';
import type { WebDeps } from '@/server/web/deps';
import type { RestRequest } from '@/tests/security/authorization-matrix';

/**
 * The app's REST routes, called in-process through their own modules (app/api/**\/route.ts): the
 * handlers the API door (server/web/api-door.ts) and Next serve them with (same-origin check,
 * session cookie → session, role), minus the HTTP server. The web dependencies the routes look
 * up (`webDeps()`) are the test harness's.
 *
 * next-auth's App Router handler reads cookies through next/headers, which works only inside a Next
 * server; its GET endpoints are therefore called through next-auth's other (API-route) entry with
 * the app's `authOptions()`: the same core, options and cookie, only the glue differs. POSTs go
 * through the route module, whose checks (cross-site refusal, sign-in throttle) run before next-auth.
 */
const holder = globalThis as typeof globalThis & { __odWebDeps?: WebDeps };

export function installWebDeps(deps: WebDeps): () => void {
  const before = holder.__odWebDeps;
  holder.__odWebDeps = deps;
  return () => {
    holder.__odWebDeps = before;
  };
}

/** The next-auth session cookie a browser of `user` carries (as the credentials sign-in sets it). */
export async function sessionCookie(deps: WebDeps, user: SessionUser | null): Promise<string | null> {
  if (!user) return null;
  const token = await encode({
    secret: deps.env.NEXTAUTH_SECRET,
    token: {
      name: user.name,
      email: user.email,
      sub: user.id,
      uid: user.id,
      role: user.role,
      sid: user.sessionId,
    },
  });
  const secure = deps.env.NEXTAUTH_URL.startsWith('https://');
  return `${secure ? '__Secure-' : ''}next-auth.session-token=${token}`;
}

export interface RouteAnswer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

type Handler = (request: NextRequest, context: { params: Promise<Record<string, unknown>> }) => unknown;

/** Route pattern → module, for every route file under app/api (the test checks none is missing). */
const routes: Record<string, Partial<Record<'GET' | 'POST', Handler>>> = {
  '/api/health': health as never,
  '/api/metrics': metrics as never,
  '/api/trpc/[trpc]': trpc as never,
  '/api/analytics/export': analyticsExport as never,
  '/api/auth/[...nextauth]': auth as never,
  '/api/openapi.json': openapi as never,
  '/api/v1/[...path]': restV1 as never,
};

/** The route patterns this helper can call. */
export const callableRoutes = Object.keys(routes).sort();

/** Every route file's URL pattern, from the file tree (app/api/**\/route.ts). */
export function routePatterns(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/^route\.(ts|tsx|js)$/.test(entry))
        found.push(`/${relative(join(root, 'app'), dir).split('\\').join('/')}`);
    }
  };
  walk(join(root, 'app', 'api'));
  return found.sort();
}

function patternOf(path: string): string {
  const pathname = path.split('?')[0]!;
  if (pathname.startsWith('/api/trpc/')) return '/api/trpc/[trpc]';
  if (pathname.startsWith('/api/auth/')) return '/api/auth/[...nextauth]';
  if (pathname.startsWith('/api/v1/')) return '/api/v1/[...path]';
  return pathname;
}

export async function callRoute(
  deps: WebDeps,
  request: RestRequest,
  user: SessionUser | null,
): Promise<RouteAnswer> {
  const base = deps.env.NEXTAUTH_URL;
  const headers = new Headers({ host: new URL(base).host });
  const cookie = await sessionCookie(deps, user);
  if (cookie) headers.set('cookie', cookie);
  if (request.contentType) headers.set('content-type', request.contentType);
  for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, value);
  if (request.origin === 'same-site') headers.set('origin', base);
  if (request.origin === 'cross-site') {
    headers.set('origin', 'https://evil.example');
    headers.set('sec-fetch-site', 'cross-site');
  }
  const url = new URL(request.path, base);
  const init = { method: request.method, headers, body: request.body };
  const pattern = patternOf(request.path);
  let response: Response;
  if (pattern === '/api/auth/[...nextauth]' && request.method === 'GET') {
    response = await nextAuthGet(url, headers);
  } else {
    const handler = routes[pattern]?.[request.method];
    if (!handler) throw new Error(`no route module handles ${request.method} ${pattern}`);
    const rest = url.pathname.split('/').slice(3);
    const params = Promise.resolve({ trpc: rest[0], nextauth: rest, path: rest });
    response = (await handler(new NextRequest(url, init), { params })) as Response;
  }
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** next-auth's API-route entry, with a minimal response object that collects what it sends. */
async function nextAuthGet(url: URL, headers: Headers): Promise<Response> {
  const out = { status: 200, headers: new Headers(), body: '' as string };
  const res = {
    status(code: number) {
      out.status = code;
      return res;
    },
    getHeader: (name: string) => out.headers.get(name) ?? undefined,
    setHeader(name: string, value: string | string[]) {
      for (const v of Array.isArray(value) ? value : [value]) out.headers.append(name, v);
      return res;
    },
    send(body: unknown) {
      out.body = typeof body === 'string' ? body : JSON.stringify(body ?? null);
    },
    json(body: unknown) {
      out.body = JSON.stringify(body ?? null);
    },
    end() {},
  };
  const req = {
    method: 'GET',
    query: { ...Object.fromEntries(url.searchParams), nextauth: url.pathname.split('/').slice(3) },
    headers: Object.fromEntries(headers),
    cookies: Object.fromEntries(
      (headers.get('cookie') ?? '')
        .split(';')
        .filter((c) => c.includes('='))
        .map((c) => [c.slice(0, c.indexOf('=')).trim(), c.slice(c.indexOf('=') + 1).trim()]),
    ),
    body: undefined,
  };
  await (NextAuth as unknown as (req: unknown, res: unknown, options: unknown) => Promise<void>)(
    req,
    res,
    authOptions(),
  );
  return new Response(out.body, { status: out.status, headers: out.headers });
}

/**
 * `httpCall` (support/trpc.ts) with a client address: one tRPC call through the real HTTP handler,
 * real status codes, from `ip` (anonymous actions are limited per address).
 */
export async function callProcedure<T = unknown>(
  deps: WebDeps,
  user: SessionUser | null,
  path: string,
  input: unknown,
  kind: 'query' | 'mutation',
  ip = '198.51.100.1',
): Promise<{ status: number; data?: T; error?: { message: string; data: Record<string, unknown> } }> {
  const url = `http://it.test/api/trpc/${path}`;
  const headers = { 'content-type': 'application/json', 'x-real-ip': ip };
  const req =
    kind === 'mutation'
      ? new Request(url, { method: 'POST', headers, body: JSON.stringify(input) })
      : new Request(input === undefined ? url : `${url}?input=${encodeURIComponent(JSON.stringify(input))}`, {
          headers,
        });
  const res = await handleTrpcRequest(req, deps, async () => user);
  const body = (await res.json()) as {
    result?: { data: T };
    error?: { message: string; data: Record<string, unknown> };
  };
  return { status: res.status, data: body.result?.data, error: body.error };
}

/**
 * The same call as `callProcedure`, through the REST door (/api/v1, its route module): cookie →
 * auth session → the same tRPC handler. Queries are GETs with the input as one JSON `input`
 * parameter (accepted for every query), mutations same-site POSTs with a JSON body.
 */
export async function callProcedureOverRest<T = unknown>(
  ...[deps, user, path, input, kind, ip = '198.51.100.1']: Parameters<typeof callProcedure>
): Promise<{ status: number; data?: T; error?: { message: string; data: Record<string, unknown> } }> {
  const rest = `/api/v1/${path.replaceAll('.', '/')}`;
  const headers = { 'x-real-ip': ip };
  const request: RestRequest =
    kind === 'mutation'
      ? {
          method: 'POST',
          path: rest,
          origin: 'same-site',
          contentType: 'application/json',
          headers,
          body: input === undefined ? undefined : JSON.stringify(input),
        }
      : {
          method: 'GET',
          path: input === undefined ? rest : `${rest}?input=${encodeURIComponent(JSON.stringify(input))}`,
          headers,
        };
  const answer = await callRoute(deps, request, user);
  const body = (answer.json ?? {}) as { data?: T; error?: { message: string; field: string | null } };
  return {
    status: answer.status,
    // REST answers `{ data: null }` where tRPC answers `null`: the same value either way.
    data: body.error ? undefined : (body.data as T),
    error: body.error ? { message: body.error.message, data: { ...body.error } } : undefined,
  };
}
