import { Redis } from 'ioredis';
import { encodeCommand, RespPipe } from '../resp-pipe';
import { redisUrl } from '../services-config';
import {
  type CeilingOptions,
  type CeilingResult,
  city,
  closedLoop,
  defaultDurationMs,
  Histogram,
  pointInCity,
  scratchId,
  seededRandom,
} from './common';

const drivers = 100_000;
const membersPerGeoadd = 100; // a socket batch holds at most 100 pings
const commandsPerPipeline = 50;

/** Pre-encoded GEOADD pipelines moving every one of `drivers` members to a new random spot. */
function geoaddPipelines(key: string, seed: number): Buffer[] {
  const random = seededRandom(seed);
  const pipelines: Buffer[] = [];
  const perPipeline = membersPerGeoadd * commandsPerPipeline;
  for (let first = 0; first < drivers; first += perPipeline) {
    let text = '';
    for (let c = 0; c < commandsPerPipeline; c++) {
      const args: (string | number)[] = ['GEOADD', key];
      for (let m = 0; m < membersPerGeoadd; m++) {
        const p = pointInCity(random);
        args.push(p.lng.toFixed(6), p.lat.toFixed(6), `drv-${first + c * membersPerGeoadd + m}`);
      }
      text += encodeCommand(args);
    }
    pipelines.push(Buffer.from(text));
  }
  return pipelines;
}

async function deleteScratch(prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * Members written per second by multi-member GEOADD (100 members a command, 50 commands a
 * pipeline, two pipelines in flight), each write moving one of 100k members: the work of a live
 * index update without Lua or per-driver hashes around it.
 */
export async function redisGeoaddPerS(options: CeilingOptions = {}): Promise<CeilingResult> {
  const prefix = `bench:ceiling:${scratchId()}:`;
  const sets = [geoaddPipelines(`${prefix}geo`, 1), geoaddPipelines(`${prefix}geo`, 2)];
  let next = 0;
  return twoPipelinesInFlight(prefix, options, {
    send: async (pipe) => {
      const set = sets[Math.floor(next / sets[0]!.length) % 2]!;
      const buffer = set[next++ % set.length]!;
      await pipe.send(buffer, commandsPerPipeline);
      return commandsPerPipeline * membersPerGeoadd;
    },
    note: `${membersPerGeoadd} members per GEOADD, ${commandsPerPipeline} commands per pipeline, 2 in flight, raw RESP`,
  });
}

/** HSET commands per second, 1,000 per pipeline, two pipelines in flight, over 10k hashes. */
export async function redisPipelinedOpsPerS(options: CeilingOptions = {}): Promise<CeilingResult> {
  const prefix = `bench:ceiling:${scratchId()}:`;
  const perPipeline = 1_000;
  const random = seededRandom(3);
  const pipelines = Array.from({ length: 10 }, (_, p) => {
    let text = '';
    for (let i = 0; i < perPipeline; i++)
      text += encodeCommand(['HSET', `${prefix}drv:${p * perPipeline + i}`, 'lat', random().toFixed(6)]);
    return Buffer.from(text);
  });
  let next = 0;
  return twoPipelinesInFlight(prefix, options, {
    send: async (pipe) => {
      await pipe.send(pipelines[next++ % pipelines.length]!, perPipeline);
      return perPipeline;
    },
    note: 'HSET, 1,000 per pipeline, 2 in flight, raw RESP',
  });
}

/**
 * Pre-encoded pipelines sent over one raw RESP connection, two in flight, for the measuring
 * window; `send` returns how many operations its pipeline carried. The scratch keys are deleted after.
 */
async function twoPipelinesInFlight(
  prefix: string,
  options: CeilingOptions,
  load: { send: (pipe: RespPipe) => Promise<number>; note: string },
): Promise<CeilingResult> {
  const pipe = await RespPipe.open();
  try {
    const { ops, seconds } = await closedLoop({
      durationMs: options.durationMs ?? defaultDurationMs,
      lanes: 2,
      step: () => load.send(pipe),
    });
    return { perS: ops / seconds, note: load.note };
  } finally {
    pipe.close();
    await deleteScratch(prefix);
  }
}

/**
 * GEOSEARCH FROMLONLAT … BYRADIUS 1 km ASC COUNT 10 over 100k members spread on a 25 km square
 * (≈ 500 inside each circle), 16 queries in flight through ioredis, as the nearest-driver query
 * would be sent. Queries/s and latency percentiles (which include the queueing of 16 in flight).
 */
export async function redisGeosearchPerS(options: CeilingOptions = {}): Promise<CeilingResult> {
  const prefix = `bench:ceiling:${scratchId()}:`;
  const key = `${prefix}geo`;
  const pipe = await RespPipe.open();
  const redis = new Redis(redisUrl);
  try {
    for (const buffer of geoaddPipelines(key, 4)) await pipe.send(buffer, commandsPerPipeline);
    const indexed = await redis.zcard(key);
    const random = seededRandom(5);
    const latency = new Histogram();
    let found = 0;
    let queries = 0;
    const { ops, seconds } = await closedLoop({
      durationMs: options.durationMs ?? defaultDurationMs,
      lanes: 16,
      latency,
      step: async () => {
        const p = pointInCity(random);
        const hits = await redis.geosearch(
          key,
          'FROMLONLAT',
          p.lng,
          p.lat,
          'BYRADIUS',
          1,
          'km',
          'ASC',
          'COUNT',
          10,
        );
        found += hits.length;
        queries++;
        return 1;
      },
    });
    const summary = latency.summary();
    return {
      perS: ops / seconds,
      extra: { redisGeosearchP50Ms: summary.p50, redisGeosearchP99Ms: summary.p99 },
      note: `${indexed} members around ${city.lat},${city.lng}; 16 in flight; ${(found / Math.max(1, queries)).toFixed(1)} hits per query on average`,
    };
  } finally {
    pipe.close();
    redis.disconnect();
    await deleteScratch(prefix);
  }
}
