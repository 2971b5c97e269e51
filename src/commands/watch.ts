import { resolve } from "node:path";
import { ConfigError } from "../config/index.js";
import { createConnectorClients, isSnapshotFileError, snapshotPathProblem } from "../engine/index.js";
import { renderWatchChange, renderWatchReport } from "../engine/render-watch.js";
import { openWatchStore, WatchStartError, type WatchStore } from "../engine/watch-store.js";
import { watchToSnapshot } from "../engine/watch-to-snapshot.js";
import { readBearerToken, validateConnectorAddress } from "./connector-input.js";

/** `watch`'s options as commander hands them over (camel-cased, unvalidated strings). */
export interface WatchCommandInput {
  readonly connector?: string;
  readonly out?: string;
  readonly for?: string;
  readonly pollInterval?: string;
  readonly sweepInterval?: string;
  readonly authTokenFile?: string;
  readonly json?: boolean;
}

export interface WatchCommandConfig {
  readonly connector: string;
  readonly out: string;
  readonly forMs: number | undefined;
  readonly pollMs: number | undefined;
  readonly sweepMs: number | undefined;
  readonly bearerToken: string | undefined;
  readonly json: boolean;
}

/** Exit code when the connector says the snapshot cannot be kept current without a full sync. */
export const RESYNC_EXIT_CODE = 3;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const MAX_FOR_MS = 30 * 86_400_000;

/** `90s`, `5m`, `2h`, `500ms`: a positive duration up to 30 days. */
export function parseDurationFlag(flag: string, raw: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(raw.trim());
  const ms = match ? Number(match[1]) * UNITS[match[2]!]! : NaN;
  if (!(ms > 0 && ms <= MAX_FOR_MS)) throw new ConfigError(flag, `"${raw}" is not a duration from 1ms to 30 days`, "write a number with a unit: 500ms, 90s, 5m or 2h");
  return ms;
}

/** Checks every input; throws a ConfigError naming the flag (exit 2) before any file or socket is touched. */
export function validateWatchInput(input: WatchCommandInput): WatchCommandConfig {
  if (input.connector === undefined || input.connector.trim() === "") throw new ConfigError("connector", "is required (or env BATON_CONNECTOR)", "give the connector's address, e.g. --connector 127.0.0.1:50051");
  const connector = validateConnectorAddress(input.connector);
  if (input.out === undefined || input.out.trim() === "") throw new ConfigError("out", "is required", "give the snapshot a `sync` made, e.g. --out okta.db");
  const unusable = snapshotPathProblem(input.out, "resume");
  if (unusable) throw new ConfigError("out", unusable.problem, unusable.fix);
  const forMs = input.for === undefined ? undefined : parseDurationFlag("for", input.for);
  const pollMs = input.pollInterval === undefined ? undefined : within("poll-interval", parseDurationFlag("poll-interval", input.pollInterval), 250, 300_000);
  const sweepMs = input.sweepInterval === undefined ? undefined : within("sweep-interval", parseDurationFlag("sweep-interval", input.sweepInterval), 1_000, 86_400_000);
  return { connector, out: resolve(input.out), forMs, pollMs, sweepMs, bearerToken: readBearerToken(input.authTokenFile), json: input.json === true };
}

/** The connector's bounds on WatchRequest's intervals, checked here so a bad flag exits 2 before connecting. */
function within(flag: string, ms: number, min: number, max: number): number {
  if (ms < min || ms > max) throw new ConfigError(flag, `must be from ${min} ms to ${max / 1000} s`);
  return ms;
}

/**
 * `okta-connector watch`: keeps a snapshot made by `sync` current with the connector's Watch stream,
 * printing each change as it is applied (stdout), then a summary. Ctrl-C or SIGTERM stops it; the
 * snapshot keeps the cursor of the last change, so the next `watch` continues from there.
 */
export async function runWatchCommand(input: WatchCommandInput): Promise<void> {
  const config = validateWatchInput(input);
  let store: WatchStore;
  try {
    store = openWatchStore(config.out);
  } catch (error) {
    if (isSnapshotFileError(error)) throw new ConfigError("out", error.message, error.fix ?? "give a snapshot made by `okta-connector sync`");
    if (error instanceof WatchStartError) throw new ConfigError("out", error.message);
    throw error;
  }
  const abort = new AbortController();
  const onSignal = () => (abort.signal.aborted ? process.exit(130) : abort.abort());
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const clients = createConnectorClients({ address: config.connector, ...(config.bearerToken === undefined ? {} : { bearerToken: config.bearerToken }) });
  process.stderr.write(`watch: keeping ${config.out} current from ${config.connector}${config.forMs === undefined ? " (Ctrl-C stops)" : ` for ${input.for}`}\n`);
  let report;
  try {
    report = await watchToSnapshot(clients, store, {
      ...(config.forMs === undefined ? {} : { forMs: config.forMs }),
      ...(config.pollMs === undefined ? {} : { pollMs: config.pollMs }),
      ...(config.sweepMs === undefined ? {} : { sweepMs: config.sweepMs }),
      signal: abort.signal,
      onChange: (change, applied) => {
        if (config.json) process.stdout.write(JSON.stringify({ at: new Date().toISOString(), reason: change.reason, oktaCalls: Number(change.oktaCalls), ...applied }) + "\n");
        else process.stdout.write(renderWatchChange(change, applied, new Date()));
      },
      onRetry: (r) => process.stderr.write(`watch: ${r.message}; reconnecting in ${Math.round(r.delayMs / 100) / 10} s (attempt ${r.attempt})\n`),
    });
  } finally {
    store.close();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  process.stderr.write(renderWatchReport(report));
  if (config.json) process.stdout.write(JSON.stringify(report) + "\n");
  if (report.stopped === "resync-required") {
    process.stderr.write(`okta-connector: run a full sync (okta-connector sync --out ${config.out} --connector ${config.connector}), then watch again\n`);
    process.exit(RESYNC_EXIT_CODE);
  }
  if (report.stopped === "interrupted") process.exit(130);
}
