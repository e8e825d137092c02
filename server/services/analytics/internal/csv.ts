/**
 * One CSV field (RFC 4180 quoting). Text that a spreadsheet would run as a formula (= + - @ at the
 * start: cancellation reasons are typed by people) is prefixed with an apostrophe.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: string[], rows: (string | number | null | undefined)[][]): string {
  return [header, ...rows]
    .map((r) => r.map(csvField).join(','))
    .join('\r\n')
    .concat('\r\n');
}
