import { ConfigError } from "../config/index.js";
import type { ConnectorClients } from "./connector-client.js";
import { runPagedSnapshot } from "./paged-snapshot.js";
import type { SyncRetryPolicy } from "./retry-policy.js";
import type { SnapshotStore, SyncMode } from "./snapshot-store.js";
import type { SyncObserver } from "./sync-progress.js";
import type { SyncReport } from "./sync-report.js";
import { runStreamSync } from "./stream-sync.js";

export interface SnapshotSyncOptions extends SyncObserver {
  readonly mode: SyncMode;
  /** Continue the snapshot's last run instead of replacing its content with a new one. */
  readonly resume: boolean;
  /** The connector's address, recorded in sync_runs. */
  readonly connector: string;
  readonly batchSize?: number;
  readonly retry?: SyncRetryPolicy;
  readonly signal?: AbortSignal;
}

export interface SnapshotSyncOutcome {
  readonly report: SyncReport;
  /** True when --resume found the last run already complete and did nothing. */
  readonly alreadyComplete: boolean;
}

/**
 * The `okta-connector sync` job: a new run (the snapshot's previous content is replaced in the same
 * transaction that records it) or, with `resume`, the continuation of the last run from its stored
 * cursor. A resume that cannot work (no run, a paged run) is a ConfigError naming --resume; resuming a
 * run that already completed is not an error, so a retry loop around `sync --resume` ends.
 */
export async function syncToSnapshot(clients: ConnectorClients, store: SnapshotStore, options: SnapshotSyncOptions): Promise<SnapshotSyncOutcome> {
  const previous = store.lastCompleteRun()?.summary as SyncReport | undefined;
  const expectedItems = previous?.totals ? previous.totals.resources + previous.totals.entitlements + previous.totals.grants : undefined;
  const startInfo = (runId: number, resumed: boolean) => ({ runId, resumed, ...(expectedItems === undefined ? {} : { expectedItems }) });

  if (options.resume) {
    if (options.mode === "paged") throw new ConfigError("resume", "the paged sync cannot resume (the c1 paged RPCs have no whole-sync cursor)", "drop --paged or --resume");
    const last = store.lastRun();
    if (last === undefined) throw new ConfigError("resume", `${store.path} holds no sync to resume`, "run without --resume to start one");
    if (last.status === "complete") return { report: last.summary as SyncReport, alreadyComplete: true };
    if (last.mode === "paged") throw new ConfigError("resume", `the interrupted sync run ${last.id} was a --paged run, which cannot resume`, "run without --resume to start over");
    options.onStart?.(startInfo(last.id, true));
    return { report: await runStreamSync(clients, store, last.id, options), alreadyComplete: false };
  }

  const run = store.startRun({ mode: options.mode, connector: options.connector });
  options.onStart?.(startInfo(run.id, false));
  const report = options.mode === "paged" ? await runPagedSnapshot(clients, store, run.id, options) : await runStreamSync(clients, store, run.id, options);
  return { report, alreadyComplete: false };
}
