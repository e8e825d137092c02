import http from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppProcess } from './support/app-process';
import { type Harness, ready } from './support/harness';
import { type WebAnswer, WebClient } from './support/web-client';
import { startWebProcess, type WebProcessWorld } from './support/web-process';

/** A POST of `bytes` bytes, streamed chunked (no Content-Length) when `chunked`. */
function bigPost(port: number, path: string, bytes: number, chunked: boolean) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (!chunked) headers['content-length'] = bytes;
    const req = http.request(
      { host: '127.0.0.1', port, path, method: 'POST', headers, agent: false },
      (res) => {
        let body = '';
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 'a');
    for (let sent = 0; sent < bytes; sent += chunk.length) req.write(chunk);
    req.end();
  });
}

/**
 * Admission control of the real web process (server/web/main.ts, the API door before Next): with
 * its in-flight bound reached, a further API request is refused at once with 503, Retry-After and
 * a problem body instead of queueing; the requests it took are answered correctly; probes still
 * answer; the refusals are counted in /api/metrics.
 */
let world: WebProcessWorld;
let h: Harness;
let web: AppProcess;
const bound = 4;

beforeAll(async () => {
  world = await startWebProcess('admission', () => ({
    WEB_MAX_IN_FLIGHT: String(bound),
    // The in-flight bound alone decides here; the event-loop signal would depend on the machine.
    WEB_MAX_EVENT_LOOP_DELAY_MS: '0',
  }));
  ({ h, web } = world);
}, 600_000);

afterAll(async () => {
  await world?.stop();
}, 120_000);

async function waitingOnLocks(): Promise<number> {
  const { rows } = await h.postgres.pool.query<{ n: number }>(
    `select count(*)::int as n from pg_stat_activity
      where datname = current_database() and application_name = 'opendispatch-web' and wait_event_type = 'Lock'`,
  );
  return rows[0]!.n;
}

async function timed(send: () => Promise<WebAnswer>): Promise<WebAnswer & { ms: number }> {
  const started = performance.now();
  const answer = await send();
  return { ...answer, ms: performance.now() - started };
}

describe('web admission control', () => {
  it('refuses API requests over its in-flight bound with a fast 503 + Retry-After and answers the rest', async () => {
    const client = new WebClient(`http://localhost:${web.port}`);
    // Sign-ups wait on the test's lock on users: `bound` requests held in flight inside web.
    const lock = new pg.Client({ connectionString: h.databaseUrl });
    await lock.connect();
    await lock.query('begin');
    await lock.query('lock table users in access exclusive mode');
    const held = Array.from({ length: bound }, (_, i) =>
      client.post(
        '/api/trpc/account.signUp',
        JSON.stringify({ email: `held-${i}@example.test`, name: `Held ${i}`, password: 'long enough 123' }),
        'application/json',
        { 'x-real-ip': `10.9.0.${i + 1}` },
      ),
    );
    await vi.waitFor(async () => ready('sign-ups waiting inside web', (await waitingOnLocks()) >= bound), {
      timeout: 30_000,
    });

    const refused = [];
    for (let i = 0; i < 10; i++) {
      refused.push(await timed(() => client.get('/api/trpc/me')));
      refused.push(await timed(() => client.get('/api/v1/me')));
    }
    for (const answer of refused) {
      expect(answer.status, answer.body).toBe(503);
      expect(answer.headers['retry-after']).toBe('1');
      expect(answer.headers['x-od-admission']).toBe('refused');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(JSON.parse(answer.body)).toEqual({
        error: { code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/busy/), field: null },
      });
    }
    const ms = refused.map((a) => a.ms).sort((a, b) => a - b);
    console.log(
      `refusals: median ${ms[10]!.toFixed(1)} ms, max ${ms.at(-1)!.toFixed(1)} ms (new connection each)`,
    );
    expect(ms[10]).toBeLessThan(50);
    // Probes are never refused: they say how the process is, busy or not.
    expect((await client.get('/api/health')).status).toBe(200);

    await lock.query('commit');
    await lock.end();
    const answers = await Promise.all(held);
    for (const [i, answer] of answers.entries()) {
      expect(answer.status, answer.body).toBe(200);
      expect(JSON.parse(answer.body).result.data).toMatchObject({ email: `held-${i}@example.test` });
    }
    const { rows } = await h.postgres.pool.query(
      `select count(*)::int as n from users where email like 'held-%'`,
    );
    expect(rows[0].n).toBe(bound);

    // The bound is free again: the next call is answered.
    const me = await client.get('/api/trpc/me');
    expect(me.status).toBe(200);
    expect(JSON.parse(me.body)).toEqual({ result: { data: null } });
    const metrics = await client.get('/api/metrics');
    const count = /od_web_admission_refused_total\{[^}]*reason="in_flight"[^}]*\} (\d+)/.exec(metrics.body);
    expect(Number(count?.[1])).toBe(refused.length);
  });

  it('answers an oversized body with 413, declared or streamed, without resetting the connection', async () => {
    for (const chunked of [false, true]) {
      const trpc = await bigPost(web.port, '/api/trpc/account.signUp', 2 * 1_048_576, chunked);
      expect(trpc.status, trpc.body).toBe(413);
      expect(JSON.parse(trpc.body).error.data.code).toBe('PAYLOAD_TOO_LARGE');
      const rest = await bigPost(web.port, '/api/v1/account/signUp', 2 * 1_048_576, chunked);
      expect(rest.status, rest.body).toBe(413);
      expect(JSON.parse(rest.body).error.code).toBe('PAYLOAD_TOO_LARGE');
    }
  });
});
