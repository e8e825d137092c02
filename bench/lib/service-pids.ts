import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { Redis } from 'ioredis';
import pg from 'pg';
import { brokerPaths } from '@/scripts/lib/kafka-broker';
import type { SampleTarget } from './process-sampler';
import { postgresAdminUrl, redisUrl } from './services-config';

/**
 * The backing services' process ids, so a benchmark can sample their CPU and memory beside its
 * own. Each is asked of the service itself (Redis INFO, the parent of a PostgreSQL backend, the
 * pid file our broker script writes, else the owner of its listening socket); a service we
 * cannot find is left out, not guessed.
 */
export async function servicePids(kafkaBrokers = '127.0.0.1:9092'): Promise<SampleTarget[]> {
  const found = await Promise.all([redisPid(), postgresPid(), kafkaPid(kafkaBrokers)]);
  return found.filter((t): t is SampleTarget => t !== null);
}

async function redisPid(): Promise<SampleTarget | null> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const match = /process_id:(\d+)/.exec(await redis.info('server'));
    return match ? { name: 'redis', pid: Number(match[1]), includeDescendants: false } : null;
  } catch {
    return null;
  } finally {
    redis.disconnect();
  }
}

/** The postmaster is the parent of our backend; its descendants are every backend and helper. */
async function postgresPid(): Promise<SampleTarget | null> {
  const client = new pg.Client({ connectionString: postgresAdminUrl });
  try {
    await client.connect();
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    const stat = readFileSync(`/proc/${rows[0]!.pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) && ppid > 1 ? { name: 'postgres', pid: ppid } : null;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Our broker script's pid file when this checkout started the broker; otherwise (a broker started
 * by another checkout) the process that owns the listening socket.
 */
async function kafkaPid(kafkaBrokers: string): Promise<SampleTarget | null> {
  const { pidFile } = brokerPaths('main');
  const fromFile = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : Number.NaN;
  if (Number.isInteger(fromFile) && existsSync(`/proc/${fromFile}`)) return { name: 'kafka', pid: fromFile };
  const port = Number(kafkaBrokers.split(',')[0]?.split(':').at(-1));
  const pid = Number.isInteger(port) ? listenerPid(port) : null;
  return pid ? { name: 'kafka', pid } : null;
}

/** The pid holding a TCP socket listening on `port` (needs permission to read its /proc/<pid>/fd). */
export function listenerPid(port: number): number | null {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is ADDR:PORT in hex; state 0A is LISTEN; column 9 is the socket inode.
      if (cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '0A' && cols[9]) inodes.add(`socket:[${cols[9]}]`);
    }
  }
  if (inodes.size === 0) return null;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      for (const fd of readdirSync(`/proc/${entry}/fd`))
        if (inodes.has(readlinkSync(`/proc/${entry}/fd/${fd}`))) return Number(entry);
    } catch {
      // not ours to read, or gone
    }
  }
  return null;
}
