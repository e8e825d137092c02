import pg from 'pg';

/** What one recorded transaction ran: its statements, or one statement run on its own. */
export type RecordedTransaction = string[];

/**
 * Records the transactions every `pg.Client` of this process commits while `during` runs, as
 * PostgreSQL's `xact_commit` counts them: a BEGIN … COMMIT block is one, a statement outside one
 * (a read too) is one. Read at the client because the server's counters are flushed up to a
 * second late. `ignore` leaves out a client of the test's own (its polling).
 */
export async function recordTransactions(
  during: () => Promise<void>,
  ignore: pg.Client | null = null,
): Promise<RecordedTransaction[]> {
  const done: RecordedTransaction[] = [];
  const open = new WeakMap<pg.Client, string[]>();
  const original = pg.Client.prototype.query;
  const patched = function (this: pg.Client, ...args: unknown[]) {
    const config = args[0];
    const text = typeof config === 'string' ? config : (config as { text?: string } | null)?.text;
    if (text && this !== ignore) {
      const sql = text.trim().replace(/\s+/g, ' ');
      const verb = sql.toLowerCase();
      const tx = open.get(this);
      if (verb.startsWith('begin')) open.set(this, []);
      else if (verb.startsWith('commit')) {
        if (tx) done.push(tx);
        open.delete(this);
      } else if (/^rollback\s*;?$/.test(verb)) open.delete(this);
      else if (tx) tx.push(sql);
      else done.push([sql]);
    }
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  };
  pg.Client.prototype.query = patched as typeof original;
  try {
    await during();
  } finally {
    pg.Client.prototype.query = original;
  }
  return done;
}
