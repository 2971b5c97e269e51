import { AsyncLocalStorage } from "node:async_hooks";
import { type Context, ROOT_CONTEXT } from "@opentelemetry/api";

/**
 * The trace context of the RPC being served, carried through its async work so that an Okta call
 * made deep below (through the SDK and the executor) finds its parent span. It is the job the
 * OpenTelemetry Node SDK's AsyncLocalStorage context manager does, kept local: nothing is registered
 * globally, so tracing stays off the process unless `serve` turns it on.
 */
export interface SpanScope {
  /** The context of the current async call chain, or the root context outside any RPC. */
  active(): Context;
  /** Runs `fn` (and everything it starts) with `context` active. */
  run<T>(context: Context, fn: () => T): T;
  /**
   * A stream whose items are produced with `context` active. A server-streaming handler is an async
   * generator whose body runs when the transport pulls the next message, outside `run`; pulling each
   * message inside the context puts the handler's Okta calls under the RPC's span.
   */
  bindStream<T>(context: Context, stream: AsyncIterable<T>): AsyncIterable<T>;
}

export function createSpanScope(): SpanScope {
  const storage = new AsyncLocalStorage<Context>();
  return {
    active: () => storage.getStore() ?? ROOT_CONTEXT,
    run: (context, fn) => storage.run(context, fn),
    bindStream<T>(context: Context, stream: AsyncIterable<T>): AsyncIterable<T> {
      return {
        [Symbol.asyncIterator](): AsyncIterator<T> {
          const it = stream[Symbol.asyncIterator]();
          return {
            next: () => storage.run(context, () => it.next()),
            return: (value?: unknown) => storage.run(context, () => it.return?.(value) ?? Promise.resolve({ done: true, value: undefined as T })),
            throw: (error?: unknown) => storage.run(context, () => it.throw?.(error) ?? Promise.reject(error)),
          };
        },
      };
    },
  };
}
