import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { log } from './log';
import { root } from './paths';

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

export function ensureWebBuild(): void {
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
