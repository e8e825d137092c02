'use client';
import { useState } from 'react';
import { type DayRange, lastDays, maxRangeDays, rangeProblem } from './range';

const presets: [label: string, days: number][] = [
  ['Today', 1],
  ['7 days', 7],
  ['30 days', 30],
  ['92 days', maxRangeDays],
];

/** Two local dates and presets; a range is applied only when it is valid. */
export function DateRangePicker({
  value,
  onChange,
}: {
  value: DayRange;
  onChange: (range: DayRange) => void;
}) {
  const [draft, setDraft] = useState(value);
  const problem = rangeProblem(draft);
  const apply = (next: DayRange) => {
    setDraft(next);
    if (!rangeProblem(next)) onChange(next);
  };
  return (
    <fieldset className="range-picker" data-testid="range-picker">
      <legend className="sr-only">Date range</legend>
      <label>
        From{' '}
        <input type="date" value={draft.first} onChange={(e) => apply({ ...draft, first: e.target.value })} />
      </label>
      <label>
        To{' '}
        <input type="date" value={draft.last} onChange={(e) => apply({ ...draft, last: e.target.value })} />
      </label>
      <span className="presets">
        {presets.map(([label, days]) => (
          <button key={label} type="button" className="button" onClick={() => apply(lastDays(days))}>
            {label}
          </button>
        ))}
      </span>
      {problem ? (
        <span className="error" role="alert" data-testid="range-error">
          {problem}
        </span>
      ) : null}
    </fieldset>
  );
}
