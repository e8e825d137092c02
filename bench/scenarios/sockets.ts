import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cellToLatLng, getResolution, gridDisk, latLngToCell } from 'h3-js';
import type { LocationRecord } from '@/domain/driver-events';
import { offsetMeters } from '@/domain/geo';
import { viewportResolution } from '@/domain/realtime-contract';
import { seededRandom } from '@/domain/seeded-random';
import { root } from '@/scripts/lib/paths';
import { startStack } from '@/scripts/lib/stack';
import { BatchingProducer, createKafka, topicSpecs } from '@/server/infra/kafka';
import { packLocationFrames } from '@/server/infra/location-frames';
import { createLogger } from '@/server/infra/logger';
import { socketIoFanoutPerS, wsFanoutPerS } from '../lib/ceilings';
import { summariseProfiles } from '../lib/cpu-profile-summary';
import { Histogram } from '../lib/histogram';
import { ProcessSampler, samplerMetrics } from '../lib/process-sampler';
import type { ScenarioOptions, ScenarioResult } from '../lib/scenario';
import type { ClientsReport } from '../sockets/clients-child';
import { dispatcherTokens, prepareBenchStack } from '../telemetry/bench-stack';
import { BenchChild } from '../telemetry/child';
import { benchCentre, benchFleet } from '../telemetry/fleet';

export const defaultDurationS = 60;

/**
 * `npm run bench -- sockets`: the realtime tier alone. 10,000 dispatcher-style clients, each
 * watching one of 40 viewport cells, receive coalesced position frames that the benchmark feeds
 * into Kafka (as ingest would). Measures realtime's memory per client, messages delivered per
 * second and their latency, against raw ws and Socket.IO fan-out ceilings measured in the same run.
 */
