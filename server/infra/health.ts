export interface CheckResult {
  ok: boolean;
  ms: number;
  error?: string;
}

export interface HealthReport {
  ok: boolean;
  service: string;
  checks: Record<string, CheckResult>;
}

const checkTimeoutMs = 2_000;

async function timed(check: () => Promise<unknown>): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${checkTimeoutMs} ms`)), checkTimeoutMs);
      }),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, ms: Math.round(performance.now() - started), error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every dependency check in parallel, each bounded by a timeout: readiness never hangs. */
export async function healthReport(
  service: string,
  checks: Record<string, () => Promise<unknown>>,
): Promise<HealthReport> {
  const names = Object.keys(checks);
  const results = await Promise.all(names.map((name) => timed(checks[name]!)));
  const report: HealthReport = { ok: results.every((r) => r.ok), service, checks: {} };
  names.forEach((name, i) => {
    report.checks[name] = results[i]!;
  });
  return report;
}
