import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureWebBuild } from '@/scripts/lib/build';
import { root } from '@/scripts/lib/paths';
import { type DoorFigures, type DoorLayout, doorLayouts, measureLayout } from '../booking/door-compare';
import { createPeople } from '../booking/people';
import { bareHttpPerS, trpcStandalonePerS } from '../lib/ceilings';
import type { ScenarioOptions, ScenarioResult } from '../lib/scenario';
import { prepareBenchStack } from '../telemetry/bench-stack';

export const defaultDurationS = 5;

/**
 * `npm run bench -- door [--profile]`: the trivial tRPC procedure (`me`, anonymous and signed in)
 * on each layout of the web door, one after another in the same run, beside the ceilings it is
 * judged against (bare Node HTTP, tRPC's standalone adapter with no session): `next start`
 * (before), the custom server (API door before Next, what runs), and the same door alone in its
 * own process (the nginx alternative of ADR 0015). With --profile, each layout's CPU profile over
 * its signed-in window, by package: where a request's time goes.
 */
export async function run(options: ScenarioOptions): Promise<ScenarioResult> {
  const durationMs = options.quick ? 1_500 : options.durationS * 1_000;
  const runId = Date.now();
  const profileDir = options.profile ? join(root, 'bench-results', `profiles-door-${runId}`) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const started = performance.now();
  console.log('  preparing an isolated stack and one rider with a session…');
  const stack = await prepareBenchStack(options.kafkaBrokers);
  const people = await createPeople(stack, { riders: 1, drivers: 0 }, 20261207);
  const cookie = people.riders[0]!.cookie;
  ensureWebBuild();

  console.log('  ceilings: bare HTTP, tRPC standalone adapter (no session)…');
  const bare = await bareHttpPerS({ durationMs });
  const standalone = await trpcStandalonePerS({ durationMs });
  const figures = {} as Record<DoorLayout, DoorFigures>;
  // The two layouts ADR 0015 chooses between are measured in alternation, `rounds` times each,
  // and each keeps its best round: on a shared machine other work only ever slows a round down.
  const rounds = options.quick || options.profile ? 1 : 2;
  const order: DoorLayout[] = ['nextStart'];
  for (let r = 0; r < rounds; r++) order.push('customServer', 'ownProcess');
  for (const [i, layout] of order.entries()) {
    console.log(`  ${layout}: /api/trpc/me anonymous, then signed in…`);
    const f = await measureLayout(stack, layout, { cookie, durationMs, profileDir, runId: runId + i });
    console.log(
      `    ${f.anon.perS.toFixed(0)} / ${f.authed.perS.toFixed(0)} req/s, ${f.authedCpuUsPerRequest.toFixed(0)} µs CPU per signed-in request`,
    );
    const best = figures[layout];
    if (!best || f.authed.perS > best.authed.perS) figures[layout] = f;
  }

  const metrics: Record<string, number> = {};
  const notes: string[] = [];
  for (const layout of doorLayouts) {
    const f = figures[layout];
    metrics[`${layout}AnonPerS`] = f.anon.perS;
    metrics[`${layout}AuthedPerS`] = f.authed.perS;
    metrics[`${layout}AuthedCpuUsPerRequest`] = f.authedCpuUsPerRequest;
    if (f.anon.failed + f.authed.failed > 0)
      notes.push(`${layout}: ${f.anon.failed + f.authed.failed} requests answered non-2xx`);
    notes.push(
      `${layout}: web ${f.authed.webCpuPct.toFixed(0)} % CPU, load client ${f.authed.clientCpuPct.toFixed(0)} % (signed in)`,
    );
    if (f.profile) {
      const pct = (ms: number) => `${((100 * ms) / f.profile!.busyMs).toFixed(1)}%`;
      notes.push(
        `${layout} profile (signed-in window, ${(f.profile.busyMs / 1000).toFixed(1)} s busy): ${f.profile.byPackage.map(([p, ms]) => `${p} ${pct(ms)}`).join(', ')}`,
      );
      for (const [fn, ms] of f.profile.byFunction.slice(0, 6)) notes.push(`  ${pct(ms).padStart(6)} ${fn}`);
    }
  }
  // What runs: the custom server's signed-in figure is the web's trivial signed-in call.
  metrics.trpcAuthedPerS = figures.customServer.authed.perS;
  metrics.trpcAnonPerS = figures.customServer.anon.perS;
  return {
    scenario: 'door',
    durationS: (performance.now() - started) / 1000,
    metrics,
    ceilings: { bareHttpPerS: bare.perS, trpcStandalonePerS: standalone.perS },
    ratios: {
      authedOfStandalone: figures.customServer.authed.perS / standalone.perS,
      customServerOfOwnProcess: figures.customServer.authed.perS / figures.ownProcess.authed.perS,
      customServerOfNextStart: figures.customServer.authed.perS / figures.nextStart.authed.perS,
    },
    notes: [
      ...notes,
      `customServer and ownProcess alternated, best of ${rounds} round(s) each (by signed-in req/s)`,
      ...(profileDir ? [`profiles in ${profileDir}`] : []),
    ],
    ...(profileDir ? { profile: profileDir } : {}),
  };
}
