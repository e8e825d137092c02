/**
 * Money as integer minor units (paise for INR): no floating point ever touches a fare.
 * Rounding happens once, in `roundToMajor`, with the rule named.
 */
export type Minor = number;

export const currency = 'INR';

/** Rounds to whole rupees, half up (fares are shown and charged in whole rupees). */
export function roundToMajor(amount: Minor): Minor {
  return Math.round(amount / 100) * 100;
}

export function formatMoney(amount: Minor, code: string = currency): string {
  return new Intl.NumberFormat('en-IN', {
    style: 'currency',
    currency: code,
    maximumFractionDigits: 0,
  }).format(amount / 100);
}
