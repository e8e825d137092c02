import { cpus } from 'node:os';
import type { CeilingResult } from '../lib/ceilings';
import { Histogram } from '../lib/histogram';
import type { SamplerReport } from '../lib/process-sampler';
import type { ScenarioResult } from '../lib/scenario';
import type { Invariants } from './accounting';
import type { BookingBenchConfig } from './config';
import { cpuMsPerBooking, type PhaseResult } from './phase';
import type { TelemetryLoad } from './telemetry-load';
import { type hopHistograms, hopLine } from './timeline';
import type { WebCeiling } from './web-ceilings';

/**
 * The booking benchmark's report: the metrics named in performance.md first, then what explains
 * them: per-phase accounting, latency per hop, CPU per booking and per process, which layer
 * limits, PostgreSQL's verdict on assignments, and the ceilings as ratios.
 */
const targets = { alone: 1_000, underLoad: 300, p99Ms: 50 };

export interface BookingRun {
  cfg: BookingBenchConfig;
  phases: {
    alone: PhaseResult;
    light: PhaseResult;
    underLoad: PhaseResult;
    at100: PhaseResult;
    overload: PhaseResult;
  };
  /** The stack sampled with drivers online and no bookings. */
  idle: SamplerReport;
  hops: Record<'alone' | 'light' | 'underLoad', Awaited<ReturnType<typeof hopHistograms>>>;
  invariants: Invariants;
  drainS: number;
  telemetry: Awaited<ReturnType<TelemetryLoad['measure']>>;
  ceilings: {
    bare: CeilingResult;
    pgTx: CeilingResult;
    standalone: CeilingResult;
    anon: WebCeiling | null;
    authed: WebCeiling | null;
  };
  /** Notes gathered while running, printed first. */
  notes: string[];
  profile?: string;
}

