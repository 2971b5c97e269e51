/**
 * The request executor handed to the SDK: every HTTP call the SDK makes (API calls and the OAuth
 * token request) passes through {@link OktaRequestExecutor.fetch}.
 *
 * It adds what the SDK's DefaultRequestExecutor lacks (okta-api.md §6.5): a timeout on every
 * attempt, including the body; retries on 5xx, resets and timeouts as well as 429; waits measured
 * against the server's `Date`; cancellation through the caller's AbortSignal (call-context.ts);
 * pacing per rate-limit bucket; a call count per bucket; and a real error when the OAuth token
 * endpoint refuses (the SDK would send `Authorization: Bearer undefined`, §6.8).
 */
import { setTimeout as sleepFor } from "node:timers/promises";
import type { RequestInit, Response } from "node-fetch";
import { bucketFor, type OktaBucket } from "./buckets.js";
import { capAfterAnswer, capAfterConcurrencyLimit, underCap } from "./concurrency.js";
import { currentCallContext, type OktaCallContext } from "./call-context.js";
import { OktaError, oktaErrorFrom, oktaErrorFromResponse, redactSecrets, type OktaRateLimit } from "./errors.js";
import { isDpopNonceChallenge, OAUTH_TOKEN_PATH, tokenEndpointError } from "./oauth-token.js";
import { leaveForOthersDelayMs, observeRateLimit, pacingDelayMs, reserveSlot, type BucketState, type PacingOptions } from "./pacing.js";
import { rateLimitFromHeaders } from "./rate-limit-headers.js";
import { RequestExecutor } from "./sdk-transport.js";
import { isConcurrencyLimited, isRetryable, MALFORMED_BODY_CODE, retryDelayMs, type RetryDelayOptions } from "./retry.js";

/** The pino subset the Okta layer logs through. Never given secrets or Authorization headers. */
export interface OktaLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** HTTP calls made so far, for "Okta calls used" in sync summaries. */
export interface OktaCallStats {
  /** Every attempt sent, retries and token requests included. */
  calls: number;
  /** `calls` split by rate-limit bucket (buckets.ts). */
  byBucket: Record<string, number>;
  /** Attempts that were retries. */
  retries: number;
  /** 429 answers received. */
  rateLimited: number;
  /** Calls that pacing held back before sending. */
  paced: number;
}

/** One attempt as it is sent. Holds no secret: no header, no body, no query (queries can hold logins). */
export interface OktaAttemptInfo {
  readonly bucket: OktaBucket;
  readonly method: string;
  /** The URL path only, e.g. `/api/v1/groups/00g1abcd/users`: Okta ids, nothing else. */
  readonly path: string;
  /** 0 for the first attempt; n for the nth retry. */
  readonly attempt: number;
}

/** How one attempt ended: an HTTP status, or a failure without one. */
export interface OktaAttemptOutcome {
  /** The HTTP status; undefined when no complete answer came. */
  readonly status?: number | undefined;
  /** Why there is no status: a timeout, a network failure, a malformed 2xx body, or the caller cancelling. */
  readonly failure?: "timeout" | "network" | "malformed-body" | "cancelled" | undefined;
  /** The bucket's state from this answer's `X-Rate-Limit-*` headers. */
  readonly rateLimit?: OktaRateLimit | undefined;
  readonly requestId?: string | undefined;
}

/**
 * Watches the executor's traffic, for metrics and tracing, without the Okta layer knowing either.
 * Observers are called synchronously and must not throw; an exception is swallowed so that an
 * observer's bug never fails an Okta call.
 */
export interface OktaRequestObserver {
  /** An attempt is about to be sent; the returned function, if any, receives its outcome exactly once. */
  attempt?(info: OktaAttemptInfo): ((outcome: OktaAttemptOutcome) => void) | undefined;
  /** Pacing holds a call back for `delayMs` before sending it. */
  paced?(info: { readonly bucket: OktaBucket; readonly delayMs: number }): void;
}

