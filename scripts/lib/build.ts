import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { log } from './log';
import { root, runDir } from './paths';

const sourceRoots = [
  'app',
  'components',
  'domain',
  'server',
  'db',
  'public',
  'next.config.js',
  'package-lock.json',
  'tsconfig.json',
];
const stampFile = join(root, '.next', 'opendispatch-source-hash');

function walk(path: string, files: string[]): void {
  if (!existsSync(path)) return;
  if (statSync(path).isFile()) {
    files.push(path);
    return;
  }
  for (const entry of readdirSync(path)) {
    if (entry === 'vendor' || entry === 'node_modules') continue;
    walk(join(path, entry), files);
  }
}

/** A hash of everything the web build depends on: an unchanged tree skips the build. */
function sourceHash(): string {
  const files: string[] = [];
  for (const r of sourceRoots) walk(join(root, r), files);
  const hash = createHash('sha256');
  for (const f of files.sort()) hash.update(relative(root, f)).update(readFileSync(f));
  return hash.digest('hex');
}

const lockDir = join(runDir, 'web-build.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * One `next build` at a time per checkout: two builds writing .next/ at once corrupt it (the
 * browser tests, benchmarks and the scale-out tests may all ask for one). A lock left by a
 * process that died is taken over.
 */
function withBuildLock<T>(run: () => T): T {
  mkdirSync(runDir, { recursive: true });
  const pidFile = join(lockDir, 'pid');
  let waited = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(pidFile, String(process.pid));
      break;
    } catch {
      const holder = Number(existsSync(pidFile) ? readFileSync(pidFile, 'utf8') : 0);
      if (holder && !alive(holder)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!waited) log.info(`Waiting for another web build to finish (pid ${holder || '?'})…`);
      waited = true;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1_000);
    }
  }
  try {
    return run();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function buildIfStale(): void {
  const wanted = sourceHash();
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === wanted) {
    log.ok('Web build is up to date');
    return;
  }
  log.step('Building the web app (next build: 1–3 minutes on 2 cores)…');
  const result = spawnSync('npm', ['run', 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new Error('next build failed; see the output above');
  writeFileSync(stampFile, wanted);
  log.ok('Web app built');
}

export function ensureWebBuild(): void {
  withBuildLock(buildIfStale);
}

/**
 * A private copy of the current production build (any complete one, even older than the sources;
 * built only if there is none), for tests of what is around the app (nginx, scale-out, shutdown)
 * that must not see .next/ emptied under them by a concurrent `next build`. They run
 * `server/web/main.ts --dir <dir>`. Copies are kept per build id and reused; copies older than a
 * day are removed.
 */
export function webBuildSnapshot(): string {
  return withBuildLock(() => {
    const buildIdFile = join(root, '.next', 'BUILD_ID');
    if (!existsSync(buildIdFile)) buildIfStale();
    const buildId = readFileSync(buildIdFile, 'utf8').trim();
    const snapshots = join(runDir, 'web-builds');
    const dir = join(snapshots, buildId);
    if (!existsSync(join(dir, '.complete'))) {
      log.step(`Copying web build ${buildId} for private use…`);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const skip = /[/\\]\.next[/\\](cache|trace|lock)$/;
      // Symlinks inside .next/ are relative (../../node_modules/…): kept as they are, they resolve
      // through the node_modules link below.
      cpSync(join(root, '.next'), join(dir, '.next'), {
        recursive: true,
        verbatimSymlinks: true,
        filter: (source) => !skip.test(source),
      });
      for (const entry of ['node_modules', 'public', 'next.config.js', 'package.json']) {
        symlinkSync(join(root, entry), join(dir, entry));
      }
      const copied = readFileSync(join(dir, '.next', 'BUILD_ID'), 'utf8').trim();
      if (copied !== buildId) throw new Error('the web build changed while it was being copied; try again');
      writeFileSync(join(dir, '.complete'), new Date().toISOString());
    }
    for (const other of readdirSync(snapshots)) {
      const path = join(snapshots, other);
      if (other !== buildId && Date.now() - statSync(path).mtimeMs > 24 * 3_600_000) {
        rmSync(path, { recursive: true, force: true });
      }
    }
    return dir;
  });
}
