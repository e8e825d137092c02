import { demoCity } from './city';

/**
 * Money as integer minor units of the city's currency (centésimos of the Uruguayan peso): no
 * floating point ever touches a fare. Rounding happens once, in `roundToMajor`, with the rule named.
 */
export type Minor = number;

export const currency = demoCity.money.currency;

/** Rounds to whole units of the currency, half up (fares are shown and charged in whole pesos). */
export function roundToMajor(amount: Minor): Minor {
  return Math.round(amount / 100) * 100;
}

export function formatMoney(amount: Minor, code: string = currency): string {
  return new Intl.NumberFormat(demoCity.money.locale, {
    style: 'currency',
    currency: code,
    maximumFractionDigits: 0,
  }).format(amount / 100);
}
