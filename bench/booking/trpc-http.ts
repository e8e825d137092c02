import { Agent, request } from 'node:http';

/**
 * A minimal tRPC-over-HTTP client: what the browser's tRPC link sends, without React Query or
 * the link machinery (their cost would land on the load generator, not the web process).
 * tRPC v11 without a transformer: a mutation is `POST /api/trpc/<path>` with the input as the
 * JSON body; a query is `GET /api/trpc/<path>?input=<json>`; the answer is `{ result: { data } }`
 * or `{ error: { message, data: { code, httpStatus } } }`.
 */
export type TrpcAnswer<T> =
  | { ok: true; data: T }
  | { ok: false; status: number; code: string; message: string };

export class TrpcHttp {
  private readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;

  /**
   * `origin`: the page origin a browser would send with every POST (the web's public URL); the
   * route's same-origin check (server/web/same-origin.ts) then does the work it does for browsers.
   */
  constructor(
    baseUrl: string,
    private readonly origin: string | null = null,
    maxSockets = 64,
  ) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port || 80);
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  mutation<T>(path: string, input: unknown, cookie?: string): Promise<TrpcAnswer<T>> {
    return this.send<T>('POST', `/api/trpc/${path}`, JSON.stringify(input ?? null), cookie);
  }

  query<T>(path: string, input: unknown, cookie?: string): Promise<TrpcAnswer<T>> {
    const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    return this.send<T>('GET', `/api/trpc/${path}${query}`, null, cookie);
  }

  close(): void {
    this.agent.destroy();
  }

  /**
   * Sends once and, if a kept-alive connection turns out closed by the server (ECONNRESET on
   * reuse), once more: every procedure the benchmark calls is safe to repeat (quotes are
   * stateless, create has an idempotency key, cancel of a cancelled booking is refused harmlessly).
   */
  private async send<T>(
    method: string,
    path: string,
    body: string | null,
    cookie: string | undefined,
  ): Promise<TrpcAnswer<T>> {
    try {
      return await this.once<T>(method, path, body, cookie);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== 'ECONNRESET' && code !== 'EPIPE') throw error;
      return this.once<T>(method, path, body, cookie);
    }
  }

  private once<T>(
    method: string,
    path: string,
    body: string | null,
    cookie: string | undefined,
  ): Promise<TrpcAnswer<T>> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { accept: 'application/json' };
      if (body !== null) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(body);
        if (this.origin) headers.origin = this.origin;
      }
      if (cookie) headers.cookie = cookie;
      const req = request(
        { host: this.host, port: this.port, method, path, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            let parsed: {
              result?: { data: T };
              error?: { message?: string; data?: { code?: string } };
            } | null = null;
            try {
              parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              parsed = null;
            }
            if (status === 200 && parsed?.result) return resolve({ ok: true, data: parsed.result.data });
            resolve({
              ok: false,
              status,
              code: parsed?.error?.data?.code ?? `HTTP_${status}`,
              message: parsed?.error?.message ?? 'unparseable answer',
            });
          });
        },
      );
      req.on('error', reject);
      req.end(body ?? undefined);
    });
  }
}
