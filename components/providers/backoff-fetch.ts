/**
 * The header the web API door sets on a request it refused unread (over capacity): such a request
 * changed nothing, so even a mutation may be sent again.
 */
export const refusedUnreadHeader = 'x-od-admission';

export interface BackoffOptions {
  fetch?: typeof fetch;
  sleep?: (ms: number, signal?: AbortSignal | null) => Promise<void>;
  random?: () => number;
  /** Further tries after the first answer that said "later". */
  retries?: number;
  /** Longest single wait, whatever Retry-After says. */
  maxWaitMs?: number;
}

const abortableSleep = (ms: number, signal?: AbortSignal | null) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

/** Seconds in a Retry-After header (delta-seconds form), or null. */
function retryAfterMs(response: Response): number | null {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds >= 0 && response.headers.has('retry-after')
    ? seconds * 1000
    : null;
}

/**
 * `fetch` for the tRPC clients of the rider app, the driver PWA and the console: when web answers
 * 503 or 429 with Retry-After, wait that long (plus up to half again, so phones refused together
 * do not come back together) and try again, a few times, before handing the answer on. Only
 * requests that cannot have changed anything are repeated: reads (GET), and any request the door
 * refused unread.
 */
export function backoffFetch(options: BackoffOptions = {}): typeof fetch {
  const { retries = 3, maxWaitMs = 10_000, random = Math.random, sleep = abortableSleep } = options;
  return async (input, init) => {
    const send = options.fetch ?? fetch;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    for (let attempt = 0; ; attempt++) {
      const response = await send(input, init);
      if (attempt >= retries || (response.status !== 503 && response.status !== 429)) return response;
      const wait = retryAfterMs(response);
      const repeatable = method === 'GET' || response.headers.get(refusedUnreadHeader) === 'refused';
      if (wait === null || !repeatable) return response;
      await response.body?.cancel().catch(() => undefined);
      await sleep(Math.min(wait, maxWaitMs) * (1 + random() / 2), init?.signal);
    }
  };
}
