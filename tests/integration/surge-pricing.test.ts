import { latLngToCell } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { demoCity } from '@/domain/city';
import { offsetMeters } from '@/domain/geo';
import { roundToMajor } from '@/domain/money';
import { serviceAreaResolution } from '@/domain/service-area';
import type { RealtimeProcess } from '@/server/realtime/start';
import { quoteTrip } from '@/server/services/booking/quote-trip';
import { createUser } from './support/fixtures';
import { createHarness, type Harness } from './support/harness';
import { startRealtimeFor, startWorkersFor } from './support/in-process-apps';
import { driverOnSocket, type TestSocket } from './support/sockets';

/**
 * Surge end to end below the browser, on production wiring: a driver's pings reach realtime's
 * fleet view, which publishes supply per cell; quotes count demand; the workers' `surge` job
 * (every 10 s) turns both into a multiplier with its reason; the next quote in that cell is
 * priced with it.
 */
let h: Harness;
let realtime: RealtimeProcess;
let socket: TestSocket | null = null;
let heartbeat: NodeJS.Timeout | undefined;
const pickup = demoCity.center;
const dropoff = offsetMeters(pickup, 3_000, 2_000);

beforeAll(async () => {
  h = await createHarness('surge');
  // Production wiring on the harness's database, prefix and topics; h.cleanup() stops both.
  realtime = await startRealtimeFor(h);
  await startWorkersFor(h);
}, 60_000);

afterAll(async () => {
  clearInterval(heartbeat);
  await h?.cleanup();
});

/** One driver on duty beside the pickup, pinging every 4 s like a phone (so they never go stale). */
async function oneDriverAt(at: { lat: number; lng: number }) {
  const { sessionId, socket: phone } = await driverOnSocket(h, realtime.port);
  socket = phone;
  let seq = 0;
  const ping = async () => {
    seq++;
    const pings = [{ seq, at: Date.now(), ...at, accuracyM: 5 }];
    return socket!.emitWithAck('location:batch', { sessionId, pings });
  };
  expect(await ping()).toMatchObject({ ok: true, accepted: 1 });
  heartbeat = setInterval(() => void ping().catch(() => undefined), 4_000);
}

describe('surge pricing', () => {
  it('prices a quote with the multiplier the surge job computed from real demand and supply, and says why', async () => {
    const cell = latLngToCell(pickup.lat, pickup.lng, serviceAreaResolution);
    await oneDriverAt(offsetMeters(pickup, 200, 0));
    // Demand: three riders ask for a price from the same cell (each quote counts).
    for (let i = 0; i < 3; i++) {
      const rider = await createUser(h.postgres.db, 'rider');
      const calm = await quoteTrip(h.booking, {
        riderId: rider.id,
        pickup,
        dropoff,
        vehicleTypeId: 'economy',
        scheduledFor: null,
      });
      expect(calm.fare).toMatchObject({ surge: 0, surgeMultiplier: 1, surgeReason: null });
    }

    // The surge job has run on both inputs: 3 requests for 1 car → ratio 3, 1 + (3 − 1) × 0.5 = 2.
    const computed = await vi.waitFor(
      async () => {
        const found = (await h.booking.surge.all()).find((c) => c.cell === cell);
        expect(found).toMatchObject({ supply: 1, demand: 3 });
        return found!;
      },
      { timeout: 45_000, interval: 250 },
    );
    const reason = 'High demand: 3 requests for 1 available cars nearby';
    expect(computed).toMatchObject({ multiplier: 2, reason });

    const rider = await createUser(h.postgres.db, 'rider');
    const { fare } = await quoteTrip(h.booking, {
      riderId: rider.id,
      pickup,
      dropoff,
      vehicleTypeId: 'economy',
      scheduledFor: null,
    });
    const metered = fare.base + fare.distance + fare.time;
    expect(fare).toMatchObject({ surgeMultiplier: 2, surgeReason: reason, surge: metered });
    expect(fare.surge).toBeGreaterThan(0);
    expect(fare.total).toBe(roundToMajor(2 * metered + fare.minimumAdjustment + fare.bookingFee));
  }, 90_000);
});
