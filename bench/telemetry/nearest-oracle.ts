import { defaultPresencePolicy } from '@/domain/driver-availability';
import { haversineMeters, type LatLng } from '@/domain/geo';
import { seededRandom } from '@/domain/seeded-random';
import type { Redis } from '@/server/infra/redis';
import type { NearestSource } from '@/server/services/ports';
import { type BenchDriver, randomPointInCity, vehicleTypeIds } from './fleet';

export interface OracleOutcome {
  agreement: number;
  queries: number;
  /** Drivers in all brute-force answers: an agreement over empty answers would prove nothing. */
  compared: number;
  nowMs: number;
}

/**
 * Brute force over every driver's hash in the Redis live index (state, vehicle type, position,
 * receive time) against `source`, k = 10 within 3 km. "Now" is the newest receive time in
 * Redis, so after the load has stopped the fleet still counts as fresh and answers are full.
 */
export async function oracleAgreement(
  redis: Redis,
  prefix: string,
  fleet: readonly BenchDriver[],
  source: NearestSource,
  queries: number,
  seed: number,
): Promise<OracleOutcome> {
  const pipeline = redis.pipeline();
  for (const d of fleet) pipeline.hmget(`${prefix}:drv:${d.id}`, 'state', 'vt', 'lat', 'lng', 'rx');
  const rows = ((await pipeline.exec()) ?? []).map(([, v]) => v as (string | null)[]);
  const drivers = fleet.map((d, i) => {
    const [state, vt, lat, lng, rx] = rows[i]!;
    return {
      id: d.id,
      state,
      vt,
      at: { lat: Number(lat), lng: Number(lng) } as LatLng,
      rx: Number(rx ?? 0),
      has: !!lat,
    };
  });
  const nowMs = drivers.reduce((m, d) => Math.max(m, d.rx), 0);
  const fresh = nowMs - defaultPresencePolicy.staleAfterMs;
  const random = seededRandom(seed);
  let agree = 0;
  let compared = 0;
  for (let q = 0; q < queries; q++) {
    const point = randomPointInCity(random);
    const vehicleTypeId = vehicleTypeIds[Math.floor(random() * vehicleTypeIds.length)]!;
    const answer = await source.nearest({ ...point, vehicleTypeId, k: 10, maxRadiusM: 3_000, nowMs });
    const truth = drivers
      .filter((d) => d.state === 'available' && d.vt === vehicleTypeId && d.has && d.rx >= fresh)
      .map((d) => ({ id: d.id, m: haversineMeters(point, d.at) }))
      .filter((x) => x.m <= 3_000)
      .sort((a, b) => a.m - b.m || a.id.localeCompare(b.id))
      .slice(0, 10)
      .map((x) => x.id);
    compared += truth.length;
    if (JSON.stringify(truth) === JSON.stringify(answer.drivers.map((d) => d.driverId))) agree++;
  }
  return { agreement: queries ? agree / queries : 0, queries, compared, nowMs };
}
