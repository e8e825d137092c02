import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currency, formatMoney, roundToMajor } from '@/domain/money';

describe('roundToMajor', () => {
  it('rounds centésimos to whole pesos, half up', () => {
    expect(roundToMajor(0)).toBe(0);
    expect(roundToMajor(100)).toBe(100);
    expect(roundToMajor(149)).toBe(100);
    expect(roundToMajor(150)).toBe(200);
    expect(roundToMajor(151)).toBe(200);
    expect(roundToMajor(250)).toBe(300);
    expect(roundToMajor(13_250)).toBe(13_300);
    expect(roundToMajor(13_249)).toBe(13_200);
  });

  it('gives a whole number of pesos at most 50 centésimos away, ties upwards, for any fare', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000_000_000 }), (amount) => {
        const rounded = roundToMajor(amount);
        expect(Number.isInteger(rounded)).toBe(true);
        expect(rounded % 100).toBe(0);
        expect(Math.abs(rounded - amount)).toBeLessThanOrEqual(50);
        if (amount % 100 === 50) expect(rounded).toBe(amount + 50);
        expect(roundToMajor(rounded)).toBe(rounded);
      }),
    );
  });

  it('is monotonic', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(1_000_000), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(roundToMajor(lo)).toBeLessThanOrEqual(roundToMajor(hi));
      }),
    );
  });
});

describe('formatMoney', () => {
  // Intl puts a no-break space between the code and the amount.
  it("shows the city's pesos without decimals, with the code and thousands grouping", () => {
    expect(currency).toBe('UYU');
    expect(formatMoney(0)).toBe('UYU\u00a00');
    expect(formatMoney(13_000)).toBe('UYU\u00a0130');
    expect(formatMoney(12_345_600)).toBe('UYU\u00a0123,456');
  });

  it('rounds a stray half peso for display (the charge itself is rounded by roundToMajor)', () => {
    expect(formatMoney(149)).toBe('UYU\u00a01');
    expect(formatMoney(150)).toBe('UYU\u00a02');
  });

  it('takes another currency code', () => {
    expect(formatMoney(10_000, 'USD')).toBe('$100');
  });
});
