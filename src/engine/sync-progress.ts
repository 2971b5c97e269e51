import type { SyncMode } from "./snapshot-store.js";

/** Where a sync stands, for progress displays. Counts are running totals since the run started. */
export interface SyncProgressView {
  readonly mode: SyncMode;
  readonly phase: "resource-types" | "resources" | "entitlements" | "grants";
  /** The resource type being synced (stream mode). */
  readonly resourceTypeId: string;
  readonly resources: number;
  readonly entitlements: number;
  readonly grants: number;
  /** Okta calls over the whole run (stream mode). */
  readonly oktaCalls?: number;
  /** gRPC calls made (paged mode). */
  readonly rpcCalls?: number;
  readonly batches: number;
}

/** A broken stream about to be resumed. */
export interface RetryNotice {
  /** 1 for the first retry after the last stored batch. */
  readonly attempt: number;
  readonly maxRetries: number;
  readonly delayMs: number;
  /** The ConnectError's message, e.g. "[unavailable] Okta answered 503 …". */
  readonly message: string;
}

/** Callbacks a sync reports through; all optional. */
export interface SyncObserver {
  /** Once, before the first call; `expectedItems` is the size of the last complete sync in this file. */
  readonly onStart?: (info: { runId: number; resumed: boolean; expectedItems?: number }) => void;
  readonly onProgress?: (progress: SyncProgressView) => void;
  readonly onRetry?: (notice: RetryNotice) => void;
}
