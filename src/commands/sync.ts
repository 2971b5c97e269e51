import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigError } from "../config/index.js";
import { readBearerToken, validateConnectorAddress } from "./connector-input.js";
import {
  createConnectorClients,
  createProgressDisplay,
  DEFAULT_SYNC_RETRY_POLICY,
  isSnapshotFileError,
  isSqliteCorruption,
  openSnapshotStore,
  renderSyncReport,
  snapshotErrorFromSqlite,
  snapshotPathProblem,
  syncToSnapshot,
} from "../engine/index.js";

/** `sync`'s options as commander hands them over (camel-cased, unvalidated strings). */
export interface SyncCommandInput {
  readonly connector?: string;
  readonly out?: string;
  readonly resume?: boolean;
  readonly paged?: boolean;
  readonly authTokenFile?: string;
  readonly batchSize?: string;
  readonly maxRetries?: string;
  readonly json?: boolean;
}

/** Validated `sync` options. */
export interface SyncCommandConfig {
  readonly connector: string;
  readonly out: string;
  readonly resume: boolean;
  readonly mode: "stream" | "paged";
  readonly bearerToken: string | undefined;
  readonly batchSize: number | undefined;
  readonly maxRetries: number;
  readonly json: boolean;
}

/** The largest SyncRequest.batch_size the connector accepts. */
const MAX_BATCH_SIZE = 10_000;

/** Checks every input; throws a ConfigError naming the flag (exit 2) before any file or socket is touched. */
export function validateSyncInput(input: SyncCommandInput): SyncCommandConfig {
  if (input.connector === undefined || input.connector.trim() === "") throw new ConfigError("connector", "is required (or env BATON_CONNECTOR)", "give the connector's address, e.g. --connector 127.0.0.1:50051");
  const connector = validateConnectorAddress(input.connector);
  if (input.out === undefined || input.out.trim() === "") throw new ConfigError("out", "is required", "give the snapshot file to write, e.g. --out okta.db");
  const out = resolve(input.out);
  const paged = input.paged === true;
  const resume = input.resume === true;
  // Before anything is opened: SQLite would write beside a device, block on a FIFO, or fail vaguely.
  const unusable = snapshotPathProblem(input.out, resume ? "resume" : "sync");
  if (unusable) throw new ConfigError("out", unusable.problem, unusable.fix);
  if (resume && paged) throw new ConfigError("resume", "cannot be combined with --paged: the paged RPCs have no whole-sync cursor", "drop one of them");
  if (resume && !existsSync(out)) throw new ConfigError("resume", `${out} does not exist, so there is nothing to resume`, "run without --resume to start a sync");
  if (paged && input.batchSize !== undefined) throw new ConfigError("batch-size", "applies to the Sync stream only, not to --paged");
  const batchSize = input.batchSize === undefined ? undefined : integerIn("batch-size", input.batchSize, 1, MAX_BATCH_SIZE);
  const maxRetries = input.maxRetries === undefined ? DEFAULT_SYNC_RETRY_POLICY.maxRetries : integerIn("max-retries", input.maxRetries, 0, 100);
  const bearerToken = readBearerToken(input.authTokenFile);
  return { connector, out, resume, mode: paged ? "paged" : "stream", bearerToken, batchSize, maxRetries, json: input.json === true };
}

/**
 * `okta-connector sync`: validates, opens the snapshot (refusing a file that is not one), syncs with
 * progress on stderr, and prints the summary on stdout (a table, or JSON with --json). Ctrl-C or
 * SIGTERM stops the stream, marks the run failed and exits 130; `--resume` continues it later.
 */
export async function runSyncCommand(input: SyncCommandInput): Promise<void> {
  const config = validateSyncInput(input);
  let store;
  try {
    store = openSnapshotStore(config.out);
  } catch (error) {
    if (isSnapshotFileError(error)) throw new ConfigError("out", error.message, error.fix ?? "choose another path, or delete the file if it is yours");
    throw error;
  }
  const abort = new AbortController();
  const onSignal = () => (abort.signal.aborted ? process.exit(130) : abort.abort());
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const display = createProgressDisplay({ stream: process.stderr, tty: process.stderr.isTTY === true });
  let interrupted = false;
  try {
    const clients = createConnectorClients({ address: config.connector, ...(config.bearerToken === undefined ? {} : { bearerToken: config.bearerToken }) });
    const outcome = await syncToSnapshot(clients, store, {
      mode: config.mode,
      resume: config.resume,
      connector: config.connector,
      ...(config.batchSize === undefined ? {} : { batchSize: config.batchSize }),
      retry: { ...DEFAULT_SYNC_RETRY_POLICY, maxRetries: config.maxRetries },
      signal: abort.signal,
      ...display,
    });
    // The bar's line must be finished before the summary goes to the same terminal.
    display.done();
    if (outcome.alreadyComplete) process.stderr.write(`sync: the last sync in ${config.out} already completed; nothing to resume\n`);
    await write(config.json ? JSON.stringify(outcome.report, null, 2) + "\n" : renderSyncReport(outcome.report));
  } catch (error) {
    if (!abort.signal.aborted) throw outError(config.out, error);
    interrupted = true;
  } finally {
    display.done();
    store.close();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  if (interrupted) {
    process.stderr.write(`okta-connector: sync interrupted; continue with: okta-connector sync --resume --out ${config.out} --connector ${config.connector}\n`);
    process.exit(130);
  }
}

/**
 * A damaged page of an existing snapshot shows only when a write reaches it: that is the file's fault,
 * not the sync's, so it is refused like any bad --out (exit 2), naming the file and the damage.
 */
function outError(out: string, error: unknown): unknown {
  if (!isSqliteCorruption(error)) return error;
  const damage = snapshotErrorFromSqlite(out, error);
  return new ConfigError("out", damage.message, damage.fix);
}

function integerIn(flag: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) throw new ConfigError(flag, `"${raw}" is not a whole number from ${min} to ${max}`);
  return value;
}

function write(text: string): Promise<void> {
  return new Promise((resolvePromise, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolvePromise())));
}
