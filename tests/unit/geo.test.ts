import { describe, expect, it } from 'vitest';
import { haversineMeters, isValidLatLng, offsetMeters } from '@/domain/geo';

const within = (actual: number, expected: number, relative: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.abs(expected) * relative);

const bengaluru = { lat: 12.9716, lng: 77.5946 };

describe('haversine distance', () => {
  it('is zero between a point and itself', () => {
    expect(haversineMeters(bengaluru, bengaluru)).toBe(0);
  });

  it('measures one degree of latitude as about 111.2 km', () => {
    within(haversineMeters({ lat: 0, lng: 0 }, { lat: 1, lng: 0 }), 111_195, 0.002);
    within(haversineMeters({ lat: 45, lng: 10 }, { lat: 46, lng: 10 }), 111_195, 0.002);
  });

  it('shrinks a degree of longitude with the cosine of the latitude', () => {
    within(haversineMeters({ lat: 0, lng: 0 }, { lat: 0, lng: 1 }), 111_195, 0.002);
    within(haversineMeters({ lat: 60, lng: 0 }, { lat: 60, lng: 1 }), 111_195 / 2, 0.002);
  });

  it('is symmetric', () => {
    const other = { lat: 28.6139, lng: 77.209 };
    expect(haversineMeters(bengaluru, other)).toBeCloseTo(haversineMeters(other, bengaluru), 6);
  });

  it('gives a known city-to-city distance (Bengaluru to Delhi ≈ 1,740 km)', () => {
    within(haversineMeters(bengaluru, { lat: 28.6139, lng: 77.209 }), 1_740_000, 0.01);
  });

  it('takes the short way across the antimeridian', () => {
    within(haversineMeters({ lat: 0, lng: 179.5 }, { lat: 0, lng: -179.5 }), 111_195, 0.002);
  });

  it('gives half the circumference between antipodes without NaN', () => {
    const d = haversineMeters({ lat: 10, lng: 20 }, { lat: -10, lng: -160 });
    expect(Number.isNaN(d)).toBe(false);
    within(d, Math.PI * 6_371_008.8, 1e-6);
  });
});

describe('offsetMeters', () => {
  it('moves north, east, south and west by the distance asked', () => {
    for (const [north, east] of [
      [500, 0],
      [0, 500],
      [-500, 0],
      [0, -500],
    ] as const) {
      const moved = offsetMeters(bengaluru, north, east);
      within(haversineMeters(bengaluru, moved), 500, 0.001);
      expect(Math.sign(moved.lat - bengaluru.lat)).toBe(Math.sign(north));
      expect(Math.sign(moved.lng - bengaluru.lng)).toBe(Math.sign(east));
    }
  });

  it('combines north and east into the diagonal', () => {
    within(haversineMeters(bengaluru, offsetMeters(bengaluru, 3_000, 4_000)), 5_000, 0.001);
  });

  it('comes back to the start when the offset is reversed', () => {
    const there = offsetMeters(bengaluru, 1_234, -5_678);
    const back = offsetMeters(there, -1_234, 5_678);
    expect(haversineMeters(bengaluru, back)).toBeLessThan(0.5);
    expect(back.lat).toBeCloseTo(bengaluru.lat, 12);
  });

  it('returns the same point for a zero offset', () => {
    expect(offsetMeters(bengaluru, 0, 0)).toEqual(bengaluru);
  });

  it('scales east offsets for the latitude', () => {
    const atEquator = offsetMeters({ lat: 0, lng: 0 }, 0, 1_000).lng;
    const at60 = offsetMeters({ lat: 60, lng: 0 }, 0, 1_000).lng;
    within(at60, atEquator * 2, 1e-9);
  });
});

describe('isValidLatLng', () => {
  it.each([[{ lat: 0, lng: 0 }], [{ lat: 90, lng: 180 }], [{ lat: -90, lng: -180 }], [bengaluru]])(
    'accepts %o',
    (p) => {
      expect(isValidLatLng(p)).toBe(true);
    },
  );

  it.each([
    [{ lat: 90.000001, lng: 0 }],
    [{ lat: -90.000001, lng: 0 }],
    [{ lat: 0, lng: 180.000001 }],
    [{ lat: 0, lng: -180.000001 }],
    [{ lat: Number.NaN, lng: 0 }],
    [{ lat: 0, lng: Number.NaN }],
    [{ lat: Number.POSITIVE_INFINITY, lng: 0 }],
    [{ lat: 0, lng: Number.NEGATIVE_INFINITY }],
  ])('rejects %o', (p) => {
    expect(isValidLatLng(p)).toBe(false);
  });
});