export function bookingResult(run: BookingRun): ScenarioResult {
  const { cfg, idle, invariants, drainS } = run;
  const { alone, light, underLoad, at100, overload } = run.phases;
  const { bare, pgTx, standalone, anon, authed } = run.ceilings;
  const answered = Histogram.fromSnapshot(overload.report.answered).summary();
  const refused = Histogram.fromSnapshot(overload.report.refused);
  const telemetryFigures = run.telemetry;
  const notes = [...run.notes];
  const aloneHops = run.hops.alone;
  const lightHops = run.hops.light;
  const loadHops = run.hops.underLoad;
  const phases = { light, at100, alone, underLoad, overload };
  const commitsPerBooking = alone.report.offered ? alone.pgCommits / alone.report.offered : 0;
  const cpuAlone = cpuMsPerBooking(alone, idle);
  const doubleAssignments = invariants.driversWithTwoBookings + invariants.bookingsWithTwoDrivers;
  const stuck = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

  for (const [name, p] of Object.entries(phases)) {
    const r = p.report;
    const errors = Object.entries(r.errors)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    const late = r.lateOffers
      ? `; ${r.lateOffers} offers came after their rider gave up, p50 ${Math.round(Histogram.fromSnapshot(r.late).summary().p50)} ms after the request`
      : '';
    notes.push(
      `${name}: ${r.ratePerS}/s offered for ${p.seconds.toFixed(1)} s: ${r.started} due, ${r.skippedBehind} of them skipped (at ${cfg.maxInFlight} in flight), ${r.offered} offers reached a driver, ${r.noOffer} without an offer in ${cfg.offerWaitMs / 1000} s${late}${errors ? `; errors: ${errors}` : ''}`,
    );
  }
  notes.push(
    `overload: ${overload.report.ratePerS}/s offered (3 × alone), ${overload.bookingsPerS.toFixed(0)}/s got their offer; requests answered p50/p99 ${answered.p50.toFixed(0)}/${answered.p99.toFixed(0)} ms (${answered.count}), refused 503 ${refused.count} with p99 ${refused.count ? refused.summary().p99.toFixed(1) : '-'} ms; nothing half-written is checked after the drain below (stuck bookings, drivers, outbox)`,
  );
  const d = underLoad.report.drivers;
  notes.push(
    `driver sockets over the run: ${d.connected} connected, ${d.closedUnexpectedly} closed unexpectedly; ${d.pingsAccepted} of ${d.pingsSent} positions accepted (${d.pingsRefused} refused); ${d.offers} offers received, ${d.withdrawn} withdrawn`,
  );
  notes.push(`where the time goes, p50/p99 ms per hop (see bench/booking/timeline.ts):`);
  notes.push(`  light (${lightHops.complete} bookings): ${hopLine(lightHops)}`);
  notes.push(`  alone (${aloneHops.complete}): ${hopLine(aloneHops)}`);
  notes.push(`  underLoad (${loadHops.complete}): ${hopLine(loadHops)}`);
  const cpuTotal = Object.values(cpuAlone).reduce((a, b) => a + b, 0);
  notes.push(
    cpuTotal > 0
      ? `CPU per booking, ms of one core (alone, above the idle baseline): ${perBookingLine(cpuAlone)}; total ${cpuTotal.toFixed(1)} ms, i.e. at most ${Math.round((cpus().length * 1000) / cpuTotal)} bookings/s on ${cpus().length} cores`
      : 'CPU per booking: no booking completed alone',
  );
  notes.push(`CPU % of a core (idle baseline): ${cpuLine({ samples: idle })}`);
  notes.push(`CPU % of a core (alone): ${cpuLine(alone)}`);
  notes.push(`CPU % of a core (underLoad): ${cpuLine(underLoad)}`);
  notes.push(limitingLayer(alone, 'alone'));
  notes.push(
    `PostgreSQL (bench database) per booking, alone: ${commitsPerBooking.toFixed(1)} commits, ${(alone.report.offered ? alone.pgRowsWritten / alone.report.offered : 0).toFixed(1)} rows written`,
  );
  notes.push(
    `after the run (drain ${drainS.toFixed(1)} s): ${invariants.bookings} bookings; stuck bookings ${JSON.stringify(invariants.stuckBookings)}, drivers not available ${JSON.stringify(invariants.stuckDrivers)}, live index disagreeing with PostgreSQL ${invariants.indexDisagrees}, outbox rows left ${invariants.outboxLeft}`,
  );
  notes.push(
    `telemetry during underLoad: ${telemetryFigures.updatesPerS.toFixed(0)} of ${cfg.telemetryUpdatesPerS} updates/s acknowledged, dispatcher p99 ${telemetryFigures.p99Ms.toFixed(0)} ms${telemetryFigures.superseded ? `, ${telemetryFigures.superseded} pings superseded unsent (gateways asked to wait)` : ''}`,
  );
  notes.push(
    'keeping drivers free: the rider cancels as soon as the offer reaches the driver (offer withdrawn, driver available again); every booking therefore also costs one booking.cancel',
  );
  notes.push(
    `machine: ${cpus().length} cores shared with the load generators; PostgreSQL, Redis and Kafka CPU figures include anything else using them (e.g. a concurrent test run)`,
  );

  const metrics: Record<string, number> = {
    bookingsPerS: alone.bookingsPerS,
    p50Ms: alone.latency.p50,
    p99Ms: alone.latency.p99,
    bookingsPerSUnderLoad: underLoad.bookingsPerS,
    p50MsUnderLoad: underLoad.latency.p50,
    p99MsUnderLoad: underLoad.latency.p99,
    doubleAssignments,
    offeredRatePerS: cfg.aloneRatePerS,
    offeredRatePerSUnderLoad: cfg.underLoadRatePerS,
    skippedBehind: alone.report.skippedBehind,
    skippedBehindUnderLoad: underLoad.report.skippedBehind,
    p50MsLight: light.latency.p50,
    p99MsLight: light.latency.p99,
    p99Ms100: at100.latency.p99,
    bookingsPerS100: at100.bookingsPerS,
    // Quote and create requests web answered during the overload phase, and its 503 refusals.
    overloadP99Ms: answered.p99,
    overloadRefusedP99Ms: refused.count > 0 ? refused.summary().p99 : 0,
    overloadRefused: refused.count,
    overloadBookingsPerS: overload.bookingsPerS,
    noOffer: alone.report.noOffer + light.report.noOffer + underLoad.report.noOffer + at100.report.noOffer,
    // The overload phase's refusals are what it is for: its errors are reported apart.
    errors: [alone, light, underLoad, at100].reduce((n, p) => n + stuck(p.report.errors), 0),
    availabilityChainBreaks: invariants.availabilityChainBreaks,
    offersWithoutReservation: Math.abs(invariants.offersMade - invariants.offerReservations),
    reofferedBookings: invariants.reofferedBookings,
    offersToASecondDriver: alone.report.reofferedToAnother + underLoad.report.reofferedToAnother,
    stuckBookings: stuck(invariants.stuckBookings),
    stuckDrivers: stuck(invariants.stuckDrivers),
    telemetryUpdatesPerS: telemetryFigures.updatesPerS,
    telemetryP99Ms: telemetryFigures.p99Ms,
    pgCommitsPerBooking: commitsPerBooking,
    webCpuMsPerBooking: cpuAlone.web ?? 0,
    workersCpuMsPerBooking: cpuAlone.workers ?? 0,
    realtimeCpuMsPerBooking: cpuAlone.realtime ?? 0,
    postgresCpuMsPerBooking: cpuAlone.postgres ?? 0,
    loadBookingCpuMeanPct: alone.samples.processes.loadBooking?.cpuMeanPct ?? 0,
    webCpuMeanPct: alone.samples.processes.web?.cpuMeanPct ?? 0,
    machineCpuMeanPct: alone.samples.machine.cpuMeanPct,
    machineCpuMeanPctUnderLoad: underLoad.samples.machine.cpuMeanPct,
    otherCpuMeanPct: otherCpuPct(alone),
    otherCpuMeanPctUnderLoad: otherCpuPct(underLoad),
    stackRssMaxMiB: underLoad.samples.stackRssMaxMiB,
  };
  const ceilings: Record<string, number> = {
    bareHttpPerS: bare.perS,
    pgTxPerS: pgTx.perS,
    trpcStandalonePerS: standalone.perS,
    ...(anon ? { trpcAnonymousPerS: anon.perS } : {}),
    ...(authed ? { trpcAuthedPerS: authed.perS } : {}),
  };
  if (anon && authed)
    notes.push(
      `tRPC ceiling (me): anonymous ${anon.perS.toFixed(0)}/s with web at ${anon.webCpuPct.toFixed(0)} % CPU, signed in ${authed.perS.toFixed(0)}/s with web at ${authed.webCpuPct.toFixed(0)} % (client ${authed.clientCpuPct.toFixed(0)} %)`,
    );
  const ratios: Record<string, number> = {
    bookingsVsTarget: alone.bookingsPerS / targets.alone,
    bookingsUnderLoadVsTarget: underLoad.bookingsPerS / targets.underLoad,
    p99VsTarget: alone.latency.p99 / targets.p99Ms,
    // Each booking is three signed-in tRPC requests (quote, create, cancel): the share of the
    // web door's trivial-request ceiling they use, before the procedures' own work.
    ...(authed ? { trpcRequestsVsAuthedCeiling: (alone.bookingsPerS * 3) / authed.perS } : {}),
    ...(anon ? { trpcVsBareHttp: anon.perS / bare.perS } : {}),
    ...(authed ? { trpcAuthedVsStandalone: authed.perS / standalone.perS } : {}),
    pgCommitsVsPgTx: (alone.bookingsPerS * commitsPerBooking) / pgTx.perS,
  };
  return {
    scenario: 'booking',
    durationS: alone.seconds + light.seconds + underLoad.seconds,
    metrics,
    ceilings,
    ratios,
    notes,
    ...(run.profile ? { profile: run.profile } : {}),
  };
}

