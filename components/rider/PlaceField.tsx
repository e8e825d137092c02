'use client';
import { placeName } from '../ui/format';
import { demoPlaces, placeById } from './demo-places';
import { placeIdOf, type TripEndValue } from './trip-draft';

/** Pickup or drop-off: a named place from the list, or the pin set on the map. */
export function PlaceField({
  label,
  testId,
  value,
  error,
  onChange,
}: {
  label: string;
  testId: string;
  value: TripEndValue | null;
  error: string | null;
  onChange: (value: TripEndValue) => void;
}) {
  const selected = placeIdOf(value);
  return (
    <div className="place-field">
      <label>
        {label}
        <select
          aria-label={`${label} place`}
          value={selected}
          onChange={(e) => {
            const place = placeById(e.target.value);
            if (place) onChange({ lat: place.lat, lng: place.lng, label: place.label });
          }}
        >
          <option value="" disabled>
            Choose a place, or click the map
          </option>
          {demoPlaces.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
          {selected === 'pin' ? <option value="pin">Pin on the map</option> : null}
        </select>
      </label>
      <small className="muted" data-testid={testId}>
        {value ? `${placeName(value)} · ${value.lat.toFixed(5)}, ${value.lng.toFixed(5)}` : 'not set'}
      </small>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
