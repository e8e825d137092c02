import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Samples CPU and RSS of named processes and the machine's CPU from /proc while a benchmark runs,
 * so a report can say *what* saturated (Redis at 100 % of a core, or the load generator) and how
 * much memory the whole stack held. Linux only, by design: our machines are Linux.
 *
 * CPU % is of one core (a process using both cores of a 2-core machine shows 200 %); the
 * machine figure is of all cores (100 % = every core busy). A target's figures include its
 * descendants by default, because `tsx` and `npm` start the real Node process as a child.
 */
export interface SampleTarget {
  name: string;
  pid: number;
  /** Also count every process below `pid` (found afresh at each sample). Default true. */
  includeDescendants?: boolean;
}

export interface ProcessFigures {
  cpuMeanPct: number;
  cpuMaxPct: number;
  rssMaxMiB: number;
}

export interface SamplerReport {
  samples: number;
  seconds: number;
  processes: Record<string, ProcessFigures>;
  machine: { cpuMeanPct: number; cpuMaxPct: number };
  /** Highest total RSS of all targets at one instant (not the sum of each one's maximum). */
  stackRssMaxMiB: number;
}

const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcStat {
  ppid: number;
  cpuTicks: number;
  rssKiB: number;
}

function readProc(pid: number): ProcStat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+)/.exec(status);
    // fields[0] is field 3 (state): ppid = field 4, utime = 14, stime = 15.
    return {
      ppid: Number(fields[1]),
      cpuTicks: Number(fields[11]) + Number(fields[12]),
      rssKiB: rss ? Number(rss[1]) : 0,
    };
  } catch {
    return null; // the process ended between listing and reading
  }
}

/** Every process on the machine, read once per sample. */
function scanProcesses(): Map<number, ProcStat> {
  const all = new Map<number, ProcStat>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = readProc(pid);
    if (stat) all.set(pid, stat);
  }
  return all;
}

function treeOf(root: number, all: Map<number, ProcStat>): number[] {
  const found = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, stat] of all)
      if (!found.has(pid) && found.has(stat.ppid)) {
        found.add(pid);
        grew = true;
      }
  }
  return [...found];
}

function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const values = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

export class ProcessSampler {
  private timer: NodeJS.Timeout | null = null;
  private lastAt = 0;
  private lastTicks = new Map<number, number>();
  private lastMachine = machineTicks();
  private readonly cpu = new Map<string, number[]>();
  private readonly rssMax = new Map<string, number>();
  private readonly machineCpu: number[] = [];
  private stackRssMax = 0;
  private startedAt = 0;

  constructor(
    private readonly targets: SampleTarget[],
    private readonly intervalMs = 1_000,
  ) {}

  start(): this {
    this.startedAt = performance.now();
    this.lastAt = this.startedAt;
    this.lastMachine = machineTicks();
    this.remember(this.readAll()); // baseline tick counts; no CPU figure yet
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
    return this;
  }

  stop(): SamplerReport {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // A last sample so a run shorter than the interval still reports something.
    if (performance.now() - this.lastAt > this.intervalMs / 4 || this.machineCpu.length === 0) this.sample();
    const processes: Record<string, ProcessFigures> = {};
    for (const target of this.targets) {
      const series = this.cpu.get(target.name) ?? [];
      processes[target.name] = {
        cpuMeanPct: mean(series),
        cpuMaxPct: series.length ? Math.max(...series) : 0,
        rssMaxMiB: (this.rssMax.get(target.name) ?? 0) / 1024,
      };
    }
    return {
      samples: this.machineCpu.length,
      seconds: (performance.now() - this.startedAt) / 1000,
      processes,
      machine: {
        cpuMeanPct: mean(this.machineCpu),
        cpuMaxPct: this.machineCpu.length ? Math.max(...this.machineCpu) : 0,
      },
      stackRssMaxMiB: this.stackRssMax / 1024,
    };
  }

  /** Per target: the pids it covers now, with their current stat. */
  private readAll(): Map<string, Map<number, ProcStat>> {
    const needTree = this.targets.some((t) => t.includeDescendants !== false);
    const all = needTree ? scanProcesses() : null;
    const result = new Map<string, Map<number, ProcStat>>();
    for (const target of this.targets) {
      const stats = new Map<number, ProcStat>();
      const pids = all && target.includeDescendants !== false ? treeOf(target.pid, all) : [target.pid];
      for (const pid of pids) {
        const stat = all?.get(pid) ?? readProc(pid);
        if (stat) stats.set(pid, stat);
      }
      result.set(target.name, stats);
    }
    return result;
  }

  private remember(all: Map<string, Map<number, ProcStat>>): void {
    this.lastTicks = new Map();
    for (const stats of all.values()) for (const [pid, stat] of stats) this.lastTicks.set(pid, stat.cpuTicks);
  }

  private sample(): void {
    const now = performance.now();
    const seconds = (now - this.lastAt) / 1000;
    if (seconds <= 0) return;
    const all = this.readAll();
    let stackRss = 0;
    for (const [name, stats] of all) {
      let used = 0;
      let rss = 0;
      for (const [pid, stat] of stats) {
        // A pid unseen at the last sample was born since: all its CPU time falls in this window.
        used += stat.cpuTicks - (this.lastTicks.get(pid) ?? 0);
        rss += stat.rssKiB;
      }
      push(this.cpu, name, (used / clockTicks / seconds) * 100);
      this.rssMax.set(name, Math.max(this.rssMax.get(name) ?? 0, rss));
      stackRss += rss;
    }
    this.stackRssMax = Math.max(this.stackRssMax, stackRss);
    const machine = machineTicks();
    const total = machine.total - this.lastMachine.total;
    if (total > 0) this.machineCpu.push(((machine.busy - this.lastMachine.busy) / total) * 100);
    this.lastMachine = machine;
    this.remember(all);
    this.lastAt = now;
  }
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

/** Flattens a report into metric-style keys, e.g. `redisCpuMeanPct`, `stackRssMaxMiB`. */
export function samplerMetrics(report: SamplerReport): Record<string, number> {
  const out: Record<string, number> = {
    machineCpuMeanPct: report.machine.cpuMeanPct,
    machineCpuMaxPct: report.machine.cpuMaxPct,
    stackRssMaxMiB: report.stackRssMaxMiB,
  };
  for (const [name, figures] of Object.entries(report.processes)) {
    out[`${name}CpuMeanPct`] = figures.cpuMeanPct;
    out[`${name}CpuMaxPct`] = figures.cpuMaxPct;
    out[`${name}RssMaxMiB`] = figures.rssMaxMiB;
  }
  return out;
}
