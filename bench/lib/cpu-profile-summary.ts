import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reads V8 `.cpuprofile` files (node --cpu-prof) and sums self time per function and per
 * package: the "profile that says where the time goes" of a benchmark report.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  /** Microseconds on the machine's monotonic clock (the one process.hrtime reads). */
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function packageOf(url: string): string {
  if (!url) return '(native/V8)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node';
  const parts = url.split('/');
  const i = parts.findIndex((p) => ['server', 'domain', 'workers', 'components', 'db', 'bench'].includes(p));
  return i >= 0 ? parts.slice(i, i + 2).join('/') : parts.slice(-1)[0]!;
}

/**
 * `window`: only samples taken between these instants (µs, `process.hrtime.bigint() / 1000n` of
 * any process on the machine), e.g. a load's measuring window without the process's start-up.
 */
export function summariseProfile(
  file: string,
  top = 12,
  window?: { fromUs: number; toUs: number },
): { totalMs: number; byPackage: [string, number][]; byFunction: [string, number][] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfMs = new Map<number, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window.fromUs || at > window.toUs)) continue;
    selfMs.set(id, (selfMs.get(id) ?? 0) + delta / 1000);
  }
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let totalMs = 0;
  for (const [id, ms] of selfMs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') continue;
    totalMs += ms;
    const pkg = packageOf(url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
    const fn = `${functionName || '(anonymous)'} ${pkg}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return { totalMs, byPackage: sorted(byPackage), byFunction: sorted(byFunction) };
}

/** Summaries of every profile in a directory, biggest first, as printable lines. */
export function summariseProfiles(dir: string): string[] {
  const lines: string[] = [];
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const summaries = files
    .map((f) => ({ f, s: summariseProfile(join(dir, f)) }))
    .sort((a, b) => b.s.totalMs - a.s.totalMs);
  for (const { f, s } of summaries) {
    if (s.totalMs < 1_000) continue;
    lines.push(`profile ${f}: ${(s.totalMs / 1000).toFixed(1)} s busy`);
    const pct = (ms: number) => `${((100 * ms) / s.totalMs).toFixed(1)}%`;
    lines.push(`  by package: ${s.byPackage.map(([p, ms]) => `${p} ${pct(ms)}`).join(', ')}`);
    for (const [fn, ms] of s.byFunction) lines.push(`  ${pct(ms).padStart(6)}  ${fn}`);
  }
  return lines;
}
