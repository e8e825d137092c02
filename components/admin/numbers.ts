import { type FareKey, fareKeys } from '@/domain/admin/fare-fields';

/**
 * What a typed number becomes on the wire. Blank or not a number goes as null, so the server
 * refuses it by field ("must be a number") instead of the browser guessing a value.
 */
export function typedNumber(text: string): number {
  const trimmed = text.trim();
  const n = trimmed === '' ? Number.NaN : Number(trimmed);
  return (Number.isFinite(n) ? n : null) as number;
}

/**
 * An amount as typed in whole units ("12.50" pesos) to minor units, by moving the decimal point in
 * the text: "12.34" is exactly 1234 (not 12.34 × 100 = 1233.99…). Finer than a minor unit
 * ("12.345") is never rounded: it goes as 1234.5, which the server refuses beside the field (fares
 * are whole minor units), so what is saved is what was typed. Anything else ("1e3") goes as its
 * number × 100, checked the same way.
 */
export function typedMinor(text: string): number {
  const plain = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (plain && (plain[2] || plain[3])) {
    const [, sign, whole = '', fraction = ''] = plain;
    const minor = Number(`${whole || '0'}${fraction.slice(0, 2).padEnd(2, '0')}.${fraction.slice(2) || '0'}`);
    return sign === '-' ? -minor : minor;
  }
  const major = typedNumber(text);
  return (major === null ? null : major * 100) as number;
}

export function majorText(minor: number): string {
  return (minor / 100).toFixed(2).replace(/\.00$/, '');
}

/** A fare table in minor units as the form shows it, and back. */
export function fareText(fare: Record<FareKey, number>): Record<FareKey, string> {
  return Object.fromEntries(fareKeys.map((k) => [k, majorText(fare[k])])) as Record<FareKey, string>;
}

export function fareMinor(text: Record<FareKey, string>): Record<FareKey, number> {
  return Object.fromEntries(fareKeys.map((k) => [k, typedMinor(text[k])])) as Record<FareKey, number>;
}
