import { Code, ConnectError } from "@connectrpc/connect";

/**
 * Passes a response stream through unchanged, calling `onMessage` for each message and `onEnd` once
 * when it ends: with undefined when it completed, the error it failed with, or CANCELED "stream
 * abandoned" when the consumer stopped early (client cancel, shutdown), which ends the generator with
 * neither completion nor an error. A streaming RPC ends here, not when the handler's `next()` returns.
 */
export async function* observeStream<T>(messages: AsyncIterable<T>, observer: { onMessage?: (message: T) => void; onEnd: (error: unknown) => void }): AsyncGenerator<T> {
  let failure: unknown;
  let completed = false;
  try {
    for await (const message of messages) {
      observer.onMessage?.(message);
      yield message;
    }
    completed = true;
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    observer.onEnd(completed ? undefined : (failure ?? new ConnectError("stream abandoned", Code.Canceled)));
  }
}
