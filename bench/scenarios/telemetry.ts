import { join } from 'node:path';
import { gridDisk, latLngToCell } from 'h3-js';
import pg from 'pg';
import { defaultPresencePolicy } from '@/domain/driver-availability';
import { haversineMeters } from '@/domain/geo';
import { viewportResolution } from '@/domain/realtime-contract';
import { seededRandom } from '@/domain/seeded-random';
import { root } from '@/scripts/lib/paths';
import { startStack } from '@/scripts/lib/stack';
import { LiveIndex } from '@/server/adapters/live-index';
import { createKafka } from '@/server/infra/kafka';
import { createLogger } from '@/server/infra/logger';
import { createRedis, type Redis } from '@/server/infra/redis';
import { kafkaProducePerS, redisGeoaddPerS, socketIoFanoutPerS } from '../lib/ceilings';
import { summariseProfiles } from '../lib/cpu-profile-summary';
import { Histogram } from '../lib/histogram';
import { ProcessSampler, samplerMetrics } from '../lib/process-sampler';
import type { ScenarioOptions, ScenarioResult } from '../lib/scenario';
import { servicePids } from '../lib/service-pids';
import { accountHop, lastAcked } from '../telemetry/accounting';
import { dispatcherTokens, prepareBenchStack } from '../telemetry/bench-stack';
import { BenchChild } from '../telemetry/child';
import type { DispatchersReport } from '../telemetry/dispatchers-child';
import { benchFleet, randomPointInCity, vehicleTypeIds } from '../telemetry/fleet';
import {
  type FreshnessProbe,
  freshnessSummary,
  pollGauge,
  probeFreshness,
  roomOf,
} from '../telemetry/freshness';
import type { GatewaysProgress, GatewaysReport } from '../telemetry/gateways-child';
import type { NearestReport } from '../telemetry/nearest-child';

export const defaultDurationS = 120;

/**
 * `npm run bench -- telemetry`: a metro's fleet (100k drivers, one position each every 4 s =
 * 25k updates/s) through the real processes: gateway sockets → realtime (validation, filters,
 * acks=-1 publish) → Kafka → workers (live index in Redis, history in PostgreSQL) and realtime's
 * own reader → dispatcher sockets; nearest-driver queries against the index meanwhile.
 * Then an overload phase (one position every 2 s = 50k/s offered) probes how fresh the index and
 * the dispatchers stay (telemetry/freshness.ts). Every ping is accounted for at every hop.
 * Ceilings are measured in the same run.
 */
