/**
 * Reading Okta's `X-Rate-Limit-Limit`, `-Remaining`, `-Reset` (UTC epoch seconds) and `Date`.
 *
 * The reset is measured against the response's own `Date` header, never against the local clock:
 * Okta's advice (okta-api.md §3), and the only reading that survives clock skew between this host and
 * Okta. The result is then re-anchored on the local clock at the moment the response arrived.
 */
import type { OktaRateLimit } from "./errors.js";

/** Anything with a case-insensitive `get`, e.g. node-fetch `Headers`. */
export interface HeaderReader {
  get(name: string): string | null;
}

/** The raw header values, parsed; absent or malformed values are undefined. */
export interface RateLimitHeaders {
  limit: number | undefined;
  remaining: number | undefined;
  resetEpochSeconds: number | undefined;
  /** The `Date` header in epoch ms. It has one-second resolution. */
  dateMs: number | undefined;
}

/**
 * Parses the rate-limit headers. A comma means Okta (or a proxy) sent the header twice; the SDK
 * refuses such values (OKTA-112507) and so do we.
 */
export function parseRateLimitHeaders(headers: HeaderReader): RateLimitHeaders {
  const dateRaw = headers.get("date");
  const dateMs = dateRaw === null ? Number.NaN : Date.parse(dateRaw);
  return {
    limit: integerHeader(headers, "x-rate-limit-limit"),
    remaining: integerHeader(headers, "x-rate-limit-remaining"),
    resetEpochSeconds: integerHeader(headers, "x-rate-limit-reset"),
    dateMs: Number.isFinite(dateMs) ? dateMs : undefined,
  };
}

/**
 * Milliseconds from the response until its bucket resets, on the server's clock, or undefined when
 * `X-Rate-Limit-Reset` or `Date` is missing. Never negative.
 */
export function msUntilReset(parsed: RateLimitHeaders): number | undefined {
  if (parsed.resetEpochSeconds === undefined || parsed.dateMs === undefined) return undefined;
  return Math.max(0, parsed.resetEpochSeconds * 1000 - parsed.dateMs);
}

/**
 * The bucket state carried by a response, with `resetAt` moved onto the local clock
 * (`receivedAtMs + (Reset − Date)`). Undefined unless all three rate-limit headers are present.
 * Without a `Date` header the reset epoch is taken as-is, the best that can be done.
 */
export function rateLimitFromHeaders(headers: HeaderReader, receivedAtMs: number): OktaRateLimit | undefined {
  const parsed = parseRateLimitHeaders(headers);
  if (parsed.limit === undefined || parsed.remaining === undefined || parsed.resetEpochSeconds === undefined) {
    return undefined;
  }
  const untilReset = msUntilReset(parsed);
  const resetAtMs = untilReset === undefined ? parsed.resetEpochSeconds * 1000 : receivedAtMs + untilReset;
  return { limit: parsed.limit, remaining: parsed.remaining, resetAt: new Date(resetAtMs) };
}

function integerHeader(headers: HeaderReader, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null) return undefined;
  const trimmed = raw.trim();
  if (!/^-?\d+$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) ? value : undefined;
}
