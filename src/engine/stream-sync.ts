import { setTimeout as sleep } from "node:timers/promises";
import { Code, ConnectError } from "@connectrpc/connect";
import { SyncPhase, type SyncSummary } from "../../gen/oktaconnector/v1/stream_pb.js";
import type { ConnectorClients } from "./connector-client.js";
import { DEFAULT_SYNC_RETRY_POLICY, isRetryableSyncError, type SyncRetryPolicy, syncRetryDelayMs } from "./retry-policy.js";
import type { SnapshotStore } from "./snapshot-store.js";
import type { SyncObserver, SyncProgressView } from "./sync-progress.js";
import { reportFromSummary, type SyncReport } from "./sync-report.js";

export interface StreamSyncOptions extends SyncObserver {
  /** SyncRequest.batch_size; 0 or absent lets the connector choose. */
  readonly batchSize?: number;
  readonly retry?: SyncRetryPolicy;
  readonly signal?: AbortSignal;
}

/**
 * Drives `Sync` into run `runId` of the snapshot until the connector sends its summary. Every batch is
 * stored with its resume_cursor in one transaction, and every (re)connection starts from the cursor
 * the snapshot holds, so the snapshot, not this process's memory, says where the sync stands: a
 * killed client resumes with `--resume`, and a broken stream resumes here. UNAVAILABLE is retried
 * with backoff (see retry-policy.ts); the retry budget counts failures since the last stored batch.
 * Any other failure marks the run failed (still resumable) and is rethrown.
 */
export async function runStreamSync(clients: ConnectorClients, store: SnapshotStore, runId: number, options: StreamSyncOptions = {}): Promise<SyncReport> {
  const policy = options.retry ?? DEFAULT_SYNC_RETRY_POLICY;
  const signal = options.signal;
  let failures = 0;
  let retries = 0;
  for (;;) {
    const before = store.run(runId);
    try {
      const summary = await streamOnce(clients, store, runId, options, () => {
        failures = 0;
      });
      const run = store.run(runId);
      const report = reportFromSummary(summary, run, { snapshot: store.path, stored: store.countsByType(), oktaCallsBefore: before.oktaCalls, retries });
      store.completeRun(runId, report);
      return report;
    } catch (error) {
      if (signal?.aborted) {
        store.failRun(runId, "interrupted");
        throw new Error("interrupted; continue with --resume", { cause: error });
      }
      const message = ConnectError.from(error).message;
      const retryable = isRetryableSyncError(error);
      if (!retryable || failures >= policy.maxRetries) {
        store.failRun(runId, message);
        if (!retryable) throw error;
        throw new Error(`${message} (gave up after ${failures + 1} attempts without progress; continue later with --resume)`, { cause: error });
      }
      failures++;
      retries++;
      const delayMs = syncRetryDelayMs(failures, error, policy);
      options.onRetry?.({ attempt: failures, maxRetries: policy.maxRetries, delayMs, message });
      try {
        await sleep(delayMs, undefined, signal ? { signal } : {});
      } catch {
        store.failRun(runId, "interrupted");
        throw new Error("interrupted; continue with --resume");
      }
    }
  }
}

/** One Sync call from the stored cursor; resolves with the summary, or throws whatever broke it. */
async function streamOnce(clients: ConnectorClients, store: SnapshotStore, runId: number, options: StreamSyncOptions, onStored: () => void): Promise<SyncSummary> {
  const before = store.run(runId);
  const cursor = before.lastCursor ?? "";
  let batches = before.batches;
  let summary: SyncSummary | undefined;
  const stream = clients.rawSync({ resumeCursor: cursor, batchSize: options.batchSize ?? 0 }, options.signal ? { signal: options.signal } : {});
  for await (const response of stream) {
    const event = response.event;
    switch (event.case) {
      case "started":
        if (cursor !== "" && before.syncId !== undefined && event.value.syncId !== before.syncId) {
          throw new ConnectError(`the connector resumed sync ${event.value.syncId}, but the snapshot holds sync ${before.syncId}`, Code.FailedPrecondition);
        }
        store.recordStart(runId, { syncId: event.value.syncId, resourceTypes: event.value.resourceTypes });
        break;
      case "batch": {
        const batch = event.value;
        const progress = batch.progress;
        const oktaCalls = before.oktaCalls + Number(progress?.oktaCalls ?? 0n);
        // The items as the connector encoded them: the snapshot keeps those bytes.
        const items = { resources: batch.resources, entitlements: batch.entitlements, grants: batch.grants };
        store.writeBatch(runId, items, batch.resumeCursor === "" ? undefined : { cursor: batch.resumeCursor, oktaCalls });
        batches++;
        onStored();
        options.onProgress?.(progressView(batch.phase, progress, oktaCalls, batches));
        break;
      }
      case "summary":
        summary = event.value;
        break;
      default:
        break;
    }
  }
  if (summary === undefined) throw new ConnectError("the Sync stream ended without a summary", Code.Unavailable);
  return summary;
}

function progressView(phase: SyncPhase, progress: { resources: bigint; entitlements: bigint; grants: bigint; resourceTypeId: string } | undefined, oktaCalls: number, batches: number): SyncProgressView {
  return {
    mode: "stream",
    phase: phase === SyncPhase.ENTITLEMENTS ? "entitlements" : phase === SyncPhase.GRANTS ? "grants" : "resources",
    resourceTypeId: progress?.resourceTypeId ?? "",
    resources: Number(progress?.resources ?? 0n),
    entitlements: Number(progress?.entitlements ?? 0n),
    grants: Number(progress?.grants ?? 0n),
    oktaCalls,
    batches,
  };
}
