/** How dispatch searches and offers. */
export const defaultDispatchPolicy = {
  /** An offer rings this long on the driver's phone. */
  offerTtlMs: 15_000,
  /** Give up after this many offers or this long searching: "no driver found". */
  maxOffers: 8,
  maxSearchMs: 120_000,
  candidatesPerRound: 10,
  /** Search radius per round: later rounds look farther. */
  radiiM: [3_000, 6_000, 10_000],
  /** Nobody reachable now: look again after this. */
  retryDelayMs: 5_000,
  /** A booking left in requested/searching this long without progress is re-enqueued by the reconciler. */
  stuckAfterMs: 10_000,
  /** Offers past expiry by this much are expired by the reconciler if their timeout job was lost. */
  offerGraceMs: 2_000,
} as const;

export type DispatchPolicy = {
  [K in keyof typeof defaultDispatchPolicy]: (typeof defaultDispatchPolicy)[K] extends readonly number[]
    ? readonly number[]
    : number;
};

/** The deployment's policy: the defaults, with any overrides it was given (tests shorten the clocks). */
export function dispatchPolicyOf(deps: { dispatchPolicy?: Partial<DispatchPolicy> }): DispatchPolicy {
  return { ...defaultDispatchPolicy, ...deps.dispatchPolicy };
}
