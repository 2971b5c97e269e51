import { withCallContext } from "./call-context.js";

/**
 * How a write ended, and whether any of its attempts ended without a definite answer. Okta does not
 * deduplicate writes, and the executor retries a write whose answer was lost (5xx, reset, timeout).
 * When such an attempt landed, the retry meets Okta's "already assigned" (409, E0000090), "login
 * already exists" or 404: `uncertain` tells the caller that this may be its own first attempt's work.
 */
export type WriteAttempt<T> =
  | { readonly ok: true; readonly value: T; readonly uncertain: boolean }
  | { readonly ok: false; readonly error: unknown; readonly uncertain: boolean };

/** Runs `write` (one or more Okta calls) and reports its result or error with `uncertain`; never throws. */
export async function attemptWrite<T>(write: () => Promise<T>): Promise<WriteAttempt<T>> {
  let uncertain = false;
  try {
    const value = await withCallContext({ onUncertainWrite: () => (uncertain = true) }, write);
    return { ok: true, value, uncertain };
  } catch (error) {
    return { ok: false, error, uncertain };
  }
}
