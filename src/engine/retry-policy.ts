import { timestampMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { RateLimitDescriptionSchema } from "../../gen/c1/connector/v2/annotation_ratelimit_pb.js";

/**
 * When the sync client tries again and how long it waits. UNAVAILABLE is retried: it is what the
 * connector answers when Okta stays unavailable or rate-limited after its own retries, what a draining
 * connector answers, and what connect reports for a refused connection. So is a connection lost
 * mid-stream, which gRPC calls UNAVAILABLE but connect-node reports otherwise: ABORTED or INTERNAL
 * with the socket error as the cause (`connectErrorFromNodeReason`), or CANCELED when the session dies
 * under an open stream (Node resets its streams with NGHTTP2_CANCEL). The caller checks its own abort
 * signal first, so a CANCELED that reaches this function did not come from us. Every other code (a bad
 * or foreign cursor, a credential Okta refuses) will not heal by waiting.
 */
export interface SyncRetryPolicy {
  /** Consecutive failed attempts (without a stored batch in between) before giving up. */
  readonly maxRetries: number;
  /** First backoff step. */
  readonly baseMs: number;
  /** Largest backoff step. */
  readonly capMs: number;
  /** Longest wait for a RateLimitDescription reset_at. */
  readonly maxResetWaitMs: number;
}

export const DEFAULT_SYNC_RETRY_POLICY: SyncRetryPolicy = { maxRetries: 8, baseMs: 500, capMs: 30_000, maxResetWaitMs: 5 * 60_000 };

/** Node error codes of a connection that broke under a call (the connector crashed or restarted). */
const LOST_CONNECTION_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "EPIPE",
  "ERR_STREAM_PREMATURE_CLOSE",
  "ERR_HTTP2_STREAM_ERROR",
  "ERR_HTTP2_SESSION_ERROR",
  "ERR_HTTP2_GOAWAY_SESSION",
  "ERR_HTTP2_INVALID_SESSION",
]);

export function isRetryableSyncError(error: unknown): boolean {
  const connectError = ConnectError.from(error);
  if (connectError.code === Code.Unavailable || connectError.code === Code.Canceled) return true;
  if (connectError.code !== Code.Aborted && connectError.code !== Code.Internal) return false;
  for (let cause: unknown = connectError, depth = 0; cause instanceof Error && depth < 8; cause = cause.cause, depth++) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (typeof code === "string" && LOST_CONNECTION_CODES.has(code)) return true;
  }
  return false;
}

/**
 * The wait before retry number `attempt` (1 for the first): capped exponential backoff with equal
 * jitter, or, when the connector attached a RateLimitDescription whose reset_at lies ahead (Okta's
 * `X-Rate-Limit-Reset`, passed on by the connector), at least until that moment.
 */
export function syncRetryDelayMs(
  attempt: number,
  error: unknown,
  policy: SyncRetryPolicy = DEFAULT_SYNC_RETRY_POLICY,
  clock: { now?: () => number; random?: () => number } = {},
): number {
  const random = clock.random ?? Math.random;
  const step = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const backoff = Math.floor(step / 2 + random() * (step / 2));
  const resetAt = resetAtOf(error);
  if (resetAt === undefined) return backoff;
  const untilReset = resetAt - (clock.now ?? Date.now)();
  return untilReset > backoff ? Math.min(untilReset, policy.maxResetWaitMs) : backoff;
}

/** reset_at of the first RateLimitDescription detail, in epoch ms. */
export function resetAtOf(error: unknown): number | undefined {
  const detail = ConnectError.from(error).findDetails(RateLimitDescriptionSchema).find((d) => d.resetAt !== undefined);
  return detail?.resetAt === undefined ? undefined : timestampMs(detail.resetAt);
}
