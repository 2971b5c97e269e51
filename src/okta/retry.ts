/**
 * When to retry an Okta call and how long to wait first. Pure: the executor supplies the response
 * headers and, for jitter, a random source.
 *
 * Retried: 429 (rate limit, and the concurrency limit that answers 429 with `X-Rate-Limit-Limit: 0`),
 * 500/502/503/504, connection resets, socket hang-ups and timeouts. Not retried: other 4xx, caller
 * cancellation, and refused connections (a wrong URL does not heal by waiting).
 */
import { msUntilReset, parseRateLimitHeaders, type HeaderReader } from "./rate-limit-headers.js";

/** HTTP statuses worth another attempt. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/**
 * Code the executor gives a 2xx JSON body that does not parse: a truncated or garbled answer, as a
 * flaky proxy produces, is as transient as a reset.
 */
export const MALFORMED_BODY_CODE = "OKTA_MALFORMED_BODY";

/** Error codes of transient failures: system codes (node-fetch passes them through) and ours. */
export const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  MALFORMED_BODY_CODE,
  "ECONNRESET",
  // node-fetch's verdict on a chunked body cut short by the server or a proxy.
  "ERR_STREAM_PREMATURE_CLOSE",
  "ETIMEDOUT",
  "EPIPE",
  "ECONNABORTED",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
]);

/** node-fetch `FetchError.type` values for its own timeouts. */
const RETRYABLE_FETCH_TYPES: ReadonlySet<string> = new Set(["request-timeout", "body-timeout"]);

/**
 * True when a status or a thrown network error is worth retrying. Caller cancellation
 * (`AbortError`) is never retryable; the executor reports its own per-attempt timeouts with code
 * `ETIMEDOUT` so they are.
 */
export function isRetryable(failure: number | unknown): boolean {
  if (typeof failure === "number") return RETRYABLE_STATUSES.has(failure);
  if (typeof failure !== "object" || failure === null) return false;
  const fields = failure as { name?: unknown; code?: unknown; type?: unknown; message?: unknown };
  if (fields.name === "AbortError") return false;
  if (typeof fields.code === "string" && RETRYABLE_NETWORK_CODES.has(fields.code)) return true;
  if (typeof fields.type === "string" && RETRYABLE_FETCH_TYPES.has(fields.type)) return true;
  return typeof fields.message === "string" && /socket hang up/i.test(fields.message);
}

/** The parts of a response that decide a retry delay. */
export interface RetryResponse {
  status: number;
  headers: HeaderReader;
}

/** Knobs for {@link retryDelayMs}; tests pin `random`. */
export interface RetryDelayOptions {
  /** First backoff step. */
  baseMs?: number;
  /** Largest backoff step (not applied to a rate-limit reset wait, which is what Okta asks for). */
  capMs?: number;
  /** Uniform [0, 1) source for jitter. */
  random?: () => number;
  /** Added to a rate-limit reset wait; default {@link RESET_SAFETY_MS}. */
  resetSafetyMs?: number;
  /** Largest jitter added to a rate-limit reset wait; default {@link RESET_JITTER_MS}. */
  resetJitterMs?: number;
}

export const DEFAULT_RETRY_BASE_MS = 500;
export const DEFAULT_RETRY_CAP_MS = 30_000;
/** Okta's advice and the SDK's: one extra second, because `Date` has one-second resolution. */
export const RESET_SAFETY_MS = 1_000;
/** Spread of the wait after a reset so parallel workers do not all return in the same instant. */
export const RESET_JITTER_MS = 1_000;

/** True for the concurrency-limit 429: Limit 0 and Remaining 0, whose reset is only an estimate. */
export function isConcurrencyLimited(response: RetryResponse): boolean {
  return response.status === 429 && parseRateLimitHeaders(response.headers).limit === 0;
}

/**
 * How long to wait before retry number `attempt` (1 for the first retry).
 *
 * A 429 with a usable `X-Rate-Limit-Reset` and `Date` waits until the reset as measured by the
 * server's clock, plus {@link RESET_SAFETY_MS} and up to {@link RESET_JITTER_MS} of jitter. Everything
 * else (5xx, network errors, concurrency 429s, a 429 without `Date`) takes capped exponential backoff
 * with "equal jitter": half the step fixed, half random.
 */
export function retryDelayMs(attempt: number, response?: RetryResponse, options: RetryDelayOptions = {}): number {
  const random = options.random ?? Math.random;
  if (response !== undefined && response.status === 429 && !isConcurrencyLimited(response)) {
    const untilReset = msUntilReset(parseRateLimitHeaders(response.headers));
    if (untilReset !== undefined) {
      const safety = options.resetSafetyMs ?? RESET_SAFETY_MS;
      return untilReset + safety + Math.floor(random() * (options.resetJitterMs ?? RESET_JITTER_MS));
    }
  }
  const base = options.baseMs ?? DEFAULT_RETRY_BASE_MS;
  const cap = options.capMs ?? DEFAULT_RETRY_CAP_MS;
  const step = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.floor(step / 2 + random() * (step / 2));
}
