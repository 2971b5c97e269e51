import { spawn } from "node:child_process";
import type { FakeOkta } from "../../test/fake-okta/index.js";
import { CLI_PATH, childEnv } from "./processes.js";

/** Items of one resource type as a sync counted them. */
export interface TypeCount {
  readonly resourceTypeId: string;
  readonly resources: number;
  readonly entitlements: number;
  readonly grants: number;
}

/** One sync of the soak. */
export interface SyncRecord {
  readonly n: number;
  readonly mode: "stream" | "paged";
  /** Seconds since the soak started. */
  readonly at: number;
  readonly durationMs: number;
  /** The `sync` command's exit code (130: interrupted by the soak's own Ctrl-C). */
  readonly exitCode: number | null;
  /** Broken streams resumed (stream) or pages asked for again (paged), from the sync's report. */
  readonly retries: number;
  readonly totals?: { resources: number; entitlements: number; grants: number };
  readonly counts?: readonly TypeCount[];
  /** Okta API requests the simulator answered during the sync, every attempt and fault included. */
  readonly oktaCalls: number;
  readonly okta429s: number;
  /** 5xx answers and reset connections (status 0) the simulator injected. */
  readonly oktaFaults: number;
  /** The sync failed, or its counts differ from the reference. */
  readonly error?: string;
}

/**
 * Runs `okta-connector sync --json` (the reference engine, as an operator would) into `file`, counting
 * the simulator's requests from a reset just before. The child has its own process group so a Ctrl-C
 * on the terminal does not also interrupt it; `signal` stops it instead.
 */
export async function runSync(options: { fake: FakeOkta; address: string; file: string; mode: "stream" | "paged"; n: number; at: number; signal: AbortSignal }): Promise<SyncRecord> {
  const { fake, mode } = options;
  fake.resetStats();
  const started = performance.now();
  const args = [CLI_PATH, "sync", "--connector", options.address, "--out", options.file, "--json", ...(mode === "paged" ? ["--paged"] : [])];
  const child = spawn(process.execPath, args, { env: childEnv(), stdio: ["ignore", "pipe", "pipe"], detached: true });
  const onAbort = () => child.kill("SIGTERM");
  options.signal.addEventListener("abort", onAbort, { once: true });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr = (stderr + d).slice(-4_000)));
  const exitCode = await new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  options.signal.removeEventListener("abort", onAbort);
  const durationMs = Math.round(performance.now() - started);
  const stats = fake.stats().totals;
  const oktaFaults = Object.entries(stats.statuses).reduce((sum, [status, count]) => (status === "0" || status.startsWith("5") ? sum + count : sum), 0);
  const base = { n: options.n, mode, at: options.at, durationMs, exitCode, oktaCalls: stats.calls, okta429s: stats.throttled, oktaFaults };
  if (exitCode !== 0) return { ...base, retries: 0, error: `${mode} sync #${options.n} exited ${exitCode}: ${lastLine(stderr)}` };
  try {
    const report = JSON.parse(stdout) as { counts: TypeCount[]; totals: SyncRecord["totals"]; stored: SyncRecord["totals"]; retries?: number };
    const counts = report.counts.map((c) => ({ resourceTypeId: c.resourceTypeId, resources: Number(c.resources), entitlements: Number(c.entitlements), grants: Number(c.grants) }));
    const stored = JSON.stringify(report.stored) === JSON.stringify(report.totals) ? undefined : `${mode} sync #${options.n} stored ${JSON.stringify(report.stored)} but counted ${JSON.stringify(report.totals)}`;
    return { ...base, retries: report.retries ?? 0, totals: report.totals!, counts, ...(stored ? { error: stored } : {}) };
  } catch (error) {
    return { ...base, retries: 0, error: `${mode} sync #${options.n} printed no JSON summary (${(error as Error).message})` };
  }
}

/** Where `counts` differs from `reference`, one phrase per type; empty when equal. */
export function countDifferences(reference: readonly TypeCount[], counts: readonly TypeCount[]): string[] {
  const byType = new Map(counts.map((c) => [c.resourceTypeId, c]));
  const out: string[] = [];
  for (const ref of reference) {
    const got = byType.get(ref.resourceTypeId);
    byType.delete(ref.resourceTypeId);
    if (!got) out.push(`${ref.resourceTypeId} missing`);
    else for (const k of ["resources", "entitlements", "grants"] as const) if (got[k] !== ref[k]) out.push(`${ref.resourceTypeId} ${k} ${got[k]} (reference ${ref[k]})`);
  }
  for (const extra of byType.keys()) out.push(`${extra} not in the reference`);
  return out;
}

function lastLine(text: string): string {
  return text.trim().split("\n").filter((l) => l.trim() !== "").at(-1)?.slice(0, 300) ?? "(no output)";
}
