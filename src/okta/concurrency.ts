/**
 * How many calls this process lets itself have in flight, learned from Okta's concurrency 429s
 * (`X-Rate-Limit-Limit: 0`). Okta's concurrency limit is per org and shared with the org's other
 * clients, so it cannot be read from a header: a concurrency 429 halves what we allow ourselves, and
 * each answer that is not one adds back a little (additive increase, multiplicative decrease), until
 * no cap is left. Only work that may wait (a sync's look-ahead) asks it; no call is ever held by it.
 * Pure: the executor owns the state.
 */

/** Above this the cap is dropped: far over Okta's largest concurrency limits. */
export const NO_CAP_ABOVE = 100;

/** The cap after a concurrency 429 answered while `inFlight` calls (this one included) were out. */
export function capAfterConcurrencyLimit(cap: number | undefined, inFlight: number): number {
  return Math.max(1, Math.min(cap ?? Infinity, inFlight) / 2);
}

/** The cap after any other answer: one more call per `cap` answers. */
export function capAfterAnswer(cap: number | undefined): number | undefined {
  if (cap === undefined) return undefined;
  const next = cap + 1 / cap;
  return next > NO_CAP_ABOVE ? undefined : next;
}

/** Whether one more call may start now, with `inFlight` out. */
export function underCap(cap: number | undefined, inFlight: number): boolean {
  return cap === undefined || inFlight < Math.floor(cap);
}
