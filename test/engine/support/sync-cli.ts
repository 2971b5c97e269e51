import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import { expect } from "vitest";
import { CLI_PATH } from "../../support/serve-process.js";

/**
 * Runs the real `okta-connector sync` / `diff` binary (dist/src/cli.js) as a child process, and reads
 * the snapshots it writes with better-sqlite3 directly, not through src/engine, so the checks do not
 * share code with what they check.
 */

export interface CliRun {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Settles when the process has exited and its output is drained. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The test's environment minus BATON_* (which would change the child's configuration). */
function childEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith("BATON_")) env[name] = value;
  return { ...env, ...extra };
}

/** Another user to run the CLI as (root ignores file permissions, so permission checks need one). */
export interface CliUser {
  readonly uid: number;
  readonly gid: number;
}

/** Starts `okta-connector …args`; output is collected as it arrives. */
export function startCli(args: readonly string[], env: Readonly<Record<string, string>> = {}, user?: CliUser): CliRun {
  const child = spawn(process.execPath, [CLI_PATH, ...args], { env: childEnv(env), stdio: ["ignore", "pipe", "pipe"], ...(user ?? {}) });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("close", (code, signal) => resolve({ code, signal })));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `okta-connector …args` to completion (killed after `timeoutMs`). */
export async function runCli(args: readonly string[], options: { env?: Readonly<Record<string, string>>; timeoutMs?: number; user?: CliUser } = {}): Promise<CliResult> {
  const run = startCli(args, options.env, options.user);
  const timer = setTimeout(() => run.child.kill("SIGKILL"), options.timeoutMs ?? 240_000);
  const { code } = await run.exited;
  clearTimeout(timer);
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** The latest sync_runs row of a snapshot, as stored. */
export interface RunRow {
  id: number;
  status: string;
  mode: string;
  sync_id: string | null;
  last_cursor: string | null;
  batches: number;
  received_resources: number;
  received_entitlements: number;
  received_grants: number;
  okta_calls: number;
  summary: string | null;
  error: string | null;
}

export function readLastRun(path: string): RunRow | undefined {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT * FROM sync_runs ORDER BY id DESC LIMIT 1").get() as RunRow | undefined;
  } finally {
    db.close();
  }
}

/** Rows per table. */
export function rowCounts(path: string): { resourceTypes: number; resources: number; entitlements: number; grants: number } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const n = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { resourceTypes: n("resource_types"), resources: n("resources"), entitlements: n("entitlements"), grants: n("grants") };
  } finally {
    db.close();
  }
}

/** One column of a query on a snapshot. */
export function queryColumn(path: string, sql: string): string[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).pluck().all() as string[];
  } finally {
    db.close();
  }
}

/**
 * Resolves once run `run` of the snapshot has stored at least `batches` batches; rejects if the
 * process exits first. Polls the file (WAL lets a reader in while the sync writes).
 */
export async function waitForBatches(path: string, batches: number, cli: CliRun): Promise<void> {
  let exited = false;
  void cli.exited.then(() => (exited = true));
  for (;;) {
    if (exited) throw new Error(`sync exited before storing ${batches} batches\nstderr: ${cli.stderr()}`);
    if (existsSync(path)) {
      try {
        const run = readLastRun(path);
        if (run && run.batches >= batches) return;
      } catch {
        // The schema is being created; try again.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Resolves once the process's stderr matches `pattern`; rejects if it exits first. */
export async function waitForStderr(cli: CliRun, pattern: RegExp): Promise<void> {
  let exited = false;
  void cli.exited.then(() => (exited = true));
  while (!pattern.test(cli.stderr())) {
    if (exited) throw new Error(`sync exited before printing ${pattern}\nstderr: ${cli.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Asserts that two snapshots hold exactly the same rows, proto bytes included: the same set of
 * (key, data) in every table, each side EXCEPT the other being empty. Returns the row counts.
 */
export function expectSameSnapshot(pathA: string, pathB: string): ReturnType<typeof rowCounts> {
  const db = new Database(pathA, { readonly: true, fileMustExist: true });
  try {
    db.prepare("ATTACH DATABASE ? AS other").run(pathB);
    const keys: Record<string, string> = { resource_types: "id", resources: "resource_type, resource_id", entitlements: "id", grants: "id" };
    for (const [table, key] of Object.entries(keys)) {
      const onlyIn = (x: string, y: string) =>
        db.prepare(`SELECT ${key} FROM ${x}.${table} EXCEPT SELECT ${key} FROM ${y}.${table} LIMIT 5`).all();
      const differentBytes = db.prepare(`SELECT count(*) AS n FROM (SELECT ${key}, data FROM main.${table} EXCEPT SELECT ${key}, data FROM other.${table})`).get() as { n: number };
      expect({ table, onlyInA: onlyIn("main", "other"), onlyInB: onlyIn("other", "main"), differentBytes: differentBytes.n }).toEqual({ table, onlyInA: [], onlyInB: [], differentBytes: 0 });
    }
  } finally {
    db.close();
  }
  const counts = rowCounts(pathA);
  expect(rowCounts(pathB)).toEqual(counts);
  return counts;
}
