/**
 * What a typed number becomes on the wire. Blank or not a number goes as null, so the server
 * refuses it by field ("must be a number") instead of the browser guessing a value.
 */
export function typedNumber(text: string): number {
  const trimmed = text.trim();
  const n = trimmed === '' ? Number.NaN : Number(trimmed);
  return (Number.isFinite(n) ? n : null) as number;
}

/** Rupees as typed ("12.50") to paise; at most two decimals are meaningful. */
export function typedPaise(text: string): number {
  const rupees = typedNumber(text);
  return (rupees === null ? null : Math.round(rupees * 100)) as number;
}

export function rupeesText(paise: number): string {
  return (paise / 100).toFixed(2).replace(/\.00$/, '');
}

/** A fare table in paise as the form shows it, and back. */
export function fareText(
  fare: Record<'baseFare' | 'perKm' | 'perMinute' | 'minimumFare' | 'bookingFee', number>,
) {
  return {
    baseFare: rupeesText(fare.baseFare),
    perKm: rupeesText(fare.perKm),
    perMinute: rupeesText(fare.perMinute),
    minimumFare: rupeesText(fare.minimumFare),
    bookingFee: rupeesText(fare.bookingFee),
  };
}

export function farePaise(
  text: Record<'baseFare' | 'perKm' | 'perMinute' | 'minimumFare' | 'bookingFee', string>,
) {
  return {
    baseFare: typedPaise(text.baseFare),
    perKm: typedPaise(text.perKm),
    perMinute: typedPaise(text.perMinute),
    minimumFare: typedPaise(text.minimumFare),
    bookingFee: typedPaise(text.bookingFee),
  };
}
