import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { seededRandom } from '@/domain/seeded-random';
import { createKafka, groupId, topicNames } from '@/server/infra/kafka';
import { createLogger } from '@/server/infra/logger';
import { createRedis } from '@/server/infra/redis';
import { startNearestIndexFeed } from '@/workers/nearest-index-feed';
import { Histogram } from '../lib/histogram';
import { runChild } from './child';
import { benchFleet, randomPointInCity, vehicleTypeIds } from './fleet';
import { type OracleOutcome, oracleAgreement } from './nearest-oracle';

/**
 * Nearest-driver queries the way dispatch asks them (ADR 0018): this process holds the in-memory
 * index, warm from the Redis live index and fed by the same Kafka stream as the workers, exactly
 * as `workers/start.ts` starts it; k = 10 of a random vehicle type within 3 km, random points.
 * `open`: `ratePerS` queries a second on a schedule, latency measured from each query's planned
 * start (waiting behind a Kafka batch counts). `closed`: as many as one core answers.
 */
export interface NearestConfig {
  redisUrl: string;
  prefix: string;
  kafkaBrokers: string;
  topicPrefix: string;
  mode: 'open' | 'closed';
  ratePerS: number;
  seed: number;
  /** The fleet (benchFleet) to check answers against a brute force over Redis when reporting. */
  fleet: { drivers: number; seed: number; oracleQueries: number };
}

export interface NearestReport {
  queries: number;
  latency: ReturnType<Histogram['snapshot']>;
  measuringMs: number;
  meanFound: number;
  meanCellsRead: number;
  warm: { drivers: number; ms: number; snapshotMs: number };
  /** Heap held by the index: after warm-up minus before, and at the end. */
  indexHeapMiB: number;
  heapUsedMiB: number;
  rssMiB: number;
  positionsApplied: number;
  oracle: OracleOutcome;
}

const mib = (bytes: number) => bytes / 1_048_576;
/** A full collection before and after the warm start, so the heap difference is what the index holds. */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

void runChild<NearestConfig>(async (config) => {
  const logger = createLogger('bench-nearest', 'warn');
  const redis = createRedis(config.redisUrl, { name: 'bench-nearest' });
  const kafka = createKafka({ brokers: config.kafkaBrokers, clientId: 'bench-nearest', logger });
  const topics = topicNames(config.topicPrefix);
  const instanceId = `bench-${process.pid}`;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  let positionsApplied = 0;
  const feed = await startNearestIndexFeed({
    kafka,
    topics,
    topicPrefix: config.topicPrefix,
    logger,
    redis,
    redisPrefix: config.prefix,
    instanceId,
    onApplied: (n) => {
      positionsApplied += n;
    },
  });
  gc();
  const indexHeapMiB = mib(process.memoryUsage().heapUsed - heapBefore);
  const random = seededRandom(config.seed);
  const latency = new Histogram();
  let queries = 0;
  let found = 0;
  let cellsRead = 0;
  let running = false;
  let startedAt = 0;
  let stoppedAt = 0;
  let timer: NodeJS.Timeout | null = null;
  let closedLoop: Promise<void> | null = null;

  const ask = () => {
    const point = randomPointInCity(random);
    const vehicleTypeId = vehicleTypeIds[Math.floor(random() * vehicleTypeIds.length)]!;
    const result = feed.index.nearest({
      ...point,
      vehicleTypeId,
      k: 10,
      maxRadiusM: 3_000,
      nowMs: Date.now(),
    });
    queries++;
    found += result.drivers.length;
    cellsRead += result.cellsRead;
  };

  // Every millisecond, the queries due by now; each one's latency counts from when it was due. At
  // most a few milliseconds' worth per tick: a process starved of CPU falls behind (and its
  // latency shows it) instead of never returning to its Kafka reader, which the group would expel.
  const perTick = Math.max(1, Math.ceil(config.ratePerS / 250));
  const tick = () => {
    const due = Math.min(
      Math.floor(((performance.now() - startedAt) * config.ratePerS) / 1000),
      queries + perTick,
    );
    while (queries < due) {
      const plannedAt = startedAt + (queries * 1000) / config.ratePerS;
      ask();
      latency.record(performance.now() - plannedAt);
    }
  };

  const closed = async () => {
    while (running) {
      for (let i = 0; i < 200; i++) {
        const t = performance.now();
        ask();
        latency.record(performance.now() - t);
      }
      // Let the Kafka reader run between bursts, as it does in the workers process.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  /** Waits until this process's readers committed the end of both topics (the drain is over). */
  const caughtUp = async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const deadline = Date.now() + 60_000;
      for (;;) {
        let behind = 0;
        for (const [name, topic] of [
          [`nearest-${instanceId}`, topics.driverLocation],
          [`nearest-${instanceId}-events`, topics.driverEvents],
        ] as const) {
          const ends = await admin.fetchTopicOffsets(topic);
          const [committed] = await admin.fetchOffsets({
            groupId: groupId(config.topicPrefix, name),
            topics: [topic],
          });
          for (const end of ends) {
            const at = Number(committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? -1);
            behind += Math.max(0, Number(end.high) - Math.max(0, at));
          }
        }
        if (behind === 0 || Date.now() > deadline) return behind;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    } finally {
      await admin.disconnect();
    }
  };

  return {
    start() {
      running = true;
      startedAt = performance.now();
      if (config.mode === 'open') timer = setInterval(tick, 1);
      else closedLoop = closed();
    },
    async stop() {
      running = false;
      if (timer) clearInterval(timer);
      await closedLoop;
      stoppedAt = performance.now();
    },
    async report(): Promise<NearestReport> {
      const behind = await caughtUp();
      if (behind > 0)
        console.warn(`  nearest child: ${behind} messages still unread when checking the oracle`);
      const oracle = await oracleAgreement(
        redis,
        config.prefix,
        benchFleet(config.fleet.drivers, config.fleet.seed),
        feed.index,
        config.fleet.oracleQueries,
        config.seed + 1,
      );
      const memory = process.memoryUsage();
      return {
        queries,
        latency: latency.snapshot(),
        measuringMs: (stoppedAt || performance.now()) - startedAt,
        meanFound: queries ? found / queries : 0,
        meanCellsRead: queries ? cellsRead / queries : 0,
        warm: feed.warm,
        indexHeapMiB,
        heapUsedMiB: mib(memory.heapUsed),
        rssMiB: mib(memory.rss),
        positionsApplied,
        oracle,
      };
    },
  };
});
