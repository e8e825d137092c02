import { formatMoney } from '@/domain/money';

export { formatMoney };

/** "4:59" for a countdown; never negative. */
export function countdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** "under a minute", "7 min", "1 h 5 min". */
export function duration(seconds: number): string {
  if (seconds < 60) return 'under a minute';
  const min = Math.round(seconds / 60);
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`;
}

export function distance(m: number): string {
  return m < 1_000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(1)} km`;
}

/** "14:05" today, or "Tue 14:05" on another day: local time, as the person reads a clock. */
export function clockTime(at: number, now = Date.now()): string {
  const d = new Date(at);
  const time = d.toLocaleTimeString('en-IN', { hour: '2-digit', minute: '2-digit', hour12: false });
  return new Date(now).toDateString() === d.toDateString()
    ? time
    : `${d.toLocaleDateString('en-IN', { weekday: 'short', day: 'numeric', month: 'short' })} ${time}`;
}

export function age(ms: number): string {
  if (ms < 60_000) return `${Math.max(0, Math.round(ms / 1000))} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.floor(ms / 3_600_000)} h ${Math.round((ms % 3_600_000) / 60_000)} min`;
}

/** "in_progress" → "in progress". */
export function words(status: string): string {
  return status.replaceAll('_', ' ');
}

/** A trip end as people read it: its name, or where the pin is. */
export function placeName(p: { lat: number; lng: number; label: string | null }): string {
  return p.label ?? `Pin at ${p.lat.toFixed(5)}, ${p.lng.toFixed(5)}`;
}
