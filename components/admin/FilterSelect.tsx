/** A table filter: "any" (the empty value) or one of `options`. */
export interface FilterSelectProps<V extends string> {
  label: string;
  /** What "no filter" reads as: "Any status". */
  any: string;
  value: V | '';
  onChange: (value: V | '') => void;
  options: readonly { value: V; label: string }[];
}

export function FilterSelect<V extends string>({
  label,
  any,
  value,
  onChange,
  options,
}: FilterSelectProps<V>) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as V | '')}>
      <option value="">{any}</option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