function perBookingLine(perBooking: Record<string, number>): string {
  return Object.entries(perBooking)
    .filter(([, ms]) => ms >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([name, ms]) => `${name} ${ms.toFixed(2)}`)
    .join(', ');
}

/** CPU used on the machine by processes outside the stack and the load generators (% of one core). */
function otherCpuPct(phase: Pick<PhaseResult, 'samples'>): number {
  const ours = Object.values(phase.samples.processes).reduce((sum, p) => sum + p.cpuMeanPct, 0);
  return Math.max(0, phase.samples.machine.cpuMeanPct * cpus().length - ours);
}

function cpuLine(phase: Pick<PhaseResult, 'samples'>): string {
  const other = otherCpuPct(phase);
  const perProcess = Object.entries(phase.samples.processes)
    .map(([name, p]) => `${name} ${Math.round(p.cpuMeanPct)}`)
    .join(', ');
  const warning = other >= 30 ? ' (figures are low: re-run on a quiet machine)' : '';
  return `${perProcess}; OTHER processes ${Math.round(other)}${warning}; machine ${Math.round(phase.samples.machine.cpuMeanPct)} % of all cores`;
}

/**
 * Which layer limits, read from the CPU samples: a Node process near one full core is its own
 * event loop's limit; a machine near 100 % is out of cores (then the biggest consumers are named);
 * neither means the rate was not pushed to a limit, or the chain of round trips is.
 */
function limitingLayer(phase: PhaseResult, name: string): string {
  const processes = Object.entries(phase.samples.processes).sort((a, b) => b[1].cpuMeanPct - a[1].cpuMeanPct);
  const node = ['web', 'workers', 'realtime', 'loadBooking'];
  const saturated = processes.filter(([n, p]) => node.includes(n) && p.cpuMeanPct >= 90).map(([n]) => n);
  const top = processes
    .slice(0, 3)
    .map(([n, p]) => `${n} ${Math.round(p.cpuMeanPct)} %`)
    .join(', ');
  if (saturated.length > 0)
    return `limit (${name}): the event loop of ${saturated.join(' and ')} is saturated (≥ 90 % of a core); top: ${top}`;
  if (phase.samples.machine.cpuMeanPct >= 90)
    return `limit (${name}): the machine's cores are saturated (${Math.round(phase.samples.machine.cpuMeanPct)} %, of which OTHER processes ${Math.round(otherCpuPct(phase))} % of a core); top: ${top}`;
  if (phase.report.skippedBehind === 0)
    return `limit (${name}): none reached: the offered rate was served (top CPU: ${top})`;
  return `limit (${name}): no process and not the machine saturated, yet arrivals were skipped: the in-flight bound with this latency (round trips, queues) is the limit; top: ${top}`;
}
