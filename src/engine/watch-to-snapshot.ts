import { setTimeout as sleep } from "node:timers/promises";
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { ResyncReason, type WatchChange } from "../../gen/oktaconnector/v1/stream_pb.js";
import type { ConnectorClients } from "./connector-client.js";
import { DEFAULT_SYNC_RETRY_POLICY, isRetryableSyncError, type SyncRetryPolicy, syncRetryDelayMs } from "./retry-policy.js";
import type { AppliedChange, WatchStore } from "./watch-store.js";

export interface WatchOptions {
  /** Stop after this long (the `--for` flag); absent watches until the signal. */
  readonly forMs?: number;
  readonly signal?: AbortSignal;
  readonly heartbeatMs?: number;
  readonly pollMs?: number;
  readonly sweepMs?: number;
  readonly retry?: SyncRetryPolicy;
  /** Called after each change is applied and stored. */
  onChange?(change: WatchChange, applied: AppliedChange): void;
  onHeartbeat?(): void;
  onRetry?(notice: { attempt: number; delayMs: number; message: string }): void;
}

export interface WatchReport {
  readonly snapshot: string;
  readonly stopped: "duration" | "interrupted" | "resync-required";
  readonly changes: number;
  readonly upserted: { resources: number; entitlements: number; grants: number };
  readonly removed: { resources: number; entitlements: number; grants: number };
  readonly oktaCalls: number;
  readonly retries: number;
  readonly resync?: { readonly reason: string; readonly detail: string };
}

/**
 * `okta-connector watch`: applies the connector's Watch stream to a snapshot until `forMs` passes, the
 * signal fires, or the connector says a full sync is needed. Each change is stored with its cursor in
 * one transaction (watch-store.ts), and every (re)connection starts from the stored cursor; UNAVAILABLE
 * is retried with the sync's backoff policy.
 */
export async function watchToSnapshot(clients: ConnectorClients, store: WatchStore, options: WatchOptions = {}): Promise<WatchReport> {
  const policy = options.retry ?? DEFAULT_SYNC_RETRY_POLICY;
  const stop = new AbortController();
  const timer = options.forMs === undefined ? undefined : setTimeout(() => stop.abort(new Error("duration")), options.forMs);
  const onAbort = () => stop.abort(new Error("interrupted"));
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const totals = { changes: 0, upserted: { resources: 0, entitlements: 0, grants: 0 }, removed: { resources: 0, entitlements: 0, grants: 0 }, oktaCalls: 0, retries: 0 };
  const report = (stopped: WatchReport["stopped"], resync?: WatchReport["resync"]): WatchReport => ({ snapshot: store.path, stopped, ...totals, ...(resync ? { resync } : {}) });
  const stoppedBy = (): WatchReport["stopped"] => ((stop.signal.reason as Error | undefined)?.message === "duration" ? "duration" : "interrupted");
  let failures = 0;
  try {
    for (;;) {
      try {
        const stream = clients.stream.watch(
          {
            cursor: store.cursor(),
            ...(options.heartbeatMs === undefined ? {} : { heartbeatInterval: durationFromMs(options.heartbeatMs) }),
            ...(options.pollMs === undefined ? {} : { pollInterval: durationFromMs(options.pollMs) }),
            ...(options.sweepMs === undefined ? {} : { sweepInterval: durationFromMs(options.sweepMs) }),
          },
          { signal: stop.signal },
        );
        for await (const message of stream) {
          failures = 0;
          switch (message.event.case) {
            case "change": {
              const applied = store.apply(message.event.value, message.cursor);
              totals.changes++;
              totals.oktaCalls += Number(message.event.value.oktaCalls);
              for (const k of ["resources", "entitlements", "grants"] as const) {
                totals.upserted[k] += applied.upserted[k];
                totals.removed[k] += applied.removed[k];
              }
              options.onChange?.(message.event.value, applied);
              break;
            }
            case "heartbeat":
              store.advance(message.cursor);
              options.onHeartbeat?.();
              break;
            case "resyncRequired":
              return report("resync-required", { reason: ResyncReason[message.event.value.reason] ?? "UNSPECIFIED", detail: message.event.value.detail });
            default:
              break;
          }
        }
        // A stream only ends by an error or a resync_required; a clean end is a connector going away.
        throw new ConnectError("the Watch stream ended without a reason", Code.Unavailable);
      } catch (error) {
        if (stop.signal.aborted) return report(stoppedBy());
        if (!isRetryableSyncError(error) || failures >= policy.maxRetries) throw error;
        failures++;
        totals.retries++;
        const delayMs = syncRetryDelayMs(failures, error, policy);
        options.onRetry?.({ attempt: failures, delayMs, message: ConnectError.from(error).message });
        try {
          await sleep(delayMs, undefined, { signal: stop.signal });
        } catch {
          return report(stoppedBy());
        }
      }
    }
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}