/** Executor settings; createOktaClient fills them from OktaClientOptions. */
export interface OktaExecutorOptions {
  requestTimeoutMs: number;
  maxRetries: number;
  logger?: OktaLogger | undefined;
  retryDelay?: RetryDelayOptions | undefined;
  pacing?: PacingOptions | undefined;
  /** A single wait (pacing or retry) longer than this gives up at once instead of sleeping. */
  maxWaitMs?: number | undefined;
  /** Re-authorises a request before it is retried, e.g. a fresh DPoP proof (a proof is single-use). */
  prepareRetry?: ((request: ExecutorRequest) => Promise<void>) | undefined;
  observers?: readonly OktaRequestObserver[] | undefined;
}

/** The request object the SDK hands to `fetch` (node-fetch options plus the URL). */
export type ExecutorRequest = RequestInit & { url?: string; headers?: Record<string, string>; agent?: unknown };

export const DEFAULT_MAX_WAIT_MS = 120_000;

type Attempt =
  | { kind: "response"; response: Response; body: unknown; receivedAtMs: number }
  | { kind: "error"; error: unknown }
  | { kind: "cancelled"; reason: unknown };

const parsedBodies = new WeakMap<Response, unknown>();
const transientTokenFailures = new WeakSet<object>();

/**
 * True for the error of a token request that failed transiently (5xx, 429, reset, timeout). The
 * executor never replays a token request; the client retries the whole call instead, which makes
 * the SDK mint a fresh assertion and DPoP proof.
 */
export function isTransientTokenFailure(error: unknown): boolean {
  return typeof error === "object" && error !== null && transientTokenFailures.has(error);
}

/** The JSON body the executor already parsed for `response`, or undefined when it did not. */
export function parsedJsonOf(response: Response): { value: unknown } | undefined {
  return parsedBodies.has(response) ? { value: parsedBodies.get(response) } : undefined;
}

/** See the module comment. One instance per Okta client; it holds the pacing state and the counts. */
export class OktaRequestExecutor extends RequestExecutor {
  readonly #options: OktaExecutorOptions;
  readonly #buckets = new Map<OktaBucket, BucketState>();
  readonly #inFlight = new Map<OktaBucket, number>();
  #stats: OktaCallStats = { calls: 0, byBucket: {}, retries: 0, rateLimited: 0, paced: 0 };
  /** Attempts in flight over every bucket, and the cap Okta's concurrency 429s taught (concurrency.ts). */
  #sending = 0;
  #concurrencyCap: number | undefined;

  constructor(options: OktaExecutorOptions) {
    super();
    this.#options = options;
  }

  /** Counts a retry made above the executor (a whole call retried after a token failure). */
  countRetry(): void {
    this.#stats.retries++;
  }

