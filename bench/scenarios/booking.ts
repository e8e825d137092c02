import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { defaultPresencePolicy } from '@/domain/driver-availability';
import { ensureWebBuild } from '@/scripts/lib/build';
import { root } from '@/scripts/lib/paths';
import { startStack } from '@/scripts/lib/stack';
import { LiveIndex } from '@/server/adapters/live-index';
import { workersEnvSchema } from '@/server/env';
import { createRedis } from '@/server/infra/redis';
import { checkInvariants, drain } from '../booking/accounting';
import type { ClientsConfig } from '../booking/clients-child';
import { bookingConfig, warmupRatePerS } from '../booking/config';
import {
  benchVehicleTypeId,
  bookingAreaHalfSideM,
  createPeople,
  goOnline,
  waitForPositions,
} from '../booking/people';
import { type PhaseResult, runPhase, sleep } from '../booking/phase';
import { nameProfiles } from '../booking/profiles';
import { bookingResult } from '../booking/report';
import { startTelemetryLoad, type TelemetryLoad } from '../booking/telemetry-load';
import { hopHistograms, publishTimes } from '../booking/timeline';
import { TrpcHttp } from '../booking/trpc-http';
import { trpcRequestsPerS, type WebCeiling } from '../booking/web-ceilings';
import { bareHttpPerS, pgTxPerS, trpcStandalonePerS } from '../lib/ceilings';
import { summariseProfiles } from '../lib/cpu-profile-summary';
import { ProcessSampler, type SampleTarget } from '../lib/process-sampler';
import type { ScenarioOptions, ScenarioResult } from '../lib/scenario';
import { servicePids } from '../lib/service-pids';
import { prepareBenchStack } from '../telemetry/bench-stack';
import { BenchChild } from '../telemetry/child';

export const defaultDurationS = 60;

/**
 * `npm run bench -- booking`: riders book through the real processes (tRPC over HTTP on the
 * production web build → PostgreSQL + outbox → BullMQ dispatch job in workers → outbox relay →
 * Kafka → realtime → the driver's socket) and the benchmark times each booking from the start of
 * its quote request to `offer:new` at the driver. Three phases: a trickle (the path's own
 * latency), alone at the target rate, and during the telemetry scenario's load. Afterwards
 * PostgreSQL is checked for double assignments and stuck bookings, and the latency is split
 * into hops from the stamps the system writes. Ceilings (bare HTTP, trivial tRPC on the same web
 * process, PostgreSQL transactions) are measured in the same run.
 */
