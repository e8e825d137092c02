#!/usr/bin/env node
// Entry point of `npm run up | test | services | bench`. Plain Node with no dependencies, so it
// runs on a fresh clone: installs packages when node_modules is missing or older than
// package-lock.json, then hands over to the TypeScript command in scripts/<command>.ts.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [command, ...args] = process.argv.slice(2);
const commands = ['up', 'test', 'services', 'bench'];
if (!commands.includes(command)) {
  console.error(`usage: node scripts/bootstrap.mjs <${commands.join('|')}> [args]`);
  process.exit(2);
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 9)) {
  console.error(`Node ${process.versions.node} is too old: Node 20.9 or newer is required.`);
  process.exit(1);
}

const lock = readFileSync(join(root, 'package-lock.json'));
const wanted = createHash('sha256').update(lock).digest('hex');
const stamp = join(root, 'node_modules', '.opendispatch-install');
const installed = existsSync(stamp) ? readFileSync(stamp, 'utf8') : '';
if (installed !== wanted) {
  console.log('▶ Installing dependencies with npm ci (first run on a machine: about a minute)…');
  const started = Date.now();
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=http'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'pipe'],
    env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', NEXT_TELEMETRY_DISABLED: '1' },
    encoding: 'utf8',
  });
  // npm's http log is one line per fetched package: show a count, not a wall of text.
  const fetched = (result.stderr ?? '').split('\n').filter((l) => l.includes('http fetch GET 200')).length;
  const rest = (result.stderr ?? '').split('\n').filter((l) => l.trim() && !l.includes('http fetch'));
  if (rest.length > 0) console.error(rest.join('\n'));
  if (result.status !== 0) {
    console.error('npm ci failed; see the messages above.');
    process.exit(result.status ?? 1);
  }
  writeFileSync(stamp, wanted);
  console.log(
    `✔ Dependencies installed (${fetched} registry downloads) in ${Math.round((Date.now() - started) / 1000)} s`,
  );
}

const tsx = join(root, 'node_modules', '.bin', 'tsx');
const child = spawn(tsx, [join(root, 'scripts', `${command}.ts`), ...args], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
