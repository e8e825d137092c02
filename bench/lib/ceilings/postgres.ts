import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { postgresAdminUrl, postgresUrl } from '../services-config';
import { type CeilingOptions, type CeilingResult, closedLoop, defaultDurationMs, scratchId } from './common';

const database = 'bench_ceiling';
const rowsPerStatement = 1_000;

/** Creates the scratch database if missing; says whether this call created it (and so drops it). */
async function ensureScratchDatabase(): Promise<boolean> {
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount) return false;
    await admin.query(`create database ${database}`);
    return true;
  } catch (error) {
    // Another run created it between our check and our create: use it, leave it to them.
    if ((error as { code?: string }).code === '42P04') return false;
    throw error;
  } finally {
    await admin.end();
  }
}

async function dropScratchDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${database} with (force)`);
  } finally {
    await admin.end();
  }
}

/** Column arrays for `unnest`, built once so the figure is PostgreSQL's, not ours. */
function batches(count: number): unknown[][] {
  const drivers = Array.from({ length: 5_000 }, () => randomUUID());
  const at = Date.parse('2026-01-01T00:00:00Z');
  let n = 0;
  return Array.from({ length: count }, () => {
    const ids: string[] = [];
    const seqs: number[] = [];
    const lats: number[] = [];
    const lngs: number[] = [];
    const times: string[] = [];
    for (let i = 0; i < rowsPerStatement; i++, n++) {
      ids.push(drivers[n % drivers.length]!);
      seqs.push(n);
      lats.push(12.9716 + (n % 1000) / 1e5);
      lngs.push(77.5946 - (n % 997) / 1e5);
      times.push(new Date(at + n * 10).toISOString());
    }
    return [ids, seqs, lats, lngs, times];
  });
}

/**
 * Rows per second inserted by one connection with 1,000-row `insert … select * from unnest(…)`
 * statements, each its own transaction, into a logged table without indexes (location history
 * must survive a crash, so UNLOGGED would flatter it; indexes are the history design's cost to
 * add). Scratch table in the scratch database `bench_ceiling`, dropped after.
 */
export async function pgInsertRowsPerS(options: CeilingOptions = {}): Promise<CeilingResult> {
  const created = await ensureScratchDatabase();
  const table = `ceiling_${scratchId()}`;
  const client = new pg.Client({ connectionString: postgresUrl(database) });
  await client.connect();
  try {
    await client.query(
      `create table ${table} (driver_id uuid not null, seq int not null, lat float8 not null, lng float8 not null, recorded_at timestamptz not null)`,
    );
    const pool = batches(10);
    const text = `insert into ${table} select * from unnest($1::uuid[], $2::int[], $3::float8[], $4::float8[], $5::timestamptz[])`;
    let next = 0;
    const { ops, seconds } = await closedLoop({
      durationMs: options.durationMs ?? defaultDurationMs,
      lanes: 1,
      step: async () => {
        // Named: parsed and planned once, as a prepared statement, like a real writer would.
        await client.query({ name: 'bench-insert', text, values: pool[next++ % pool.length]! });
        return rowsPerStatement;
      },
    });
    const { rows } = await client.query<{ value: string }>(
      "select current_setting('synchronous_commit') as value",
    );
    return {
      perS: ops / seconds,
      note: `${rowsPerStatement} rows per INSERT … unnest, 1 connection, logged table, synchronous_commit=${rows[0]?.value}`,
    };
  } finally {
    await client.query(`drop table if exists ${table}`).catch(() => undefined);
    await client.end();
    if (created) await dropScratchDatabase();
  }
}

const txLanes = 8;

/**
 * Transactions per second of the shape every command of ours takes: `BEGIN`, one single-row
 * INSERT (uuid primary key), `COMMIT`, three round trips, from 8 connections at once (a web
 * or workers pool's worth). With synchronous_commit on, each COMMIT waits for the WAL flush;
 * concurrent commits share flushes (group commit), which is why this uses several connections.
 * The roof for anything that commits once per request, before its own statements add cost.
 */
export async function pgTxPerS(options: CeilingOptions = {}): Promise<CeilingResult> {
  const created = await ensureScratchDatabase();
  const table = `ceiling_tx_${scratchId()}`;
  const clients = Array.from(
    { length: txLanes },
    () => new pg.Client({ connectionString: postgresUrl(database) }),
  );
  await Promise.all(clients.map((c) => c.connect()));
  try {
    await clients[0]!.query(
      `create table ${table} (id uuid primary key, v int not null, at timestamptz not null)`,
    );
    const text = `insert into ${table} (id, v, at) values ($1, $2, now())`;
    // As many connections as lanes: each step borrows a free one, so every lane has its own.
    const free = [...clients];
    const { ops, seconds } = await closedLoop({
      durationMs: options.durationMs ?? defaultDurationMs,
      lanes: txLanes,
      step: async () => {
        const client = free.pop()!;
        try {
          await client.query('begin');
          await client.query({ name: 'bench-tx-insert', text, values: [randomUUID(), 1] });
          await client.query('commit');
        } finally {
          free.push(client);
        }
        return 1;
      },
    });
    return {
      perS: ops / seconds,
      note: `BEGIN + 1-row INSERT + COMMIT, ${txLanes} connections, logged table with a uuid primary key`,
    };
  } finally {
    await clients[0]!.query(`drop table if exists ${table}`).catch(() => undefined);
    await Promise.all(clients.map((c) => c.end()));
    if (created) await dropScratchDatabase();
  }
}
