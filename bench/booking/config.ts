import { rateLimits } from '@/domain/rate-limits';
import type { ScenarioOptions } from '../lib/scenario';

/**
 * The booking benchmark's knobs. `npm run bench` passes only --duration/--quick/--profile, so
 * the rest come from the environment (all optional):
 *
 *   BENCH_BOOKING_RATE              bookings/s offered alone            (default 1,000: the target)
 *   BENCH_BOOKING_RATE_UNDER_LOAD   bookings/s offered during telemetry (default 300: the target)
 *   BENCH_TELEMETRY_RATE            telemetry updates/s in the background (default 25,000: its target)
 *   BENCH_BOOKING_DRIVERS           drivers online on sockets            (default 1,000)
 *   BENCH_BOOKING_MAX_IN_FLIGHT     bookings under way at once; beyond it arrivals are skipped
 *                                   and counted (default 128: 1,000/s at up to 128 ms each; quick 32)
 */
export interface BookingBenchConfig {
  drivers: number;
  riders: number;
  maxInFlight: number;
  aloneRatePerS: number;
  underLoadRatePerS: number;
  lightRatePerS: number;
  telemetryUpdatesPerS: number;
  warmupS: number;
  measureS: number;
  lightS: number;
  warmupPhaseS: number;
  idleS: number;
  telemetryWarmupS: number;
  offerWaitMs: number;
  pingEveryMs: number;
  ceilingMs: number;
}

function fromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!(value > 0)) throw new Error(`${name} must be a positive number, not "${raw}"`);
  return value;
}

/** The unreported first phase's rate (bench/scenarios/booking.ts). */
export const warmupRatePerS = 20;

/**
 * Riders needed so that none is ever the limit: each has one booking under way at a time, and
 * the platform allows 10 booking attempts per rider per minute (domain/rate-limits.ts). Riders
 * book in turn (round robin), so at `ratePerS` each books ratePerS × 60 / riders times a minute:
 * keep that at 80 % of the limit, or real riders would be refused where the benchmark's are not.
 */
function ridersFor(ratePerS: number, maxInFlight: number): number {
  const { limit, windowMs } = rateLimits.bookingCreate;
  return Math.max(Math.ceil(maxInFlight * 2.5), Math.ceil((ratePerS * (windowMs / 1000)) / (limit * 0.8)));
}

export function bookingConfig(options: ScenarioOptions): BookingBenchConfig {
  const quick = options.quick;
  const maxInFlight = fromEnv('BENCH_BOOKING_MAX_IN_FLIGHT', quick ? 32 : 128);
  const aloneRatePerS = fromEnv('BENCH_BOOKING_RATE', quick ? 200 : 1_000);
  const underLoadRatePerS = fromEnv('BENCH_BOOKING_RATE_UNDER_LOAD', quick ? 60 : 300);
  return {
    drivers: fromEnv('BENCH_BOOKING_DRIVERS', quick ? 200 : 1_000),
    riders: ridersFor(Math.max(aloneRatePerS, underLoadRatePerS, warmupRatePerS), maxInFlight),
    maxInFlight,
    aloneRatePerS,
    underLoadRatePerS,
    // The path's own latency, with nothing queued: a trickle, far below what the stack does
    // (~20–50/s on a 2-core machine), one booking every 200 ms.
    lightRatePerS: 5,
    telemetryUpdatesPerS: fromEnv('BENCH_TELEMETRY_RATE', quick ? 2_500 : 25_000),
    warmupS: quick ? 2 : 5,
    measureS: quick ? 5 : options.durationS,
    lightS: quick ? 4 : 15,
    // A first, unreported phase at 20/s: V8 and Next.js compile the booking code paths on it.
    warmupPhaseS: quick ? 2 : 4,
    idleS: quick ? 2 : 5,
    telemetryWarmupS: quick ? 3 : 15,
    offerWaitMs: 10_000,
    // The PWA sends a position every 4 s.
    pingEveryMs: 4_000,
    ceilingMs: quick ? 1_000 : 3_000,
  };
}
