import { spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { NO_PROXY_ENV, REPO_ROOT } from "./processes.js";

export const BATONSYNC = `${REPO_ROOT}test/interop/.bin/batonsync`;
export const PROTOCOMPARE = `${REPO_ROOT}test/interop/.bin/protocompare`;

/** The JSON batonsync prints (test/interop/cmd/batonsync/summary.go). */
export interface HarnessSummary {
  engine: string;
  sync: { seconds: number; closeSeconds: number; completed: boolean; preservable: boolean; code?: string; failFastInvariants: boolean; workers: number };
  calls: { total: number; byMethod: Record<string, number>; errors: Record<string, number> };
  engineLogs: { level: string; message: string; fields?: string }[];
  c1zBytes: number;
  contents?: {
    syncId: string;
    syncType: string;
    resourceTypes: { id: string; displayName: string; description: string; traits: string[]; annotations: string[] }[];
    resources: Record<string, number>;
    resourceTotal: number;
    entitlements: Record<string, number>;
    entitlementTotal: number;
    grants: {
      total: number;
      direct: number;
      expanded: number;
      directWithSources: number;
      expandable: number;
      byEntitlementType: Record<string, number>;
      expandedByEntitlementType: Record<string, number>;
    };
    storeStats: Record<string, number>;
  };
  error?: string;
}

/** One line of the -ids file (test/interop/cmd/batonsync/ids.go). */
export interface IdLine {
  kind: "resource" | "entitlement" | "grant";
  id: string;
  entitlement?: string;
  principal?: string;
  expandable?: string[];
  shallow?: boolean;
  sources?: Record<string, boolean>;
  immutable?: boolean;
}

export interface HarnessRun {
  readonly summary: HarnessSummary | undefined;
  readonly exitCode: number | null;
  readonly stderr: string;
  readonly wallSeconds: number;
}

export interface HarnessOptions {
  readonly address: string;
  readonly out: string;
  readonly ids: string;
  readonly engine: "sqlite" | "pebble";
  readonly caCert?: string;
  readonly bearerTokenFile?: string;
}

/** Runs batonsync once: a full baton-sdk sync of the connector at `address` into a fresh c1z. */
export function runHarness(options: HarnessOptions): Promise<HarnessRun> {
  const args = ["-addr", options.address, "-out", options.out, "-ids", options.ids, "-engine", options.engine];
  if (options.caCert) args.push("-tls-ca", options.caCert);
  if (options.bearerTokenFile) args.push("-bearer-token-file", options.bearerTokenFile);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(BATONSYNC, args, { env: { ...process.env, ...NO_PROXY_ENV }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 480_000);
    child.once("error", reject);
    child.once("close", (exitCode) => {
      clearTimeout(timer);
      let summary: HarnessSummary | undefined;
      try {
        summary = stdout.trim() === "" ? undefined : (JSON.parse(stdout) as HarnessSummary);
      } catch {
        stderr += `\n(stdout was not JSON: ${stdout.slice(0, 200)})`;
      }
      resolve({ summary, exitCode, stderr, wallSeconds: (Date.now() - started) / 1000 });
    });
  });
}

/** Reads the -ids file, one record at a time. */
export async function readIds(path: string): Promise<IdLine[]> {
  const lines: IdLine[] = [];
  for await (const line of createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Infinity })) {
    if (line.trim() !== "") lines.push(JSON.parse(line) as IdLine);
  }
  return lines;
}

/** Runs protocompare against a cleartext server; resolves its JSON report and exit code. */
export function runProtocompare(address: string): Promise<{ exitCode: number | null; report: { differences: string[]; reserved: string[]; messages: number; enums: number; services: number; methods: number; files: number } | undefined; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PROTOCOMPARE, ["-addr", address], { env: { ...process.env, ...NO_PROXY_ENV }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.once("error", reject);
    child.once("close", (exitCode) => {
      let report;
      try {
        report = stdout.trim() === "" ? undefined : JSON.parse(stdout);
      } catch {
        report = undefined;
      }
      resolve({ exitCode, report, stderr });
    });
  });
}
