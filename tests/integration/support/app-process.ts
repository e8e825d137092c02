import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { root, runDir } from '@/scripts/lib/paths';
import { nodeTuning } from '@/scripts/lib/stack';
import { httpOk, waitFor } from '@/scripts/lib/wait';
import { appEnvOf, type Harness } from './harness';

export type AppName = 'web' | 'realtime' | 'workers';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() when the exit was seen. */
  at: number;
}

/** A real app process (the production entry point) started by a test, on its own port. */
export interface AppProcess {
  name: AppName;
  label: string;
  port: number;
  pid: number;
  child: ChildProcess;
  logFile: string;
  exited: Promise<Exit>;
  running(): boolean;
  /** The last lines it printed (for a failing test's message). */
  tail(lines?: number): string;
  /** Resolves with the first line (already printed or to come) matching `pattern`. */
  line(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGKILL: no shutdown at all. */
  kill(): Promise<Exit>;
  /** Sends SIGTERM and returns when it was sent (await `exited` for the end). */
  terminate(): number;
  /** SIGTERM, then SIGKILL if still running after 40 s. */
  stop(): Promise<Exit>;
}

/**
 * Environment shared by a test's app processes: the harness's services and secrets, served at
 * `publicOrigin`, with a fresh session secret for the web processes started with it.
 */
export function harnessAppEnv(h: Harness, publicOrigin: string): Record<string, string> {
  return {
    ...appEnvOf(h),
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    NEXTAUTH_SECRET: randomBytes(32).toString('hex'),
    NEXTAUTH_URL: publicOrigin,
    PUBLIC_REALTIME_URL: publicOrigin,
    REALTIME_CORS_ORIGINS: publicOrigin,
    // Every sign-in of a test comes from 127.0.0.1.
    SIGNIN_ATTEMPTS_PER_IP: '10000',
    NEXT_TELEMETRY_DISABLED: '1',
  };
}

function command(
  name: AppName,
  port: number,
  webDir: string | undefined,
): { file: string; args: string[]; env: Record<string, string> } {
  if (name === 'web') {
    if (!webDir) throw new Error('web needs the directory of a production build (webBuildSnapshot())');
    return {
      file: process.execPath,
      args: [
        ...nodeTuning,
        '--import',
        'tsx',
        'server/web/main.ts',
        ...['--dir', webDir, '--port', String(port), '--host', '127.0.0.1'],
      ],
      env: { PORT: String(port) },
    };
  }
  const entry = name === 'realtime' ? 'server/realtime/main.ts' : 'workers/main.ts';
  const portVar = name === 'realtime' ? 'REALTIME_PORT' : 'WORKERS_PORT';
  return {
    file: process.execPath,
    args: [...nodeTuning, '--import', 'tsx', entry],
    env: { [portVar]: String(port) },
  };
}

export const healthPath: Record<AppName, string> = {
  web: '/api/health',
  realtime: '/health',
  workers: '/health',
};

/**
 * Starts `name` from its real entry point (as stack.ts does; web's server with Next on a private
 * copy of the production build) and waits for its health endpoint.
 * Output goes to .run/logs/<logDir>/<label>.log and is kept in memory for `line` and `tail`.
 */
export async function startApp(
  name: AppName,
  options: {
    label: string;
    port: number;
    env: Record<string, string>;
    logDir: string;
    /** For web: a production build's directory (scripts/lib/build.ts webBuildSnapshot). */
    webDir?: string;
  },
): Promise<AppProcess> {
  const dir = join(runDir, 'logs', options.logDir);
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, `${options.label}.log`);
  const out = createWriteStream(logFile, { flags: 'a' });
  const { file, args, env } = command(name, options.port, options.webDir);
  const child = spawn(file, args, {
    cwd: root,
    env: { ...process.env, ...options.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const watchers = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  let partial = '';
  const take = (chunk: Buffer) => {
    out.write(chunk);
    const text = partial + chunk.toString();
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      if (!line) continue;
      lines.push(line);
      for (const w of watchers) {
        if (w.pattern.test(line)) {
          watchers.delete(w);
          w.resolve(line);
        }
      }
    }
    if (lines.length > 2_000) lines.splice(0, lines.length - 2_000);
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  const exited: Promise<Exit> = once(child, 'exit').then(([code, signal]) => {
    out.end();
    return { code: code as number | null, signal: signal as NodeJS.Signals | null, at: Date.now() };
  });
  const tail = (n = 30) => lines.slice(-n).join('\n');
  const running = () => child.exitCode === null && child.signalCode === null;

  const url = `http://127.0.0.1:${options.port}${healthPath[name]}`;
  const died = exited.then((e) => {
    throw new Error(`${options.label} exited (${e.code ?? e.signal}) during start-up:\n${tail()}`);
  });
  died.catch(() => undefined);
  try {
    await Promise.race([waitFor(`${options.label} (${url})`, () => httpOk(url), 120_000, 200), died]);
  } catch (error) {
    if (running()) child.kill('SIGKILL');
    throw error;
  }

  const line = (pattern: RegExp, timeoutMs = 30_000) => {
    const seen = lines.find((l) => pattern.test(l));
    if (seen) return Promise.resolve(seen);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        watchers.delete(watcher);
        reject(new Error(`${options.label} never printed ${pattern}:\n${tail()}`));
      }, timeoutMs);
      const watcher = {
        pattern,
        resolve: (l: string) => {
          clearTimeout(timer);
          resolve(l);
        },
      };
      watchers.add(watcher);
    });
  };
  const terminate = () => {
    child.kill('SIGTERM');
    return Date.now();
  };
  return {
    name,
    label: options.label,
    port: options.port,
    pid: child.pid!,
    child,
    logFile,
    exited,
    running,
    tail,
    line,
    terminate,
    async kill() {
      if (running()) child.kill('SIGKILL');
      return exited;
    },
    async stop() {
      if (!running()) return exited;
      terminate();
      const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
      const exit = await exited;
      clearTimeout(timer);
      return exit;
    },
  };
}
