import { describe, expect, it } from 'vitest';
import { demoCity } from '@/domain/city';

describe('the demo city as data', () => {
  it('has its centre and places inside the area its basemap covers, with unique ids', () => {
    const [west, south, east, north] = demoCity.basemap.bounds;
    expect(new Set(demoCity.places.map((p) => p.id)).size).toBe(demoCity.places.length);
    for (const p of [demoCity.center, ...demoCity.places]) {
      expect(p.lng).toBeGreaterThan(west);
      expect(p.lng).toBeLessThan(east);
      expect(p.lat).toBeGreaterThan(south);
      expect(p.lat).toBeLessThan(north);
    }
  });

  it('prices in a currency and a locale Intl knows (a wrong code throws only once a fare is shown)', () => {
    expect(Intl.supportedValuesOf('currency')).toContain(demoCity.money.currency);
    expect(Intl.NumberFormat.supportedLocalesOf([demoCity.money.locale])).toEqual([demoCity.money.locale]);
  });
});
