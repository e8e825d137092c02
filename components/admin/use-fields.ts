'use client';
import { type ChangeEvent, useState } from 'react';

/**
 * The text of a form's inputs, kept as typed (numbers are read on submit, see numbers.ts).
 * `bind(name)` gives an input its server name, value and change handler.
 */
export function useFields<K extends string>(initial: Record<K, string>) {
  const [values, setValues] = useState(initial);
  const bind = (name: K) => ({
    name,
    value: values[name],
    onChange: (e: ChangeEvent<HTMLInputElement>) => {
      const typed = e.target.value;
      setValues((v) => ({ ...v, [name]: typed }));
    },
  });
  return { values, setValues, bind };
}
