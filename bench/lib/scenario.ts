/**
 * The contract between `scripts/bench.ts` and a scenario module in `bench/scenarios/<name>.ts`.
 * A scenario exports `run(options)`; it may also export `defaultDurationS`, used when the command
 * line gives no `--duration`.
 */
export interface ScenarioOptions {
  /** How long to sustain the measured load (for `ceilings`: how long each ceiling runs). */
  durationS: number;
  /** A short smoke run: same code paths, smaller/shorter load. Numbers are not comparable. */
  quick: boolean;
  /** Write V8 CPU profiles of the processes under test and summarise where their time goes. */
  profile?: boolean;
  /** Comma-separated `host:port` list of the broker `ensureServices` started or found. */
  kafkaBrokers: string;
}

export interface ScenarioResult {
  scenario: string;
  /** Seconds the measurement actually ran (set-up and tear-down excluded where they are separate). */
  durationS: number;
  /** What the system did, with the metric names of ../shared/guides/performance.md. */
  metrics: Record<string, number>;
  /** Raw ceilings measured on this machine in the same run (bench/lib/ceilings.ts). */
  ceilings: Record<string, number>;
  /** metric ÷ ceiling (or target ÷ ceiling), so runs on different machines can be compared. */
  ratios: Record<string, number>;
  /** Human remarks printed under the table: what saturated, what was skipped, caveats. */
  notes?: string[];
  /** Where a CPU profile or similar artefact of the run was written, if any. */
  profile?: string;
}

export interface ScenarioModule {
  run(options: ScenarioOptions): Promise<ScenarioResult>;
  defaultDurationS?: number;
}
