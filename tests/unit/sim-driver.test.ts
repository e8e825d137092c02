import { describe, expect, it } from 'vitest';
import { haversineMeters, offsetMeters } from '@/domain/geo';
import type { OfferView } from '@/domain/realtime-contract';
import { cityRoads } from '@/domain/roads/road-estimator';
import { buildRoadGraph } from '@/domain/roads/road-graph';
import { seededRandom } from '@/domain/seeded-random';
import { type DriverDoors, SimDriver } from '@/server/sim/sim-driver';

const o = { lat: -34.9, lng: -56.16 };
const at = (n: number, e: number) => offsetMeters(o, n, e);
const ll = (n: number, e: number): [number, number] => [at(n, e).lng, at(n, e).lat];
// A 3×3 grid of 200 m blocks.
const roads = cityRoads(
  buildRoadGraph(
    [0, 200, 400, 600].flatMap((k) => [
      { coords: [ll(k, 0), ll(k, 600)], roadClass: 'minor' as const },
      { coords: [ll(0, k), ll(600, k)], roadClass: 'minor' as const },
    ]),
  ),
);
const offer = (bookingId: string): OfferView => ({
  bookingId,
  expiresAt: 0,
  pickup: { ...at(400, 200), label: null },
  dropoff: { ...at(0, 600), label: null },
  fareTotal: 1_000,
  currency: 'UYU',
  vehicleTypeId: 'economy',
  pickupDistanceM: null,
});

/** Doors that record calls (and can refuse them), answering at once. */
function recordingDoors(refuse?: (call: string) => boolean) {
  const calls: string[] = [];
  const doors: DriverDoors = {
    respond: async (id, accept) => {
      calls.push(`${accept ? 'accept' : 'decline'} ${id}`);
      if (refuse?.(calls.at(-1)!)) throw new Error('409');
    },
    tripAction: async (id, action) => {
      calls.push(`${action} ${id}`);
      if (refuse?.(calls.at(-1)!)) throw new Error('409');
    },
  };
  return { calls, doors };
}

const behaviour = { acceptRate: 1, answerDelayMs: [1_000, 1_000] as const, boardingMs: 5_000 };

/** Runs the driver for `seconds` of simulated time in 1 s ticks, letting its calls settle. */
async function run(driver: SimDriver, fromMs: number, seconds: number) {
  const track = [];
  for (let s = 1; s <= seconds; s++) {
    track.push(driver.tick(1_000, fromMs + s * 1_000));
    await new Promise((r) => setImmediate(r));
  }
  return track;
}

describe('a simulated driver in the market', () => {
  it('answers after a human delay, drives to the pickup, waits, carries the rider and completes', async () => {
    const { calls, doors } = recordingDoors();
    const driver = new SimDriver('d1', roads, seededRandom(1), doors, behaviour);
    await run(driver, 0, 3);
    driver.offer(offer('b1'), 3_000);
    expect(driver.phase).toBe('answering');
    const track = await run(driver, 3_000, 600);
    expect(calls).toEqual(['accept b1', 'arrived b1', 'start b1', 'complete b1']);
    expect(driver.phase).toBe('cruising');
    // It was at the pickup when it said so, and drove on roads (never faster than 30 km/h).
    const stops = track.filter((p, i) => i > 0 && haversineMeters(p.position, track[i - 1]!.position) < 0.01);
    expect(stops.some((p) => haversineMeters(p.position, at(400, 200)) < 1)).toBe(true);
    for (let i = 1; i < track.length; i++) {
      expect(haversineMeters(track[i]!.position, track[i - 1]!.position)).toBeLessThanOrEqual(
        30 / 3.6 + 0.01,
      );
    }
  });

  it('declines at its rate and cruises on; a withdrawn offer is forgotten', async () => {
    const { calls, doors } = recordingDoors();
    const driver = new SimDriver('d2', roads, seededRandom(2), doors, { ...behaviour, acceptRate: 0 });
    driver.offer(offer('b2'), 0);
    await run(driver, 0, 3);
    expect(calls).toEqual(['decline b2']);
    expect(driver.phase).toBe('cruising');
    driver.offer(offer('b3'), 3_000);
    driver.withdrawn('b3');
    await run(driver, 3_000, 3);
    expect(calls).toEqual(['decline b2']);
  });

  it('drops a trip the platform says is over (the rider cancelled) and cruises on', async () => {
    const { calls, doors } = recordingDoors((call) => call.startsWith('arrived'));
    const driver = new SimDriver('d3', roads, seededRandom(3), doors, behaviour);
    driver.offer(offer('b4'), 0);
    await run(driver, 0, 300);
    expect(calls).toEqual(['accept b4', 'arrived b4']);
    expect(driver.phase).toBe('cruising');
  });
});
