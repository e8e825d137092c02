'use client';
import { useEffect, useState } from 'react';

/** The current time, re-rendering every `everyMs` while `active`: drives countdowns and ages. */
export function useNow(everyMs = 1_000, active = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs, active]);
  return now;
}
