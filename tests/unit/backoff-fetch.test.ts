import { describe, expect, it } from 'vitest';
import { backoffFetch } from '@/components/providers/backoff-fetch';

function scripted(answers: Response[]) {
  const calls: string[] = [];
  const waits: number[] = [];
  const client = backoffFetch({
    fetch: async (_input, init) => {
      calls.push(init?.method ?? 'GET');
      return answers.shift() ?? new Response('{}', { status: 200 });
    },
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0,
  });
  return { client, calls, waits };
}

const busy = (headers: Record<string, string> = {}) =>
  new Response('{}', { status: 503, headers: { 'retry-after': '2', ...headers } });

describe('backoffFetch', () => {
  it('waits Retry-After and repeats a read until it is answered', async () => {
    const { client, calls, waits } = scripted([busy(), busy()]);
    const res = await client('/api/trpc/me');
    expect(res.status).toBe(200);
    expect(calls).toHaveLength(3);
    expect(waits).toEqual([2000, 2000]);
  });

  it('repeats a mutation only when the door refused it unread', async () => {
    const unread = scripted([busy({ 'x-od-admission': 'refused' })]);
    expect((await unread.client('/api/trpc/x', { method: 'POST' })).status).toBe(200);
    const maybeRun = scripted([busy()]);
    expect((await maybeRun.client('/api/trpc/x', { method: 'POST' })).status).toBe(503);
    expect(maybeRun.calls).toHaveLength(1);
  });

  it('gives up after its retries and does not wait without Retry-After', async () => {
    const { client, calls } = scripted([busy(), busy(), busy(), busy(), busy()]);
    expect((await client('/a')).status).toBe(503);
    expect(calls).toHaveLength(4);
    const bare = scripted([new Response('{}', { status: 503 })]);
    expect((await bare.client('/a')).status).toBe(503);
    expect(bare.waits).toEqual([]);
  });
});
