/** The reference engine client: what the `sync` and `diff` commands (and the demo and benchmark) use. */
export { type ConnectorClients, createConnectorClients } from "./connector-client.js";
export { type PagedSyncProgress, runPagedSync, type SyncSink } from "./paged-sync.js";
export { type ChangeCounts, type SnapshotDiff, diffSnapshots } from "./diff.js";
export { createProgressDisplay, type ProgressDisplay } from "./progress-display.js";
export { renderSnapshotDiff } from "./render-diff.js";
export { renderSyncReport } from "./render-report.js";
export { DEFAULT_SYNC_RETRY_POLICY, type SyncRetryPolicy } from "./retry-policy.js";
export { isSnapshotFileError, SnapshotFileError, snapshotErrorFromSqlite } from "./snapshot-schema.js";
export { isSqliteCorruption } from "./sqlite-damage.js";
export { snapshotPathProblem } from "./snapshot-path.js";
export { openSnapshotStore, type SnapshotStore, type SyncRun } from "./snapshot-store.js";
export type { RetryNotice, SyncObserver, SyncProgressView } from "./sync-progress.js";
export type { CoverageGapReport, SyncReport } from "./sync-report.js";
export { type SnapshotSyncOptions, type SnapshotSyncOutcome, syncToSnapshot } from "./sync-to-snapshot.js";