export async function run(options: ScenarioOptions): Promise<ScenarioResult> {
  const clients = options.quick ? 1_000 : 10_000;
  const cellsWatched = 40;
  const drivers = 4_000;
  const periodMs = 4_000;
  const measureS = options.quick ? 10 : options.durationS;
  const notes: string[] = [];

  console.log('  preparing an isolated stack…');
  const stack = await prepareBenchStack(options.kafkaBrokers);
  console.log('  measuring ceilings (raw ws and Socket.IO room fan-out)…');
  const ceilingMs = options.quick ? 1_000 : 3_000;
  const ws = await wsFanoutPerS({ durationMs: ceilingMs });
  const sio = await socketIoFanoutPerS({ durationMs: ceilingMs });

  const profileDir = join(root, 'bench-results', `profiles-sockets-${Date.now()}`);
  const running = await startStack(
    stack,
    ['realtime'],
    options.profile ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {},
  );
  const realtime = running.processes[0]!;
  const children: BenchChild[] = [];
  const kafka = createKafka({
    brokers: options.kafkaBrokers,
    clientId: 'bench-sockets',
    logger: createLogger('bench', 'error'),
  });
  const producer = kafka.producer();
  await producer.connect();
  const batcher = new BatchingProducer(producer, {
    pack: packLocationFrames(topicSpecs.driverLocation.partitions),
  });
  let feeding: NodeJS.Timeout | null = null;
  try {
    // 40 neighbouring viewport cells around the centre, and drivers spread over them.
    const cells = gridDisk(latLngToCell(benchCentre.lat, benchCentre.lng, viewportResolution), 4).slice(
      0,
      cellsWatched,
    );
    const random = seededRandom(99);
    // Contiguous blocks per cell, while the feed below takes every 40th driver per tick: every
    // tick then moves drivers in every cell (the same modulus for both would move one cell per tick).
    const fleet = benchFleet(drivers, 99).map((d, i) => {
      const cell = cells[Math.floor((i * cells.length) / drivers)]!;
      const [lat, lng] = cellToLatLng(cell);
      let p = { lat, lng };
      for (let tries = 0; tries < 20; tries++) {
        p = offsetMeters({ lat, lng }, (random() - 0.5) * 3_000, (random() - 0.5) * 3_000);
        if (latLngToCell(p.lat, p.lng, getResolution(cell)) === cell) break;
      }
      return { ...d, position: p, seq: 0 };
    });
    const topic = `${stack.env.KAFKA_TOPIC_PREFIX}driver.location`;
    let slot = 0;
    const slots = periodMs / 100;
    feeding = setInterval(() => {
      const now = Date.now();
      const records: LocationRecord[] = [];
      for (let i = slot; i < fleet.length; i += slots) {
        const d = fleet[i]!;
        d.seq++;
        d.position = offsetMeters(d.position, (random() - 0.5) * 60, (random() - 0.5) * 60);
        records.push({
          driverId: d.id,
          sessionId: d.sessionId,
          seq: d.seq,
          at: now,
          ...d.position,
          receivedAt: now,
          state: 'available',
          vehicleTypeId: d.vehicleTypeId,
        });
      }
      slot = (slot + 1) % slots;
      void batcher.send(
        topic,
        records.map((r) => ({ key: r.driverId, value: JSON.stringify(r) })),
      );
    }, 100);

    const tokens = await dispatcherTokens(stack, 50);
    // A warm-up wave of clients first: V8 grows its young generation and allocator pools once, a
    // fixed cost that must not be charged to each client of the measured wave.
    const warmup = new BenchChild('../sockets/clients-child.ts', {
      realtimeUrl: `http://127.0.0.1:${stack.ports.realtime}`,
      tokens,
      cells,
      clients: Math.min(1_000, clients),
      offset: 0,
      connectPerS: 1_000,
    });
    await warmup.ready();
    await sleep(3_000);
    await warmup.close();
    await sleep(5_000);
    const rssBefore = rssMiB(realtime.child.pid!);
    console.log(
      `  connecting ${clients.toLocaleString()} clients (realtime RSS ${rssBefore.toFixed(0)} MiB before)…`,
    );
    const perChild = clients / 2;
    for (let c = 0; c < 2; c++) {
      children.push(
        new BenchChild('../sockets/clients-child.ts', {
          realtimeUrl: `http://127.0.0.1:${stack.ports.realtime}`,
          tokens,
          cells,
          clients: perChild,
          offset: c * perChild,
          connectPerS: 1_000,
        }),
      );
    }
    await Promise.all(children.map((c) => c.ready()));
    await sleep(3_000);
    const rssAfter = rssMiB(realtime.child.pid!);
    const kibPerClient = ((rssAfter - rssBefore) * 1024) / clients;
    console.log(
      `  connected; realtime RSS ${rssAfter.toFixed(0)} MiB (${kibPerClient.toFixed(1)} KiB per client). Measuring ${measureS} s…`,
    );

    const sampler = new ProcessSampler([
      { name: 'realtime', pid: realtime.child.pid! },
      ...children.map((c, i) => ({ name: `clients${i}`, pid: c.pid })),
    ]).start();
    await Promise.all(children.map((c) => c.call('start')));
    await sleep(measureS * 1_000);
    const reports = await Promise.all(children.map((c) => c.call<ClientsReport>('report')));
    const samples = sampler.stop();

    const latency = new Histogram();
    const endToEnd = new Histogram();
    let messages = 0;
    let connected = 0;
    let seconds = 0;
    for (const r of reports) {
      latency.merge(r.latency);
      endToEnd.merge(r.endToEnd);
      messages += r.messages;
      connected += r.connected;
      seconds = Math.max(seconds, r.measuringMs / 1000);
    }
    const delivery = latency.summary();
    const e2e = endToEnd.summary();
    const deliveredPerS = messages / seconds;
    notes.push(
      `${connected} of ${clients} clients connected at the end; each watches 1 of ${cells.length} viewport cells`,
    );
    notes.push(
      `${drivers} drivers in those cells, each moving every ${periodMs / 1000} s, fed into Kafka; frames every 100 ms per cell`,
    );
    notes.push(
      `p99Ms: server send → client; endToEndP99Ms: position time → client (includes the 100 ms coalescing)`,
    );
    notes.push(
      `CPU (% of a core, mean): ${Object.entries(samples.processes)
        .map(([n, f]) => `${n} ${Math.round(f.cpuMeanPct)}`)
        .join(', ')}; machine ${Math.round(samples.machine.cpuMeanPct)} %`,
    );
    return {
      scenario: 'sockets',
      durationS: seconds,
      metrics: {
        clients: connected,
        kibPerClient,
        deliveredPerS,
        p50Ms: delivery.p50,
        p99Ms: delivery.p99,
        endToEndP50Ms: e2e.p50,
        endToEndP99Ms: e2e.p99,
        realtimeRssMiB: rssAfter,
        // Realtime's CPU per message delivered: comparable across runs on a busy machine, where
        // the rate itself mostly says how much CPU the process was given.
        realtimeCpuUsPerMessage:
          deliveredPerS > 0 ? ((samples.processes.realtime?.cpuMeanPct ?? 0) * 1e4) / deliveredPerS : 0,
        ...samplerMetrics(samples),
      },
      ceilings: { wsFanoutPerS: ws.perS, socketIoFanoutPerS: sio.perS },
      ratios: {
        deliveredVsTarget: deliveredPerS / 60_000,
        deliveredVsSocketIoFanout: deliveredPerS / sio.perS,
        deliveredVsWsFanout: deliveredPerS / ws.perS,
        kibPerClientVsTarget: kibPerClient / 12,
      },
      notes,
      ...(options.profile ? { profile: profileDir } : {}),
    };
  } finally {
    if (feeding) clearInterval(feeding);
    for (const c of children) await c.close().catch(() => undefined);
    await batcher.flush().catch(() => undefined);
    await producer.disconnect();
    await running.stop();
    if (options.profile) for (const line of summariseProfiles(profileDir)) console.log(line);
  }
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
