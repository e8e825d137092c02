import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NearestQuery } from '@/server/adapters/live-index';
import { nearestToken } from '@/server/infra/nearest-token';
import { nearestHttpHandler } from '@/workers/nearest-http';

const asked: NearestQuery[] = [];
let server: Server;
let base: string;
const secret = 'a-test-secret-of-some-length';

beforeAll(async () => {
  const handler = nearestHttpHandler({
    source: {
      nearest: (q) => {
        asked.push(q);
        return {
          drivers: [{ driverId: 'd1', lat: q.lat, lng: q.lng, distanceM: 0, lastSeenAt: q.nowMs }],
          cellsRead: 1,
          verified: 1,
        };
      },
    },
    secret,
  });
  server = createServer((req, res) => {
    if (!handler(req, res)) {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const headers = { 'x-nearest-token': nearestToken(secret) };
const good = 'lat=12.97&lng=77.59&vehicleTypeId=economy&k=10&maxRadiusM=3000&nowMs=1800000000000';

describe('workers /nearest', () => {
  it('answers from the index with the parsed query', async () => {
    const res = await fetch(`${base}/nearest?${good}`, { headers });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ drivers: [{ driverId: 'd1', lat: 12.97 }] });
    expect(asked.at(-1)).toEqual({
      lat: 12.97,
      lng: 77.59,
      vehicleTypeId: 'economy',
      k: 10,
      maxRadiusM: 3000,
      nowMs: 1800000000000,
    });
  });

  it('refuses a missing or wrong token, and names the bad field', async () => {
    expect((await fetch(`${base}/nearest?${good}`)).status).toBe(401);
    expect((await fetch(`${base}/nearest?${good}`, { headers: { 'x-nearest-token': 'nope' } })).status).toBe(
      401,
    );
    const bad = await fetch(`${base}/nearest?${good.replace('lat=12.97', 'lat=95')}`, { headers });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'lat' });
    const tooMany = await fetch(`${base}/nearest?${good.replace('k=10', 'k=500')}`, { headers });
    expect(await tooMany.json()).toMatchObject({ field: 'k' });
  });

  it('leaves other paths to the ops handler', async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
  });
});