export async function run(options: ScenarioOptions): Promise<ScenarioResult> {
  const cfg = bookingConfig(options);
  const seed = 20261127;
  const notes: string[] = [];
  const runId = Date.now();
  const profileDir = join(root, 'bench-results', `profiles-booking-${runId}`);
  const configFile = join(tmpdir(), `opendispatch-bench-booking-${runId}.json`);

  console.log('  preparing an isolated stack (database, Redis db 5, bench.* topics)…');
  const stack = await prepareBenchStack(options.kafkaBrokers);
  console.log(`  creating ${cfg.riders} riders and ${cfg.drivers} drivers in the bench database…`);
  const people = await createPeople(stack, { riders: cfg.riders, drivers: cfg.drivers }, seed);
  ensureWebBuild();

  console.log('  starting workers, realtime and web (real entry points, production web build)…');
  if (options.profile) mkdirSync(profileDir, { recursive: true });
  const webProfileName = `bench-web-${runId}`;
  // web is a plain Node entry too (server/web/main.ts): --cpu-prof profiles it like the others.
  const running = await startStack(
    stack,
    ['workers', 'realtime', 'web'],
    options.profile ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {},
  );
  const pidOf = (name: string) => running.processes.find((p) => p.name === name)!.child.pid!;
  const webUrl = `http://127.0.0.1:${stack.ports.web}`;
  const realtimeUrl = `http://127.0.0.1:${stack.ports.realtime}`;
  const pool = new pg.Pool({ connectionString: stack.env.DATABASE_URL!, max: 2 });
  const redis = createRedis(stack.env.REDIS_URL!, { name: 'bench' });
  const index = new LiveIndex(redis, { prefix: stack.env.REDIS_PREFIX!, presence: defaultPresencePolicy });
  const http = new TrpcHttp(webUrl, stack.env.NEXTAUTH_URL!, 16);
  let clients: BenchChild | null = null;
  let telemetry: TelemetryLoad | null = null;
  try {
    console.log(
      '  measuring ceilings (bare HTTP, trivial tRPC on the web process, PostgreSQL transactions)…',
    );
    const bare = await bareHttpPerS({ durationMs: cfg.ceilingMs });
    const pgTx = await pgTxPerS({ durationMs: cfg.ceilingMs });
    const standalone = await trpcStandalonePerS({ durationMs: cfg.ceilingMs });
    // The web profile would be mostly these requests: a profiling run skips them.
    let anon: WebCeiling | null = null;
    let authed: WebCeiling | null = null;
    if (!options.profile) {
      const web = { port: stack.ports.web, webPid: pidOf('web'), durationMs: cfg.ceilingMs };
      anon = await trpcRequestsPerS(web);
      authed = await trpcRequestsPerS({ ...web, cookie: people.riders[0]!.cookie });
      if (anon.failed + authed.failed > 0)
        notes.push(`tRPC ceiling: ${anon.failed + authed.failed} requests answered non-2xx`);
    } else notes.push('--profile: tRPC ceilings skipped so the web profile is the booking path only');

    console.log(`  ${cfg.drivers} drivers going online through tRPC, then connecting their sockets…`);
    const sessions = await goOnline(http, people.drivers);
    const clientsConfig: ClientsConfig = {
      webUrl,
      webOrigin: stack.env.NEXTAUTH_URL!,
      realtimeUrl,
      riders: people.riders,
      drivers: people.drivers.map((d, i) => ({
        id: d.id,
        token: d.token,
        sessionId: sessions[i]!,
        lat: d.lat,
        lng: d.lng,
      })),
      vehicleTypeId: benchVehicleTypeId,
      areaHalfSideM: bookingAreaHalfSideM,
      pingEveryMs: cfg.pingEveryMs,
      offerWaitMs: cfg.offerWaitMs,
      phases: [
        // Not reported: V8 and Next.js compile the booking code paths on the first bookings.
        { name: 'warm-up', ratePerS: warmupRatePerS, warmupMs: 0, maxInFlight: 16 },
        // The trickle first, on a quiet stack: after an overloaded phase, its timeout jobs and
        // queues would still be draining.
        {
          name: 'light',
          ratePerS: cfg.lightRatePerS,
          warmupMs: 1_000,
          maxInFlight: cfg.maxInFlight,
        },
        // p99 at a moderate rate (the 100/s target), before anything queues.
        { name: 'at100', ratePerS: 100, warmupMs: cfg.warmupS * 1000, maxInFlight: cfg.maxInFlight },
        {
          name: 'alone',
          ratePerS: cfg.aloneRatePerS,
          warmupMs: cfg.warmupS * 1000,
          maxInFlight: cfg.maxInFlight,
        },
        {
          name: 'underLoad',
          ratePerS: cfg.underLoadRatePerS,
          warmupMs: cfg.warmupS * 1000,
          maxInFlight: cfg.maxInFlight,
        },
        // Last (nothing after it to disturb): 3× the capacity `alone` measured, with the client's
        // own bound well above web's, so web's admission control, not the client, sheds the load.
        {
          name: 'overload',
          ratePerS: 0,
          capacityOf: { phase: 'alone', factor: 3 },
          warmupMs: cfg.warmupS * 1000,
          maxInFlight: cfg.maxInFlight * 8,
        },
      ],
      seed,
    };
    writeFileSync(configFile, JSON.stringify(clientsConfig), { mode: 0o600 });
    clients = new BenchChild('../booking/clients-child.ts', { configFile });
    await clients.ready();
    rmSync(configFile, { force: true });
    await waitForPositions(
      redis,
      index,
      people.drivers.map((d) => d.id),
    );

    const stackPids: SampleTarget[] = [
      ...(await servicePids(options.kafkaBrokers)),
      ...running.processes.map((p) => ({ name: p.name, pid: p.child.pid! })),
    ];
    const sampledWith = (extra: SampleTarget[]) => [
      ...stackPids,
      { name: 'loadBooking', pid: clients!.pid },
      ...extra,
    ];

    console.log(`  idle baseline: ${cfg.idleS} s with the drivers online and pinging, no bookings…`);
    const idleSampler = new ProcessSampler(sampledWith([])).start();
    await sleep(cfg.idleS * 1000);
    const idle = idleSampler.stop();

    console.log(`  warming up: ${warmupRatePerS} bookings/s for ${cfg.warmupPhaseS} s…`);
    await runPhase({ clients, warmupS: 0, measureS: cfg.warmupPhaseS, sampled: [], pool });

    console.log(
      `  phase light: ${cfg.lightRatePerS} bookings/s for ${cfg.lightS} s (the path's own latency)…`,
    );
    const light = await runPhase({
      clients,
      warmupS: 1,
      measureS: cfg.lightS,
      sampled: sampledWith([]),
      pool,
    });

    console.log(`  phase at100: 100 bookings/s for ${cfg.measureS} s…`);
    const at100 = await runPhase({
      clients,
      warmupS: cfg.warmupS,
      measureS: cfg.measureS,
      sampled: sampledWith([]),
      pool,
    });
    console.log(`    ${at100.bookingsPerS.toFixed(0)} bookings/s, p99 ${at100.latency.p99.toFixed(1)} ms`);

    console.log(
      `  phase alone: ${cfg.aloneRatePerS} bookings/s offered, ${cfg.warmupS} s warm-up + ${cfg.measureS} s…`,
    );
    const alone = await runPhase({
      clients,
      warmupS: cfg.warmupS,
      measureS: cfg.measureS,
      sampled: sampledWith([]),
      pool,
    });
    console.log(`    ${alone.bookingsPerS.toFixed(0)} bookings/s, p99 ${alone.latency.p99.toFixed(1)} ms`);

    console.log(
      `  telemetry load: ${cfg.telemetryUpdatesPerS.toLocaleString()} updates/s (${(cfg.telemetryUpdatesPerS * 4).toLocaleString()} drivers), ${cfg.telemetryWarmupS} s warm-up…`,
    );
    telemetry = await startTelemetryLoad({
      stack,
      redis,
      updatesPerS: cfg.telemetryUpdatesPerS,
      maxSeconds: cfg.telemetryWarmupS + cfg.warmupS + cfg.measureS + 30,
      quick: options.quick,
      seed,
    });
    await sleep(cfg.telemetryWarmupS * 1000);
    console.log(`  phase underLoad: ${cfg.underLoadRatePerS} bookings/s offered during the telemetry load…`);
    const load = telemetry;
    const underLoad = await runPhase({
      clients,
      warmupS: cfg.warmupS,
      measureS: cfg.measureS,
      sampled: sampledWith([
        { name: 'loadGateways', pid: load.gateways.pid },
        { name: 'loadDispatchers', pid: load.dispatchers.pid },
      ]),
      pool,
      onWindow: () => load.mark(),
    });
    const telemetryFigures = await load.measure();
    await load.stop();
    telemetry = null;
    console.log(
      `    ${underLoad.bookingsPerS.toFixed(0)} bookings/s, p99 ${underLoad.latency.p99.toFixed(1)} ms; telemetry ${telemetryFigures.updatesPerS.toFixed(0)} updates/s`,
    );

    console.log(
      `  phase overload: 3 × the ${alone.bookingsPerS.toFixed(0)} bookings/s alone reached, ${cfg.warmupS} s warm-up + ${cfg.measureS} s…`,
    );
    const overload = await runPhase({
      clients,
      warmupS: cfg.warmupS,
      measureS: cfg.measureS,
      sampled: sampledWith([]),
      pool,
    });
    console.log(
      `    ${overload.bookingsPerS.toFixed(0)} bookings/s answered of ${overload.report.ratePerS}/s offered`,
    );

    console.log('  draining, then checking PostgreSQL for double assignments and stuck bookings…');
    // The longest a booking can legitimately stay open: a whole search, its last offer ringing out.
    const dispatchEnv = workersEnvSchema
      .pick({ DISPATCH_MAX_SEARCH_MS: true, DISPATCH_OFFER_TTL_MS: true })
      .parse(stack.env);
    const drainS = await drain(
      pool,
      dispatchEnv.DISPATCH_MAX_SEARCH_MS + dispatchEnv.DISPATCH_OFFER_TTL_MS + 15_000,
    );
    const invariants = await checkInvariants(
      pool,
      redis,
      index,
      people.drivers.map((d) => d.id),
    );

    console.log('  splitting latency into hops (booking_events stamps, Kafka timestamps)…');
    const published = await publishTimes(
      options.kafkaBrokers,
      `${stack.env.KAFKA_TOPIC_PREFIX}booking.events`,
    );
    const hopsOf = async (phase: PhaseResult) => hopHistograms(pool, phase.report.traces, published);
    const [aloneHops, lightHops, loadHops] = [
      await hopsOf(alone),
      await hopsOf(light),
      await hopsOf(underLoad),
    ];

    return bookingResult({
      cfg,
      phases: { alone, light, underLoad, at100, overload },
      idle,
      hops: { alone: aloneHops, light: lightHops, underLoad: loadHops },
      invariants,
      drainS,
      telemetry: telemetryFigures,
      ceilings: { bare, pgTx, standalone, anon, authed },
      notes,
      ...(options.profile ? { profile: profileDir } : {}),
    });
  } finally {
    if (telemetry) await telemetry.stop().catch(() => undefined);
    if (clients) await clients.close().catch(() => undefined);
    rmSync(configFile, { force: true });
    http.close();
    await running.stop();
    await pool.end();
    redis.disconnect();
    if (options.profile) {
      nameProfiles(profileDir, webProfileName, running.processes);
      for (const line of summariseProfiles(profileDir)) console.log(line);
    }
  }
}
