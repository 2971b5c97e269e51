/**
 * Carries a caller's AbortSignal and deadline down to the request executor.
 *
 * The SDK's methods and its `Http.http` take no signal, and the executor only sees the request the
 * SDK built. AsyncLocalStorage bridges the gap: every promise the SDK creates inside
 * {@link withCallContext} sees the context, including the OAuth token request it may make first.
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** What a caller asks of every Okta request made on its behalf. */
export interface OktaCallContext {
  /** Aborts the request in flight and any wait (pacing or retry) at once. */
  signal?: AbortSignal | undefined;
  /** Local epoch ms after which no attempt may start and no wait may end. */
  deadlineMs?: number | undefined;
  /**
   * Told when an attempt of a write (a non-GET API request) ends without a definite answer (5xx,
   * reset, timeout, garbled 2xx): Okta may have applied it, so a retry's "already so" may be its own doing.
   */
  onUncertainWrite?: (() => void) | undefined;
  /**
   * A share of each bucket's limit (0..1) this call leaves to others: while no more than that share
   * remains in the window, it waits for the next one (pacing.ts leaveForOthersDelayMs).
   */
  leaveForOthers?: number | undefined;
}

const storage = new AsyncLocalStorage<OktaCallContext>();

/**
 * Runs `fn` with `context` visible to the executor. Nested contexts combine: either signal aborts,
 * and the earlier deadline wins.
 */
export function withCallContext<T>(context: OktaCallContext, fn: () => Promise<T>): Promise<T> {
  const outer = storage.getStore();
  return storage.run(combine(outer, context), fn);
}

/** Shorthand for {@link withCallContext} with only a signal. */
export function withSignal<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  return withCallContext({ signal }, fn);
}

/** The context of the current async call chain, or an empty one. */
export function currentCallContext(): OktaCallContext {
  return storage.getStore() ?? {};
}

function combine(outer: OktaCallContext | undefined, inner: OktaCallContext): OktaCallContext {
  if (outer === undefined) return inner;
  const signals = [outer.signal, inner.signal].filter((s): s is AbortSignal => s !== undefined);
  const deadlines = [outer.deadlineMs, inner.deadlineMs].filter((d): d is number => d !== undefined);
  const listeners = [outer.onUncertainWrite, inner.onUncertainWrite].filter((f): f is () => void => f !== undefined);
  return {
    signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
    deadlineMs: deadlines.length > 0 ? Math.min(...deadlines) : undefined,
    onUncertainWrite: listeners.length > 0 ? () => listeners.forEach((f) => f()) : undefined,
    leaveForOthers: Math.max(outer.leaveForOthers ?? 0, inner.leaveForOthers ?? 0) || undefined,
  };
}
