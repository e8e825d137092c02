import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';

export interface WebAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** Every Set-Cookie line, as sent. */
  setCookies: string[];
  body: string;
}

export interface TrpcAnswer<T> {
  status: number;
  data?: T;
  error?: { message: string; data?: { code: string; httpStatus: number } };
}

/**
 * A browser-like HTTP(S) client for one origin, without a browser: a cookie jar, the page's
 * `Origin` on state-changing requests, a trusted CA for a self-signed certificate. Each request
 * opens its own connection (no keep-alive), so a request is either answered or visibly failed.
 * It connects to `connectTo` but names the public host in `Host`, as a browser at `origin` would.
 */
export class WebClient {
  readonly cookies = new Map<string, string>();
  /** Every Set-Cookie line this client was sent, in order. */
  readonly setCookieLog: string[] = [];
  private readonly url: URL;

  constructor(
    readonly origin: string,
    private readonly options: { ca?: Buffer; connectTo?: { host: string; port: number } } = {},
  ) {
    this.url = new URL(origin);
  }

  request(
    method: string,
    path: string,
    options: { headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
  ): Promise<WebAnswer> {
    const secure = this.url.protocol === 'https:';
    const target = this.options.connectTo ?? { host: '127.0.0.1', port: Number(this.url.port) };
    const headers: Record<string, string> = { host: this.url.host, ...options.headers };
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
    const request = secure ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: target.host,
          port: target.port,
          method,
          path,
          headers,
          agent: false,
          timeout: options.timeoutMs ?? 30_000,
          ...(secure ? { ca: this.options.ca, servername: this.url.hostname } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const setCookies = res.headers['set-cookie'] ?? [];
            this.setCookieLog.push(...setCookies);
            for (const line of setCookies) {
              const [pair] = line.split(';');
              const at = pair!.indexOf('=');
              const name = pair!.slice(0, at).trim();
              const value = pair!.slice(at + 1).trim();
              if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
              else this.cookies.set(name, value);
            }
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              setCookies,
              body: Buffer.concat(chunks).toString('utf8'),
            });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      req.end(options.body);
    });
  }

  get(path: string, headers: Record<string, string> = {}): Promise<WebAnswer> {
    return this.request('GET', path, { headers });
  }

  /** A POST from a page of this origin (same-origin checks pass). */
  post(path: string, body: string, contentType: string, headers: Record<string, string> = {}) {
    return this.request('POST', path, {
      body,
      headers: { 'content-type': contentType, origin: this.origin, ...headers },
    });
  }

  /** Signs in through next-auth's credentials flow, as the sign-in form does. */
  async signIn(email: string, password: string, headers: Record<string, string> = {}): Promise<WebAnswer> {
    const csrf = await this.get('/api/auth/csrf');
    if (csrf.status !== 200) throw new Error(`GET /api/auth/csrf answered ${csrf.status}: ${csrf.body}`);
    const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
    const form = new URLSearchParams({ csrfToken, email, password, callbackUrl: this.origin, json: 'true' });
    return this.post(
      '/api/auth/callback/credentials',
      form.toString(),
      'application/x-www-form-urlencoded',
      headers,
    );
  }

  async trpc<T>(
    path: string,
    input: unknown,
    kind: 'query' | 'mutation' = 'mutation',
  ): Promise<TrpcAnswer<T>> {
    const answer =
      kind === 'mutation'
        ? await this.post(`/api/trpc/${path}`, JSON.stringify(input ?? null), 'application/json')
        : await this.get(
            `/api/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
          );
    let parsed: { result?: { data: T }; error?: TrpcAnswer<T>['error'] } = {};
    try {
      parsed = JSON.parse(answer.body);
    } catch {
      return { status: answer.status, error: { message: answer.body.slice(0, 300) } };
    }
    return { status: answer.status, data: parsed.result?.data, error: parsed.error };
  }
}

/** The attributes of a Set-Cookie line, lower-cased (`secure`, `httponly`, `samesite=lax`, …). */
export function cookieAttributes(line: string): { name: string; attributes: string[] } {
  const [pair, ...rest] = line.split(';');
  return {
    name: pair!.split('=')[0]!.trim(),
    attributes: rest.map((a) => a.trim().toLowerCase()),
  };
}
