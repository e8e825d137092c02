import { cpus } from 'node:os';
import type { ScenarioResult } from './scenario';

/**
 * The two halves of every benchmark's output: an aligned table for people, then one JSON line
 * for machines. The JSON line must be the last line on stdout (../shared/guides/performance.md),
 * so callers print the table, anything else they have to say, and the JSON line last.
 */
export interface FinalJson extends ScenarioResult {
  machine: { cores: number; node: string };
}

/** Keeps the JSON readable: whole numbers for big figures, 3 significant digits for small ones. */
export function roundFigure(value: number): number {
  if (!Number.isFinite(value)) return value;
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return Math.round(value);
  if (magnitude === 0) return 0;
  return Number(value.toPrecision(3));
}

function roundAll(figures: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, roundFigure(v)]));
}

export function finalJson(result: ScenarioResult): FinalJson {
  return {
    scenario: result.scenario,
    durationS: roundFigure(result.durationS),
    metrics: roundAll(result.metrics),
    ceilings: roundAll(result.ceilings),
    ratios: roundAll(result.ratios),
    ...(result.notes?.length ? { notes: result.notes } : {}),
    ...(result.profile ? { profile: result.profile } : {}),
    machine: { cores: cpus().length, node: process.version },
  };
}

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });

export function formatTable(result: ScenarioResult): string {
  const sections: [string, Record<string, number>][] = [
    ['metrics', result.metrics],
    ['ceilings', result.ceilings],
    ['ratios', result.ratios],
  ];
  const rows = sections.flatMap(([section, figures]) =>
    Object.entries(figures).map(([name, value]) => [section, name, numberFormat.format(roundFigure(value))]),
  );
  const header = ['', 'name', 'value'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  const out = [
    `${result.scenario} · ${numberFormat.format(roundFigure(result.durationS))} s · ${cpus().length} cores · node ${process.version}`,
    line(header),
    widths.map((w) => '─'.repeat(w)).join('  '),
  ];
  let previous = '';
  for (const row of rows) {
    // Name each section once, so the eye finds where ceilings start.
    out.push(line([row[0] === previous ? '' : row[0]!, row[1]!, row[2]!]));
    previous = row[0]!;
  }
  for (const note of result.notes ?? []) out.push(`note: ${note}`);
  if (result.profile) out.push(`profile: ${result.profile}`);
  return out.join('\n');
}

/** Prints the table, then `extraLines` (e.g. where results were saved), then the JSON line last. */
export function printReport(result: ScenarioResult, extraLines: string[] = []): FinalJson {
  const json = finalJson(result);
  console.log(formatTable(result));
  for (const line of extraLines) console.log(line);
  console.log(JSON.stringify(json));
  return json;
}
