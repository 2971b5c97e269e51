import type { ConnectorClients } from "./connector-client.js";
import { runPagedSync, type SyncSink } from "./paged-sync.js";
import type { SyncRetryPolicy } from "./retry-policy.js";
import type { SnapshotStore } from "./snapshot-store.js";
import type { SyncObserver } from "./sync-progress.js";
import { type SyncReport, totalsOf } from "./sync-report.js";

/** A SyncSink that stores each page the paged client hands it in one transaction of run `runId`. */
export function createSnapshotSink(store: SnapshotStore, runId: number): SyncSink {
  return {
    resourceTypes: (items) => store.writeBatch(runId, { resourceTypes: items }),
    resources: (items) => store.writeBatch(runId, { resources: items }),
    entitlements: (items) => store.writeBatch(runId, { entitlements: items }),
    grants: (items) => store.writeBatch(runId, { grants: items }),
    storedResources: () => store.storedResources(),
  };
}

/**
 * The same sync over the c1 paged RPCs (runPagedSync), into the same store, for comparison with the
 * stream. A page that fails with UNAVAILABLE is asked for again with the same page token; a failure
 * that outlasts the retry policy, or any other, marks the run failed and is rethrown. Across processes
 * it cannot resume: the paged RPCs have no whole-sync cursor. Counts come from the snapshot, and there is no Okta call count
 * or coverage report, which only the Sync summary carries.
 */
export async function runPagedSnapshot(clients: ConnectorClients, store: SnapshotStore, runId: number, options: SyncObserver & { signal?: AbortSignal; retry?: SyncRetryPolicy } = {}): Promise<SyncReport> {
  const started = Date.now();
  try {
    const result = await runPagedSync(clients, createSnapshotSink(store, runId), {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.onRetry ? { onRetry: options.onRetry } : {}),
      onProgress: (p) =>
        options.onProgress?.({
          mode: "paged",
          phase: p.phase,
          resourceTypeId: "",
          resources: p.resources,
          entitlements: p.entitlements,
          grants: p.grants,
          rpcCalls: p.calls,
          batches: store.run(runId).batches,
        }),
    });
    const stored = store.countsByType();
    const run = store.run(runId);
    const report: SyncReport = {
      snapshot: store.path,
      runId,
      mode: "paged",
      counts: stored,
      totals: totalsOf(stored),
      stored: totalsOf(stored),
      rpcCalls: result.calls,
      durationMs: Date.now() - started,
      batches: run.batches,
      retries: result.retries,
    };
    store.completeRun(runId, report);
    return report;
  } catch (error) {
    store.failRun(runId, options.signal?.aborted ? "interrupted" : error instanceof Error ? error.message : String(error));
    throw options.signal?.aborted ? new Error("interrupted", { cause: error }) : error;
  }
}
