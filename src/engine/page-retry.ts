import { setTimeout as sleep } from "node:timers/promises";
import { ConnectError } from "@connectrpc/connect";
import { DEFAULT_SYNC_RETRY_POLICY, isRetryableSyncError, type SyncRetryPolicy, syncRetryDelayMs } from "./retry-policy.js";
import type { RetryNotice } from "./sync-progress.js";

export interface PageRetryOptions {
  readonly policy?: SyncRetryPolicy;
  readonly signal?: AbortSignal | undefined;
  readonly onRetry?: ((notice: RetryNotice) => void) | undefined;
}

/**
 * Makes one paged RPC, trying it again after UNAVAILABLE as baton-sdk's retryer does. The request
 * carries its page token, so a retry asks for exactly the page that failed: the page token is the
 * paged sync's resume cursor. The retry budget counts consecutive failures of this one call.
 * Returns the response and how many retries it took.
 */
export async function callPageWithRetry<T>(call: () => Promise<T>, options: PageRetryOptions = {}): Promise<{ response: T; retries: number }> {
  const policy = options.policy ?? DEFAULT_SYNC_RETRY_POLICY;
  for (let failures = 0; ; failures++) {
    try {
      return { response: await call(), retries: failures };
    } catch (error) {
      if (options.signal?.aborted || !isRetryableSyncError(error)) throw error;
      const message = ConnectError.from(error).message;
      if (failures >= policy.maxRetries) throw new Error(`${message} (gave up after ${failures + 1} attempts of the same page)`, { cause: error });
      const delayMs = syncRetryDelayMs(failures + 1, error, policy);
      options.onRetry?.({ attempt: failures + 1, maxRetries: policy.maxRetries, delayMs, message });
      await sleep(delayMs, undefined, options.signal ? { signal: options.signal } : {});
    }
  }
}