export async function run(options: ScenarioOptions): Promise<ScenarioResult> {
  const drivers = options.quick ? 10_000 : 100_000;
  const periodMs = 4_000;
  const warmupS = options.quick ? 5 : 15;
  const measureS = options.quick ? 15 : options.durationS;
  const overloadS = options.quick ? 8 : 20;
  /** Every this-many-th driver is probed for freshness in the overload phase. */
  const sampleEvery = 50;
  const seed = 20261126;
  const notes: string[] = [];

  console.log('  preparing an isolated stack (database, Redis db 5, bench.* topics)…');
  const stack = await prepareBenchStack(options.kafkaBrokers);

  console.log('  measuring ceilings (raw Kafka produce, Redis GEOADD, Socket.IO fan-out)…');
  const ceilingMs = options.quick ? 1_000 : 3_000;
  const kafka = await kafkaProducePerS({ durationMs: ceilingMs, kafkaBrokers: options.kafkaBrokers });
  const geoadd = await redisGeoaddPerS({ durationMs: ceilingMs });
  const fanout = await socketIoFanoutPerS({ durationMs: ceilingMs });

  console.log(`  putting ${drivers.toLocaleString()} drivers on duty in the live index…`);
  const fleet = benchFleet(drivers, seed);
  const redis = createRedis(stack.env.REDIS_URL!, { name: 'bench' });
  const index = new LiveIndex(redis, { prefix: stack.env.REDIS_PREFIX!, presence: defaultPresencePolicy });
  for (let start = 0; start < fleet.length; start += 2_000) {
    await index.setStates(
      fleet.slice(start, start + 2_000).map((d) => ({
        driverId: d.id,
        version: 1,
        state: 'available',
        sessionId: d.sessionId,
        vehicleTypeId: d.vehicleTypeId,
        vehicleId: null,
        at: Date.now(),
      })),
    );
  }

  console.log('  starting workers and realtime (real entry points)…');
  const profileDir = join(root, 'bench-results', `profiles-telemetry-${Date.now()}`);
  const running = await startStack(
    stack,
    ['workers', 'realtime'],
    options.profile ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {},
  );
  const realtimeUrl = `http://127.0.0.1:${stack.ports.realtime}`;
  const children: BenchChild[] = [];
  try {
    const random = seededRandom(seed + 7);
    const viewports = Array.from({ length: options.quick ? 4 : 10 }, () => {
      const p = randomPointInCity(random);
      return gridDisk(latLngToCell(p.lat, p.lng, viewportResolution), 1);
    });
    const tokens = await dispatcherTokens(stack, viewports.length);
    const watched = new Set(viewports.flat());
    const sampleIds = fleet.filter((_, i) => i % sampleEvery === 0).map((d) => d.id);
    const dispatchers = new BenchChild('./dispatchers-child.ts', {
      realtimeUrl,
      dispatchers: viewports.map((cells, i) => ({ token: tokens[i]!, cells })),
      sampleIds,
    });
    const gateways = new BenchChild('./gateways-child.ts', {
      realtimeUrl,
      secret: stack.env.SOCKET_TOKEN_SECRET!,
      drivers,
      seed,
      gateways: options.quick ? 4 : 20,
      periodMs,
      maxPings: Math.ceil(((warmupS + measureS + 10) * 1000) / periodMs + (overloadS * 2000) / periodMs) + 4,
      maxInFlight: 32,
      sampleEvery,
    });
    // The index as dispatch holds it, in a process of its own fed by the same stream (ADR 0018).
    const nearestConfig = (mode: 'open' | 'closed', childSeed: number) => ({
      redisUrl: stack.env.REDIS_URL!,
      prefix: stack.env.REDIS_PREFIX!,
      kafkaBrokers: options.kafkaBrokers,
      topicPrefix: stack.env.KAFKA_TOPIC_PREFIX!,
      mode,
      ratePerS: 5_000,
      seed: childSeed,
      fleet: { drivers, seed, oracleQueries: options.quick ? 50 : 200 },
    });
    const nearest = new BenchChild('./nearest-child.ts', nearestConfig('open', seed + 11));
    children.push(dispatchers, gateways, nearest);
    await Promise.all(children.map((c) => c.ready()));

    const stackPids = [
      ...(await servicePids(options.kafkaBrokers)),
      ...running.processes.map((p) => ({ name: p.name, pid: p.child.pid! })),
    ];
    const sampler = new ProcessSampler([
      ...stackPids,
      { name: 'loadGateways', pid: gateways.pid },
      { name: 'loadDispatchers', pid: dispatchers.pid },
      { name: 'loadNearest', pid: nearest.pid },
    ]);

    console.log(
      `  load: ${(drivers / (periodMs / 1000)).toLocaleString()} updates/s offered; warm-up ${warmupS} s…`,
    );
    await gateways.call('start');
    await sleep(warmupS * 1000);
    const before = await gateways.call<GatewaysReport>('report');
    await dispatchers.call('start');
    await nearest.call('start');
    const workersMetricsUrl = `http://127.0.0.1:${stack.ports.workers}/metrics`;
    const historyLag = pollGauge(workersMetricsUrl, 'od_location_history_lag_seconds', 1_000);
    sampler.start();
    console.log(`  measuring for ${measureS} s…`);
    await sleep(measureS * 1000);
    const samples = sampler.stop();
    const historyLagSummary = await historyLag.stop();
    const atEnd = await gateways.call<GatewaysReport>('report');
    await nearest.call('stop');
    const dispatchReportLive = await dispatchers.call<DispatchersReport>('report');

    console.log(
      `  overload: ${(drivers / (periodMs / 2000)).toLocaleString()} updates/s offered for ${overloadS} s…`,
    );
    const overloadLag = pollGauge(workersMetricsUrl, 'od_location_history_lag_seconds', 1_000);
    const overloadFrom = await gateways.call<GatewaysProgress>('progress');
    await gateways.call('overload');
    const overloadStarted = performance.now();
    const probes: FreshnessProbe[] = [];
    while (performance.now() - overloadStarted < overloadS * 1000) {
      await sleep(500);
      probes.push(await probeFreshness(redis, index, dispatchers, sampleIds, watched));
    }
    const overloadTo = await gateways.call<GatewaysProgress>('progress');
    const overloadSeconds = (performance.now() - overloadStarted) / 1000;
    const overloadLagSummary = await overloadLag.stop();
    await gateways.call('stop');
    const final = await gateways.call<GatewaysReport>('report');

    console.log('  draining: waiting for the history and the live index to hold every acknowledged ping…');
    const history = new pg.Pool({ connectionString: stack.env.DATABASE_URL!, max: 2 });
    const prefix = stack.env.KAFKA_TOPIC_PREFIX!;
    const lag = kafkaLag(options.kafkaBrokers, `${prefix}driver.location`, [
      `${prefix}live-index`,
      `${prefix}location-history`,
    ]);
    const drainStarted = Date.now();
    while (Date.now() - drainStarted < 180_000) {
      const stored = Number((await history.query('select count(*) from location_history')).rows[0].count);
      if (stored >= final.acked && (await lag.total()) === 0) break;
      await sleep(1_000);
    }
    await lag.close();
    const drainS = (Date.now() - drainStarted) / 1000;
    // Realtime's own Kafka reader commits nothing, so its lag is not visible in Kafka: wait until
    // the dispatchers stop receiving frames instead.
    let frames = -1;
    for (let quiet = 0; quiet < 3 && Date.now() - drainStarted < 240_000; ) {
      await sleep(1_000);
      const now = (await dispatchers.call<{ frames: number }>('progress')).frames;
      quiet = now === frames ? quiet + 1 : 0;
      frames = now;
    }
    const dispatchReport = await dispatchers.call<DispatchersReport>('report');
    // After the drain: the oracle check needs the stream fully read.
    const nearestReport = await nearest.call<NearestReport>('report');

    console.log('  accounting for every ping at every hop…');
    const rows = await history.query<{ driver_id: string; seqs: number[]; n: string }>(
      'select driver_id, array_agg(seq) as seqs, count(*) as n from location_history group by driver_id',
    );
    await history.end();
    const positionOf = new Map(fleet.map((d, i) => [d.id, i]));
    const observed: number[][] = fleet.map(() => []);
    let historyRows = 0;
    for (const r of rows.rows) {
      historyRows += Number(r.n);
      const i = positionOf.get(r.driver_id);
      if (i !== undefined) observed[i] = r.seqs;
    }
    const hop = accountHop(final.attemptedBits, final.ackedBits, observed);
    const historyDuplicates = historyRows - hop.observed;

    // The live index: every driver's index entry at its last acknowledged position or later.
    const pipeline = redis.pipeline();
    for (const d of fleet) pipeline.hmget(index.driverKey(d.id), 'seq', 'lat', 'lng');
    const indexRows = ((await pipeline.exec()) ?? []).map(([, v]) => v as (string | null)[]);
    let indexBehind = 0;
    fleet.forEach((_, i) => {
      if (Number(indexRows[i]![0] ?? 0) < lastAcked(final.ackedBits[i]!)) indexBehind++;
    });
    // Dispatchers: every driver now inside a watched viewport must have reached them at its latest position.
    let dispatcherBehind = 0;
    let dispatcherDrivers = 0;
    fleet.forEach((d, i) => {
      const [seq, lat, lng] = indexRows[i]!;
      // Realtime's room for a driver is the res-6 parent of its res-7 cell (H3 containment),
      // which near boundaries can differ from the res-6 cell of the point itself.
      if (!lat || !lng) return;
      if (!watched.has(roomOf(Number(lat), Number(lng)))) return;
      dispatcherDrivers++;
      if ((dispatchReport.latestSeq[d.id] ?? 0) < Number(seq)) dispatcherBehind++;
    });

    console.log('  nearest-driver queries with the load stopped (the index alone)…');
    const idle = new BenchChild('./nearest-child.ts', nearestConfig('closed', seed + 17));
    children.push(idle);
    await idle.ready();
    await idle.call('start');
    await sleep(options.quick ? 3_000 : 10_000);
    await idle.call('stop');
    const idleReport = await idle.call<NearestReport>('report');
    const idleNear = Histogram.fromSnapshot(idleReport.latency).summary();

    console.log('  checking nearest-driver answers against a brute-force oracle…');
    const agreement = await oracleAgreement(redis, index, fleet, options.quick ? 50 : 200, seed + 13);

    const measuredAcked = atEnd.acked - before.acked;
    const latency = Histogram.fromSnapshot(dispatchReportLive.latency).summary();
    const ack = Histogram.fromSnapshot(final.ackLatency).summary();
    const near = Histogram.fromSnapshot(nearestReport.latency).summary();
    const machine = samplerMetrics(samples);
    const updatesPerS = measuredAcked / measureS;
    const stackNames = ['realtime', 'workers', 'kafka', 'redis', 'postgres'];
    const stackRss = stackNames.map((n) => samples.processes[n]?.rssMaxMiB ?? 0).reduce((a, b) => a + b, 0);
    // CPU time of every stack process during the measured load, per acknowledged position.
    const stackCpuUs =
      stackNames.map((n) => samples.processes[n]?.cpuMeanPct ?? 0).reduce((a, b) => a + b, 0) *
      samples.seconds *
      10_000;
    const freshness = freshnessSummary(probes, final.ackAtSampled);
    const overloadAcked = overloadTo.acked - overloadFrom.acked;

    const superseded = atEnd.superseded - before.superseded;
    if (superseded > 0)
      notes.push(
        `while measuring, gateways replaced ${superseded} unsent positions by newer ones (they were asked to wait: ${atEnd.refused - before.refused} positions refused)`,
      );
    notes.push(
      `overload: ${Math.round(overloadAcked / overloadSeconds)}/s acknowledged, ${Math.round((overloadTo.superseded - overloadFrom.superseded) / overloadSeconds)}/s superseded at the gateways, ${overloadTo.refused - overloadFrom.refused} refused with a retry time; held-position age p50/p99: index ${freshness.index.p50.toFixed(0)}/${freshness.index.p99.toFixed(0)} ms, dispatchers ${freshness.dispatchers.p50.toFixed(0)}/${freshness.dispatchers.p99.toFixed(0)} ms (${probes.length} probes of ${sampleIds.length} drivers)`,
    );
    if (final.failed > 0)
      notes.push(`${final.failed} pings failed or timed out at realtime (counted as attempted, not acked)`);
    notes.push(
      `drain after the load stopped: ${drainS.toFixed(1)} s until the history held every acknowledged ping`,
    );
    notes.push(
      `${dispatchReportLive.frames} frames to ${viewports.length} dispatchers, each watching 7 res-6 cells (~250 km²)`,
    );
    notes.push(
      `nearest (in-memory index in its own process, fed by Kafka): k=10 within 3 km, ${nearestReport.meanCellsRead.toFixed(1)} grid cells read and ${nearestReport.meanFound.toFixed(1)} drivers found per query; warm start ${nearestReport.warm.drivers} drivers read in ${nearestReport.warm.snapshotMs} ms, readers joined at ${nearestReport.warm.ms} ms; index heap ${nearestReport.indexHeapMiB.toFixed(1)} MiB, child RSS ${nearestReport.rssMiB.toFixed(0)} MiB; oracle ${nearestReport.oracle.queries} queries, ${nearestReport.oracle.compared} drivers compared (Redis index ${agreement})`,
    );
    notes.push(
      `CPU (% of a core, mean): ${Object.entries(samples.processes)
        .map(([n, f]) => `${n} ${Math.round(f.cpuMeanPct)}`)
        .join(', ')}; machine ${Math.round(samples.machine.cpuMeanPct)} % of all cores`,
    );
    const offered = drivers / (periodMs / 1000);
    return {
      scenario: 'telemetry',
      durationS: measureS,
      metrics: {
        updatesPerS,
        offeredPerS: offered,
        p50Ms: latency.p50,
        p99Ms: latency.p99,
        ackP50Ms: ack.p50,
        ackP99Ms: ack.p99,
        lost: hop.lost,
        duplicated: historyDuplicates,
        unexpected: hop.unexpected,
        recovered: hop.recovered,
        attempted: hop.attempted,
        acked: hop.acked,
        indexBehind,
        dispatcherBehind,
        dispatcherDrivers,
        driversIndexed: drivers,
        nearestQps: nearestReport.queries / (nearestReport.measuringMs / 1000),
        nearestP50Ms: near.p50,
        nearestP99Ms: near.p99,
        nearestOracleAgreement: nearestReport.oracle.agreement,
        nearestOracleAgreementIdle: idleReport.oracle.agreement,
        nearestIndexHeapMiB: nearestReport.indexHeapMiB,
        nearestQpsIdle: idleReport.queries / (idleReport.measuringMs / 1000),
        nearestP99MsIdle: idleNear.p99,
        rssMiB: stackRss,
        perPositionCpuUs: stackCpuUs / measuredAcked,
        historyLagP99Ms: historyLagSummary.p99,
        overloadUpdatesPerS: overloadAcked / overloadSeconds,
        overloadLatestAgeP99Ms: Math.max(freshness.index.p99, freshness.dispatchers.p99),
        overloadIndexAgeP99Ms: freshness.index.p99,
        overloadDispatcherAgeP99Ms: freshness.dispatchers.p99,
        overloadHistoryLagP99Ms: overloadLagSummary.p99,
        ...machine,
      },
      ceilings: {
        kafkaProducePerS: kafka.perS,
        redisGeoaddPerS: geoadd.perS,
        socketIoFanoutPerS: fanout.perS,
      },
      ratios: {
        updatesVsTarget: updatesPerS / 25_000,
        updatesVsKafkaProduce: updatesPerS / kafka.perS,
        updatesVsRedisGeoadd: updatesPerS / geoadd.perS,
        nearestVsTarget: nearestReport.queries / (nearestReport.measuringMs / 1000) / 5_000,
      },
      notes,
      ...(options.profile ? { profile: profileDir } : {}),
    };
  } finally {
    for (const c of children) await c.close().catch(() => undefined);
    await running.stop();
    redis.disconnect();
    if (options.profile) for (const line of summariseProfiles(profileDir)) console.log(line);
  }
}

