import {
  type Actor,
  type Attribute,
  mustNotSee,
  type PrincipalKind,
  type SignedInKind,
} from './authorization-matrix';

/**
 * Markers of other people's data, and a search for them in any answer or socket payload. Text
 * markers (ids, e-mails, names, phone and licence numbers, session ids) are matched as substrings
 * of the JSON, case-insensitively; a position is a pair of numbers anywhere in the payload within
 * ~1 m of it (the live index's GEO sets round to about 0.6 m).
 */
export type Marker = { what: string; text: string } | { what: string; lat: number; lng: number };

export interface LeakWorld {
  actors: Record<SignedInKind, Actor>;
  /** The drivers' exact last positions. */
  positions: Partial<Record<SignedInKind, { lat: number; lng: number }>>;
  booking: { id: string; pickup: { lat: number; lng: number } };
  passwordHash: string;
}

const tolerance = 1e-5;

export function markersFor(
  world: LeakWorld,
  kind: PrincipalKind,
  options: { reveals?: readonly ('phone' | 'licence')[] } = {},
): Marker[] {
  const markers: Marker[] = [{ what: 'a password hash', text: world.passwordHash }];
  for (const [who, a] of Object.entries(world.actors) as [SignedInKind, Actor][]) {
    // Nobody is ever sent anyone's personal numbers or auth session id (their own neither).
    if (!options.reveals?.includes('phone')) markers.push({ what: `${who}'s phone`, text: a.phone });
    if (a.licence && !options.reveals?.includes('licence'))
      markers.push({ what: `${who}'s licence`, text: a.licence });
    markers.push({ what: `${who}'s auth session id`, text: a.session.sessionId });
  }
  const rules = mustNotSee[kind];
  for (const [who, attributes] of Object.entries(rules) as [SignedInKind | 'booking', Attribute[]][]) {
    for (const attribute of attributes) {
      if (who === 'booking') {
        if (attribute === 'id') markers.push({ what: 'rider A’s booking id', text: world.booking.id });
        if (attribute === 'position') markers.push({ what: 'rider A’s pickup', ...world.booking.pickup });
        continue;
      }
      const a = world.actors[who];
      if (attribute === 'id') markers.push({ what: `${who}'s id`, text: a.id });
      if (attribute === 'email') markers.push({ what: `${who}'s e-mail`, text: a.email });
      if (attribute === 'name') markers.push({ what: `${who}'s name`, text: a.name });
      const at = world.positions[who];
      if (attribute === 'position' && at) markers.push({ what: `${who}'s position`, ...at });
    }
  }
  return markers;
}

function numbersIn(value: unknown, out: number[] = []): number[] {
  if (typeof value === 'number') out.push(value);
  else if (typeof value === 'string' && /^-?\d+\.\d+$/.test(value)) out.push(Number(value));
  else if (Array.isArray(value)) for (const v of value) numbersIn(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) numbersIn(v, out);
  return out;
}

/** What of `markers` appears in `payload` (an empty list when nothing leaks). */
export function findLeaks(payload: unknown, markers: readonly Marker[]): string[] {
  if (payload === undefined || payload === null) return [];
  const text = (typeof payload === 'string' ? payload : JSON.stringify(payload)).toLowerCase();
  let numbers: number[] | null = null;
  const found: string[] = [];
  for (const m of markers) {
    if ('text' in m) {
      if (m.text && text.includes(m.text.toLowerCase())) found.push(m.what);
      continue;
    }
    numbers ??= numbersIn(typeof payload === 'string' ? safeJson(payload) : payload);
    const near = (x: number) => numbers!.some((n) => Math.abs(n - x) < tolerance);
    if (near(m.lat) && near(m.lng)) found.push(m.what);
  }
  return found;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // CSV and other text: every decimal number in it.
    return (text.match(/-?\d+\.\d+/g) ?? []).map(Number);
  }
}
