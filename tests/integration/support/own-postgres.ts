import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port';

const bin = '/usr/lib/postgresql/15/bin';

export interface OwnPostgres {
  url: string;
  /** SIGKILL the postmaster (an outage, not a shutdown). */
  kill(): Promise<void>;
  /** Start it again on the same data and port. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** As the postgres user (PostgreSQL refuses to run as root), replacing this process image: pid = postgres. */
const asPostgres = (command: string, args: string[]) =>
  ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', command, ...args]] as const;

/**
 * A private PostgreSQL cluster in a temporary directory on a free port, for tests that take the
 * database away. fsync is off: this data is thrown away with the test.
 */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'od-pg-'));
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  chownSync(dir, uid, gid);
  const data = join(dir, 'data');
  const [cmd, args] = asPostgres(`${bin}/initdb`, ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  execFileSync(cmd, args, { stdio: 'ignore' });
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let child: ChildProcess | null = null;

  const start = async () => {
    const [c, a] = asPostgres(`${bin}/postgres`, [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
    ]);
    // A postmaster killed a moment ago may still hold its lock: retry until the new one stays up.
    for (let attempt = 0; attempt < 20; attempt++) {
      const proc = spawn(c, a, { stdio: 'ignore' });
      child = proc;
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && proc.exitCode === null && proc.signalCode === null) {
        if (await accepts(url).catch(() => false)) return;
        await new Promise((r) => setTimeout(r, 200));
      }
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`private postgres on ${port} did not start`);
  };
  const kill = async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url,
    kill,
    start,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function accepts(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}
