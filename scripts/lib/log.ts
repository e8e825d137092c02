const started = Date.now();

function elapsed(): string {
  const s = Math.round((Date.now() - started) / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** Progress lines for long steps: `[mm:ss] ▶ what is happening`. */
export const log = {
  step: (message: string) => console.log(`[${elapsed()}] ▶ ${message}`),
  ok: (message: string) => console.log(`[${elapsed()}] ✔ ${message}`),
  info: (message: string) => console.log(`[${elapsed()}]   ${message}`),
  fail: (message: string) => console.error(`[${elapsed()}] ✘ ${message}`),
};