  /** A copy of the counts so far. */
  stats(): OktaCallStats {
    return { ...this.#stats, byBucket: { ...this.#stats.byBucket } };
  }

  /**
   * Whether Okta has room for one more call now: no bucket is being paced and the calls in flight are
   * under the concurrency cap. Work that can as well start later (a sync's look-ahead) asks first.
   */
  headroom(): boolean {
    if (!underCap(this.#concurrencyCap, this.#sending)) return false;
    const now = Date.now();
    for (const state of this.#buckets.values()) if (pacingDelayMs(state, now, this.#options.pacing) > 0) return false;
    return true;
  }

  override async fetch(request: ExecutorRequest): Promise<Response> {
    const context = currentCallContext();
    const url = new URL(request.url ?? "");
    const method = (request.method ?? "GET").toUpperCase();
    const bucket = bucketFor(method, url.pathname);
    const isTokenRequest = url.pathname === OAUTH_TOKEN_PATH;
    // A token request is never replayed: its client_assertion jti is single-use (Okta rejects a
    // repeat), and a fresh one can only come from the SDK's OAuth code, outside the executor.
    const maxRetries = isTokenRequest ? 0 : this.#options.maxRetries;

    for (let attempt = 0; ; attempt++) {
      throwIfCancelled(context.signal);
      await this.#pace(bucket, context);
      if (attempt > 0 && !isTokenRequest && this.#options.prepareRetry) await this.#options.prepareRetry(request);
      this.#count(bucket, attempt);
      this.#inFlight.set(bucket, (this.#inFlight.get(bucket) ?? 0) + 1);
      this.#sending++;
      const observed = this.#observeAttempt({ bucket, method, path: url.pathname, attempt });
      let outcome: Attempt | undefined;
      try {
        outcome = await this.#attempt(request, context, bucket);
      } finally {
        if (outcome?.kind === "response") {
          this.#concurrencyCap = isConcurrencyLimited(outcome.response) ? capAfterConcurrencyLimit(this.#concurrencyCap, this.#sending) : capAfterAnswer(this.#concurrencyCap);
        }
        this.#sending--;
        this.#inFlight.set(bucket, (this.#inFlight.get(bucket) ?? 1) - 1);
        observed(outcome);
      }
      if (outcome.kind === "cancelled") throw cancelled(outcome.reason);
      // A 429 is refused before Okta acts; a 5xx or a lost answer to a write may hide a change it made.
      if (method !== "GET" && !isTokenRequest && (outcome.kind === "error" ? isRetryable(outcome.error) : outcome.response.status >= 500)) quietly(() => context.onUncertainWrite?.());

      let delayMs: number;
      let rateLimit: OktaRateLimit | undefined;
      if (outcome.kind === "error") {
        if (!isRetryable(outcome.error)) throw withAttempts(oktaErrorFrom(outcome.error), attempt + 1);
        if (attempt >= maxRetries) {
          const error = withAttempts(oktaErrorFrom(outcome.error), attempt + 1);
          if (isTokenRequest) transientTokenFailures.add(error);
          throw error;
        }
        delayMs = retryDelayMs(attempt + 1, undefined, this.#options.retryDelay);
        this.#log("debug", { bucket, path: url.pathname, attempt: attempt + 1, delayMs, error: describe(outcome.error) }, "retrying Okta call after a network failure");
      } else {
        const { response, body, receivedAtMs } = outcome;
        rateLimit = rateLimitFromHeaders(response.headers, receivedAtMs);
        if (isTokenRequest && (response.status < 200 || response.status >= 300) && !isDpopNonceChallenge(body)) {
          if (!isRetryable(response.status)) throw tokenEndpointError(response.status, body);
        }
        if (!isRetryable(response.status)) return response;
        if (response.status === 429) this.#stats.rateLimited++;
        const requestId = response.headers.get("x-okta-request-id") ?? undefined;
        if (attempt >= maxRetries) {
          const context = isTokenRequest ? "token request" : `gave up after ${attempt + 1} attempts`;
          const error = oktaErrorFromResponse({ status: response.status, body, requestId, rateLimit, context });
          if (isTokenRequest) transientTokenFailures.add(error);
          throw error;
        }
        delayMs = retryDelayMs(attempt + 1, response, this.#options.retryDelay);
        if (response.status === 429 && requestId !== undefined && request.headers) {
          request.headers["X-Okta-Retry-For"] ??= requestId;
          request.headers["X-Okta-Retry-Count"] = String(attempt + 1);
        }
        this.#log(response.status === 429 ? "info" : "debug", { bucket, path: url.pathname, status: response.status, attempt: attempt + 1, delayMs }, "retrying Okta call");
      }
      this.#checkWait(delayMs, context, rateLimit, "retry");
      await sleep(delayMs, context.signal);
    }
  }

  async #pace(bucket: OktaBucket, context: OktaCallContext): Promise<void> {
    // A call that leaves a share to others waits for the next window without booking a slot in this one.
    for (let waitMs = this.#leaveForOthersWait(bucket, context); waitMs > 0; waitMs = this.#leaveForOthersWait(bucket, context)) {
      const state = this.#buckets.get(bucket)!;
      this.#checkWait(waitMs, context, { limit: state.limit, remaining: Math.max(0, state.remaining), resetAt: new Date(state.resetAtMs) }, "pacing");
      this.#stats.paced++;
      for (const observer of this.#options.observers ?? []) quietly(() => observer.paced?.({ bucket, delayMs: waitMs }));
      this.#log("debug", { bucket, delayMs: waitMs, remaining: state.remaining, leaveForOthers: context.leaveForOthers }, "holding Okta call for the next window");
      await sleep(waitMs, context.signal);
    }
    const now = Date.now();
    const state = this.#buckets.get(bucket);
    const delayMs = pacingDelayMs(state, now, this.#options.pacing);
    if (state === undefined) return;
    if (delayMs > 0) {
      const rateLimit = { limit: state.limit, remaining: Math.max(0, state.remaining), resetAt: new Date(state.resetAtMs) };
      this.#checkWait(delayMs, context, rateLimit, "pacing");
    }
    // Book the slot before sleeping, so that concurrent callers queue behind it.
    this.#buckets.set(bucket, reserveSlot(state, now + delayMs));
    if (delayMs <= 0) return;
    this.#stats.paced++;
    for (const observer of this.#options.observers ?? []) quietly(() => observer.paced?.({ bucket, delayMs }));
    this.#log("debug", { bucket, delayMs, remaining: state.remaining }, "pacing Okta call");
    await sleep(delayMs, context.signal);
  }

  #leaveForOthersWait(bucket: OktaBucket, context: OktaCallContext): number {
    if (!context.leaveForOthers) return 0;
    return leaveForOthersDelayMs(this.#buckets.get(bucket), Date.now(), context.leaveForOthers, this.#options.pacing);
  }

  /** Refuses a wait that would outlast the caller's deadline or the configured maximum. */
  #checkWait(delayMs: number, context: OktaCallContext, rateLimit: OktaRateLimit | undefined, what: string): void {
    const maxWaitMs = this.#options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    const pastDeadline = context.deadlineMs !== undefined && Date.now() + delayMs >= context.deadlineMs;
    if (delayMs <= maxWaitMs && !pastDeadline) return;
    const limited = rateLimit !== undefined && rateLimit.remaining <= 0;
    throw new OktaError({
      kind: limited || what === "pacing" ? "rate-limited" : "unavailable",
      message: pastDeadline
        ? `${what} wait of ${delayMs} ms would pass the caller's deadline`
        : `${what} wait of ${delayMs} ms exceeds maxWaitMs ${maxWaitMs}`,
      rateLimit,
    });
  }

  /** Tells every observer an attempt starts; the result reports its outcome to those that asked. */
  #observeAttempt(info: OktaAttemptInfo): (outcome: Attempt | undefined) => void {
    const observers = this.#options.observers ?? [];
    if (observers.length === 0) return () => undefined;
    const ends = observers.flatMap((observer) => {
      const end = quietly(() => observer.attempt?.(info));
      return end === undefined ? [] : [end];
    });
    return (outcome) => {
      const seen = outcomeOf(outcome);
      for (const end of ends) quietly(() => end(seen));
    };
  }

  #count(bucket: OktaBucket, attempt: number): void {
    this.#stats.calls++;
    this.#stats.byBucket[bucket] = (this.#stats.byBucket[bucket] ?? 0) + 1;
    if (attempt > 0) this.#stats.retries++;
  }

  /** Folds the headers in while this call still counts as in flight, so only the others are taken off. */
  #observe(bucket: OktaBucket, rateLimit: OktaRateLimit, receivedAtMs: number): void {
    const others = (this.#inFlight.get(bucket) ?? 1) - 1;
    const next = observeRateLimit(this.#buckets.get(bucket), rateLimit, receivedAtMs, others);
    if (next !== undefined) this.#buckets.set(bucket, next);
  }

  /** One attempt: send, read the whole body under the timeout, and check that JSON parses. */
  async #attempt(request: ExecutorRequest, context: OktaCallContext, bucket: OktaBucket): Promise<Attempt> {
    const controller = new AbortController();
    const budget = context.deadlineMs === undefined
      ? this.#options.requestTimeoutMs
      : Math.max(1, Math.min(this.#options.requestTimeoutMs, context.deadlineMs - Date.now()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, budget);
    const onCallerAbort = (): void => controller.abort();
    context.signal?.addEventListener("abort", onCallerAbort, { once: true });
    try {
      const sent = { ...request, signal: controller.signal as RequestInit["signal"], timeout: 0 };
      const raw = await super.fetch(sent);
      const receivedAtMs = Date.now();
      const rateLimit = rateLimitFromHeaders(raw.headers, receivedAtMs);
      if (rateLimit !== undefined) this.#observe(bucket, rateLimit, receivedAtMs);
      const buffer = await raw.buffer();
      const ResponseClass = raw.constructor as typeof Response;
      const response = new ResponseClass(buffer, {
        url: raw.url,
        status: raw.status,
        statusText: raw.statusText,
        headers: raw.headers,
      });
      const body = parseJsonBody(response, buffer);
      if (body === MALFORMED && response.status >= 200 && response.status < 300) {
        return { kind: "error", error: Object.assign(new Error("malformed JSON body from Okta"), { code: MALFORMED_BODY_CODE }) };
      }
      if (body !== MALFORMED && body !== undefined) parsedBodies.set(response, body);
      return { kind: "response", response, body: body === MALFORMED ? undefined : body, receivedAtMs };
    } catch (error) {
      if (context.signal?.aborted) return { kind: "cancelled", reason: context.signal.reason };
      if (timedOut) {
        return { kind: "error", error: Object.assign(new Error(`no complete answer within ${budget} ms`), { code: "ETIMEDOUT" }) };
      }
      return { kind: "error", error };
    } finally {
      clearTimeout(timer);
      context.signal?.removeEventListener("abort", onCallerAbort);
    }
  }

  #log(level: "debug" | "info" | "warn", obj: object, msg: string): void {
    this.#options.logger?.[level](obj, msg);
  }
}

const MALFORMED = Symbol("malformed");

function outcomeOf(outcome: Attempt | undefined): OktaAttemptOutcome {
  if (outcome === undefined) return { failure: "network" };
  if (outcome.kind === "cancelled") return { failure: "cancelled" };
  if (outcome.kind === "error") {
    const code = (outcome.error as { code?: unknown } | null)?.code;
    return { failure: code === "ETIMEDOUT" ? "timeout" : code === MALFORMED_BODY_CODE ? "malformed-body" : "network" };
  }
  const { response, receivedAtMs } = outcome;
  return {
    status: response.status,
    rateLimit: rateLimitFromHeaders(response.headers, receivedAtMs),
    requestId: response.headers.get("x-okta-request-id") ?? undefined,
  };
}

function quietly<T>(call: () => T): T | undefined {
  try {
    return call();
  } catch {
    return undefined;
  }
}

function parseJsonBody(response: Response, buffer: Buffer): unknown {
  const type = response.headers.get("content-type") ?? "";
  if (!/json/i.test(type) || buffer.length === 0) return undefined;
  try {
    return JSON.parse(buffer.toString("utf8"));
  } catch {
    return MALFORMED;
  }
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled(signal.reason);
}

function cancelled(reason: unknown): OktaError {
  return new OktaError({ kind: "cancelled", message: "Okta call cancelled by the caller", cause: reason });
}

async function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleepFor(ms, undefined, signal === undefined ? undefined : { signal });
  } catch (error) {
    throw cancelled(signal?.reason ?? error);
  }
}

function withAttempts(error: OktaError, attempts: number): OktaError {
  if (attempts <= 1) return error;
  return new OktaError({
    kind: error.kind,
    message: `${error.message} (gave up after ${attempts} attempts)`,
    status: error.status,
    errorCode: error.errorCode,
    errorSummary: error.errorSummary,
    errorCauses: error.errorCauses,
    requestId: error.requestId,
    rateLimit: error.rateLimit,
    cause: error.cause,
  });
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return redactSecrets(typeof code === "string" ? `${code}: ${error.message}` : error.message);
  }
  return "unknown";
}
