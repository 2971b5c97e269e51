import cliProgress from "cli-progress";
import type { RetryNotice, SyncObserver, SyncProgressView } from "./sync-progress.js";
import { formatCount, formatDuration } from "./text-table.js";

export interface ProgressDisplayOptions {
  /** Where progress goes (stderr: stdout carries the summary). */
  readonly stream: NodeJS.WritableStream;
  /** A progress bar when true, plain lines otherwise. */
  readonly tty: boolean;
  /** Plain mode: at most one line per interval, plus one whenever the resource type changes. */
  readonly intervalMs?: number;
}

export interface ProgressDisplay extends Required<SyncObserver> {
  /** Stops the bar, or prints the last plain line. */
  done(): void;
}

const DEFAULT_INTERVAL_MS = 2_000;

/**
 * Shows a running sync on stderr. On a terminal, a cli-progress bar whose total is the size of the last
 * complete sync in the same file (the best estimate there is: Sync does not know the org's size in
 * advance), or a counter line without a bar on a first sync. Elsewhere (CI logs, pipes), plain lines.
 */
export function createProgressDisplay(options: ProgressDisplayOptions): ProgressDisplay {
  return options.tty ? createBarDisplay(options.stream) : createLineDisplay(options.stream, options.intervalMs ?? DEFAULT_INTERVAL_MS);
}

function describe(p: SyncProgressView): string {
  const where = p.resourceTypeId === "" ? p.phase : `${p.resourceTypeId} ${p.phase}`;
  const calls = p.oktaCalls !== undefined ? `${formatCount(p.oktaCalls)} Okta calls` : `${formatCount(p.rpcCalls ?? 0)} gRPC calls`;
  return `${where}: ${formatCount(p.resources)} resources, ${formatCount(p.entitlements)} entitlements, ${formatCount(p.grants)} grants; ${calls}, ${formatCount(p.batches)} batches`;
}

function retryLine(notice: RetryNotice): string {
  return `connector unavailable (${notice.message}); retry ${notice.attempt}/${notice.maxRetries} in ${formatDuration(notice.delayMs)} from the last stored batch`;
}

function createLineDisplay(stream: NodeJS.WritableStream, intervalMs: number): ProgressDisplay {
  let lastLineAt = 0;
  let lastType: string | undefined;
  let latest: SyncProgressView | undefined;
  let printed: SyncProgressView | undefined;
  const print = (p: SyncProgressView) => {
    stream.write(`sync: ${describe(p)}\n`);
    printed = p;
    lastLineAt = Date.now();
  };
  return {
    onStart: (info) => stream.write(`sync: ${info.resumed ? "resuming" : "starting"} run ${info.runId}\n`),
    onProgress: (p) => {
      latest = p;
      const typeChanged = p.resourceTypeId !== lastType || (p.mode === "paged" && p.phase !== printed?.phase);
      lastType = p.resourceTypeId;
      if (typeChanged || Date.now() - lastLineAt >= intervalMs) print(p);
    },
    onRetry: (notice) => stream.write(`sync: ${retryLine(notice)}\n`),
    done: () => {
      if (latest !== undefined && latest !== printed) print(latest);
    },
  };
}

function createBarDisplay(stream: NodeJS.WritableStream): ProgressDisplay {
  let bar: cliProgress.SingleBar | undefined;
  let total = 0;
  let latest: SyncProgressView | undefined;
  const payload = (p: SyncProgressView | undefined, note = "") => ({ what: p ? describe(p) : "connecting", note });
  return {
    onStart: (info) => {
      total = info.expectedItems ?? 0;
      const format = total > 0 ? "sync {bar} {percentage}% | {what}{note}" : "sync | {what}{note}";
      bar = new cliProgress.SingleBar({ stream, format, hideCursor: true, clearOnComplete: false, etaBuffer: 50 }, cliProgress.Presets.shades_classic);
      bar.start(Math.max(total, 1), 0, payload(undefined));
    },
    onProgress: (p) => {
      latest = p;
      const items = p.resources + p.entitlements + p.grants;
      bar?.update(total > 0 ? Math.min(items, total) : 0, payload(p));
    },
    onRetry: (notice) => bar?.update(payload(latest, ` | ${retryLine(notice)}`)),
    done: () => bar?.stop(),
  };
}
