import pg from 'pg';
import { afterEach, expect, it, vi } from 'vitest';
import { away, centre, driverAt, rider } from './support/booking-helpers';
import { type BookingWorld, bookingWorld } from './support/booking-world';
import { type RecordedTransaction, recordTransactions } from './support/pg-transactions';
import { httpCall, sessionOf, webDepsFor } from './support/trpc';

/**
 * What a booking costs PostgreSQL (ADR 0017), counted at the client through the real web door and
 * dispatch worker: quote → create → the offer → the rider cancels. Each step is one transaction or
 * none; nothing re-reads what it just wrote, and the cancelled offer's timeout never runs.
 */
const withoutCacheRefresh = (txs: RecordedTransaction[]) =>
  txs.filter((tx) => !/ from "settings"$| from "vehicle_types" left join "fare_tables"/.test(tx[0]!));

let world: BookingWorld | null = null;
let poll: pg.Client | null = null;
afterEach(async () => {
  await poll?.end();
  await world?.close();
  world = poll = null;
});

/**
 * Each transaction by its first statement's verb and table, e.g. `insert into "bookings"`. The
 * refresh of the per-process settings and catalog copies (once per 5 s per process, whatever the
 * traffic) is left out: on a slow machine it may fall into any step.
 */
const shape = (txs: RecordedTransaction[]) =>
  withoutCacheRefresh(txs).map(
    (statements) => statements[0]!.match(/^(insert into|select .*? from|update|delete from) "?\w+"?/)?.[0],
  );

it('quotes with no read, creates in one transaction, offers in one, cancels in one', async () => {
  world = await bookingWorld('commits', { offerTtlMs: 4_000 });
  const { h } = world;
  const web = webDepsFor(h);
  await driverAt(h, away(300));
  const r = await rider(h);
  const session = await sessionOf(h, { ...r, role: 'rider' });
  const trip = { pickup: centre, dropoff: away(3_000, 2_000), vehicleTypeId: 'economy' };
  // The first quote of a process reads the settings and the catalog it then keeps.
  await httpCall(web, session, 'pricing.quote', trip);
  poll = new pg.Client({ connectionString: h.databaseUrl });
  await poll.connect();

  let token = '';
  const quote = await recordTransactions(async () => {
    token = (await httpCall<{ token: string }>(web, session, 'pricing.quote', trip)).data!.token;
  }, poll);
  expect(withoutCacheRefresh(quote)).toEqual([]);

  let bookingId = '';
  const createAndOffer = await recordTransactions(async () => {
    const created = await httpCall<{ booking: { id: string; vehicleTypeName: string } }>(
      web,
      session,
      'booking.create',
      { quoteToken: token, idempotencyKey: crypto.randomUUID() },
    );
    expect(created.data?.booking.vehicleTypeName).toBe('Economy');
    bookingId = created.data!.booking.id;
    // Polled on the test's own client, which is not counted.
    await vi.waitFor(
      async () => {
        const { rows } = await poll!.query('select status from bookings where id = $1', [bookingId]);
        expect(rows[0]?.status).toBe('offered');
      },
      { timeout: 15_000 },
    );
  }, poll);
  // The create (booking, history, outbox) and the dispatch job (search, reserve, offer, round).
  expect(shape(createAndOffer)).toEqual([
    'insert into "bookings"',
    expect.stringMatching(/^select .* from "bookings"$/),
  ]);
  expect(withoutCacheRefresh(createAndOffer)[1]!.join('\n')).toMatch(
    /update "drivers"[\s\S]*insert into "booking_candidates"/,
  );

  const cancel = await recordTransactions(async () => {
    expect((await httpCall(web, session, 'booking.cancel', { bookingId })).status).toBe(200);
  }, poll);
  expect(shape(cancel)).toEqual([expect.stringMatching(/^select .* from "bookings"$/)]);

  // The offer's 4 s timeout was withdrawn with the offer: no job, not even a read.
  const afterwards = await recordTransactions(
    () => new Promise((resolve) => setTimeout(resolve, 5_000)),
    poll,
  );
  expect(withoutCacheRefresh(afterwards)).toEqual([]);
});
