'use client';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../trpc';
import { clockTime } from '../ui/format';

export type When = { mode: 'now' } | { mode: 'later'; local: string };

/** `<input type="datetime-local">` speaks local wall-clock time without a zone. */
export function toLocalInput(ms: number): string {
  return new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

export function fromLocalInput(local: string): number | null {
  const ms = new Date(local).getTime();
  return Number.isFinite(ms) ? ms : null;
}

/**
 * Book now, or schedule for later within the window the server allows (shown up front from
 * `booking.limits`; the server's own refusal is shown beside the input too).
 */
export function ScheduleChoice({
  value,
  now,
  error,
  onChange,
}: {
  value: When;
  now: number;
  error: string | null;
  onChange: (value: When) => void;
}) {
  const trpc = useTRPC();
  const limits = useQuery(trpc.booking.limits.queryOptions());
  const allowed = limits.data?.schedule;
  const earliest = allowed ? now + allowed.minLeadMs : null;
  const latest = allowed ? now + allowed.maxAheadMs : null;
  const suggested = () => {
    const at = (earliest ?? now) + 10 * 60_000;
    return toLocalInput(Math.ceil(at / (5 * 60_000)) * 5 * 60_000);
  };
  return (
    <fieldset className="choice-row">
      <legend>When</legend>
      <label className="choice">
        <input
          type="radio"
          name="when"
          checked={value.mode === 'now'}
          onChange={() => onChange({ mode: 'now' })}
        />
        Now
      </label>
      <label className="choice">
        <input
          type="radio"
          name="when"
          checked={value.mode === 'later'}
          onChange={() => onChange({ mode: 'later', local: suggested() })}
        />
        Schedule for later
      </label>
      {value.mode === 'later' ? (
        <div className="schedule-input">
          <label>
            Pickup time
            <input
              type="datetime-local"
              value={value.local}
              min={earliest ? toLocalInput(earliest) : undefined}
              max={latest ? toLocalInput(latest) : undefined}
              onChange={(e) => onChange({ mode: 'later', local: e.target.value })}
            />
          </label>
          {allowed && earliest && latest ? (
            <small className="muted" data-testid="schedule-window">
              Between {clockTime(earliest, now)} and {clockTime(latest, now)}: at least{' '}
              {Math.round(allowed.minLeadMs / 60_000)} min and at most{' '}
              {Math.round(allowed.maxAheadMs / 86_400_000)} days ahead
            </small>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <p className="error" role="alert" data-testid="schedule-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