/** Share of random queries whose answer equals the brute force over every driver's hash. */
async function oracleAgreement(
  redis: Redis,
  index: LiveIndex,
  fleet: ReturnType<typeof benchFleet>,
  queries: number,
  seed: number,
): Promise<number> {
  const random = seededRandom(seed);
  const pipeline = redis.pipeline();
  for (const d of fleet) pipeline.hmget(index.driverKey(d.id), 'state', 'vt', 'lat', 'lng', 'rx');
  const rows = ((await pipeline.exec()) ?? []).map(([, v]) => v as (string | null)[]);
  const nowMs = Date.now();
  const fresh = nowMs - defaultPresencePolicy.staleAfterMs;
  let agree = 0;
  for (let q = 0; q < queries; q++) {
    const point = randomPointInCity(random);
    const vehicleTypeId = vehicleTypeIds[Math.floor(random() * vehicleTypeIds.length)]!;
    const answer = await index.nearest({ ...point, vehicleTypeId, k: 10, maxRadiusM: 3_000, nowMs });
    const truth = fleet
      .map((d, i) => ({ id: d.id, row: rows[i]! }))
      .filter(
        ({ row }) => row[0] === 'available' && row[1] === vehicleTypeId && row[2] && Number(row[4]) >= fresh,
      )
      .map(({ id, row }) => ({ id, d: haversineMeters(point, { lat: Number(row[2]), lng: Number(row[3]) }) }))
      .filter((x) => x.d <= 3_000)
      .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
      .slice(0, 10)
      .map((x) => x.id);
    if (JSON.stringify(truth) === JSON.stringify(answer.drivers.map((d) => d.driverId))) agree++;
  }
  return agree / queries;
}

/** Messages of `topic` not yet committed by the given consumer groups. */
function kafkaLag(brokers: string, topic: string, groups: string[]) {
  const admin = createKafka({
    brokers,
    clientId: 'bench-lag',
    logger: createLogger('bench', 'error'),
  }).admin();
  const connected = admin.connect();
  return {
    async total(): Promise<number> {
      await connected;
      const end = (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
      let behind = 0;
      for (const groupId of groups) {
        const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
        behind += end - (offsets?.partitions ?? []).reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
      }
      return behind;
    },
    close: () => admin.disconnect(),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
