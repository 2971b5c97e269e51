/**
 * Client-side pacing from `X-Rate-Limit-*`, so that a sync under normal load never meets a 429.
 *
 * Per bucket we keep Okta's last word (limit, remaining, reset on the local clock), minus the calls
 * sent since. While more than a reserve (10% of the limit) remains, calls go out at once. Below it,
 * the remaining calls are spread evenly until the reset; at zero, the next call waits for the reset.
 * Pure: the executor owns the clock, the map of states and the sleeping.
 */
import type { OktaRateLimit } from "./errors.js";
import { RESET_SAFETY_MS } from "./retry.js";

/** What pacing knows about one bucket. Times are local epoch ms. */
export interface BucketState {
  limit: number;
  /** Okta's `X-Rate-Limit-Remaining`, minus the calls sent since it was read. */
  remaining: number;
  resetAtMs: number;
  /** When the latest call in this bucket was sent, or is scheduled to be. */
  lastSendAtMs: number;
}

/** Pacing knobs. */
export interface PacingOptions {
  /** Share of the limit kept as a reserve before spreading starts. */
  reserveFraction?: number;
  /** Smallest reserve, in calls. */
  minReserve?: number;
  /** Added to the wait for a reset when nothing remains; default RESET_SAFETY_MS. */
  resetSafetyMs?: number;
}

export const DEFAULT_RESERVE_FRACTION = 0.1;
export const DEFAULT_MIN_RESERVE = 2;
/**
 * Resets within this distance are the same window: `Date` has one-second resolution, so two
 * responses of one window can put the reset up to a second apart on the local clock.
 */
export const SAME_WINDOW_TOLERANCE_MS = 1_500;

/** How long to hold the next call in this bucket, in ms, at local time `now`. */
export function pacingDelayMs(state: BucketState | undefined, now: number, options: PacingOptions = {}): number {
  if (state === undefined || state.limit <= 0 || now >= state.resetAtMs) return 0;
  const reserve = Math.max(
    options.minReserve ?? DEFAULT_MIN_RESERVE,
    Math.ceil(state.limit * (options.reserveFraction ?? DEFAULT_RESERVE_FRACTION)),
  );
  if (state.remaining > reserve) return 0;
  if (state.remaining <= 0) return state.resetAtMs - now + (options.resetSafetyMs ?? RESET_SAFETY_MS);
  // The remaining calls share the time between the latest booked call and the reset.
  const from = Math.max(now, state.lastSendAtMs);
  const interval = (state.resetAtMs - from) / state.remaining;
  return Math.max(0, Math.ceil(state.lastSendAtMs + interval - now));
}

/**
 * How long a call that leaves `leaveFraction` of its bucket to others waits, in ms: nothing while the
 * remaining count is above that share of the limit, else until the window resets. Bulk reads that Okta
 * offers only one by one (a user's factors) go through this, so they never eat the share the sync's own
 * listings and the org's other API clients need; Okta's limits are per org, not per client.
 */
export function leaveForOthersDelayMs(state: BucketState | undefined, now: number, leaveFraction: number, options: PacingOptions = {}): number {
  if (state === undefined || state.limit <= 0 || now >= state.resetAtMs || leaveFraction <= 0) return 0;
  if (state.remaining > Math.ceil(state.limit * Math.min(1, leaveFraction))) return 0;
  return state.resetAtMs - now + (options.resetSafetyMs ?? RESET_SAFETY_MS);
}

/** The state after booking one call to be sent at `sendAtMs`. */
export function reserveSlot(state: BucketState, sendAtMs: number): BucketState {
  return {
    ...state,
    remaining: state.remaining - 1,
    lastSendAtMs: Math.max(state.lastSendAtMs, sendAtMs),
  };
}

/**
 * Folds a response's rate-limit headers into the bucket state.
 *
 * Okta's remaining count may predate our calls still in flight (`inFlightOthers`, not counting the
 * call this response answers), so they are taken off it. Responses of concurrent calls arrive out of
 * order, so within one window the lower estimate wins, a newer window replaces the state, and a
 * response from an older window is ignored. The concurrency 429 (`Limit: 0`) says nothing about the
 * bucket and leaves it alone.
 */
export function observeRateLimit(
  previous: BucketState | undefined,
  observed: OktaRateLimit,
  receivedAtMs: number,
  inFlightOthers = 0,
): BucketState | undefined {
  if (observed.limit <= 0) return previous;
  const resetAtMs = observed.resetAt.getTime();
  const remaining = observed.remaining - Math.max(0, inFlightOthers);
  const fresh: BucketState = {
    limit: observed.limit,
    remaining,
    resetAtMs,
    lastSendAtMs: previous?.lastSendAtMs ?? receivedAtMs,
  };
  if (previous === undefined || previous.resetAtMs <= receivedAtMs) return fresh;
  if (resetAtMs > previous.resetAtMs + SAME_WINDOW_TOLERANCE_MS) return fresh;
  if (resetAtMs < previous.resetAtMs - SAME_WINDOW_TOLERANCE_MS) return previous;
  return {
    limit: observed.limit,
    remaining: Math.min(previous.remaining, remaining),
    resetAtMs: Math.max(previous.resetAtMs, resetAtMs),
    lastSendAtMs: previous.lastSendAtMs,
  };
}
