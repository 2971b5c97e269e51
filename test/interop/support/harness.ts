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
  /** On user resources: what the UserTrait stored in the c1z says (mfaEnabled null: no mfa_status). */
  user?: { statusDetails: string; accountType: string; mfaEnabled: boolean | null };
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
export async function runHarness(options: HarnessOptions): Promise<HarnessRun> {
  const args = ["-addr", options.address, "-out", options.out, "-ids", options.ids, "-engine", options.engine];
  if (options.caCert) args.push("-tls-ca", options.caCert);
  if (options.bearerTokenFile) args.push("-bearer-token-file", options.bearerTokenFile);
  const { stdout, stderr, exitCode, wallSeconds } = await runBatonsync(args);
  const { value: summary, note } = parseReport<HarnessSummary>(stdout);
  return { summary, exitCode, stderr: stderr + note, wallSeconds };
}

/** What one Grant or Revoke answered (test/interop/cmd/batonsync/rpcrecord.go). */
export interface RpcRecord {
  method: string;
  code?: string;
  message?: string;
  grants?: { id: string; entitlement: string; principal: string }[];
  annotations: string[];
  alreadyExists: boolean;
  alreadyRevoked: boolean;
}

/** One step of a provisioning session (test/interop/cmd/batonsync/provision.go). */
export interface ProvisionStep {
  name: "baseline sync" | "grant" | "grant again" | "sync after grant" | "revoke" | "revoke again" | "sync after revoke";
  kind: "sync" | "grant" | "revoke";
  calls: HarnessSummary["calls"];
  engineLogs: HarnessSummary["engineLogs"];
  c1z?: string;
  ids?: string;
  sync?: HarnessSummary["sync"];
  contents?: HarnessSummary["contents"];
  rpcs?: RpcRecord[];
  error?: string;
}

export interface ProvisionReport {
  entitlement: string;
  principal: string;
  principalType: string;
  steps: ProvisionStep[];
  error?: string;
}

export interface ProvisionRun {
  readonly report: ProvisionReport | undefined;
  readonly exitCode: number | null;
  readonly stderr: string;
  readonly wallSeconds: number;
}

/**
 * Runs `batonsync -provision`: over one baton-sdk connector client, a baseline sync, Grant twice
 * (baton-sdk's provisioner), a sync, Revoke twice, a sync; every step's c1z and ids file go to `dir`.
 */
export async function runProvisionSession(options: { address: string; dir: string; entitlement: string; principal: string; principalType: string }): Promise<ProvisionRun> {
  const args = ["-provision", "-addr", options.address, "-out", options.dir, "-grant-entitlement", options.entitlement, "-grant-principal", options.principal, "-grant-principal-type", options.principalType];
  const { stdout, stderr, exitCode, wallSeconds } = await runBatonsync(args);
  const { value: report, note } = parseReport<ProvisionReport>(stdout);
  return { report, exitCode, stderr: stderr + note, wallSeconds };
}

/** The JSON `batonsync -events` prints (test/interop/cmd/batonsync/events.go). */
export interface EventsReport {
  readonly feeds: readonly { readonly id: string; readonly types: readonly string[] }[];
  readonly pages: readonly { readonly events: number; readonly hasMore: boolean }[];
  readonly events: readonly { readonly id: string; readonly line: string }[];
  readonly error?: string;
}

/** Runs `batonsync -events`: baton-sdk's client reads the connector's event feed from `startAt` until has_more is false. */
export async function runEventsRead(options: { address: string; startAt: Date; pageSize: number }): Promise<{ report: EventsReport | undefined; exitCode: number | null; stderr: string }> {
  const args = ["-events", "-addr", options.address, "-events-start-at", options.startAt.toISOString(), "-events-page-size", String(options.pageSize)];
  const { stdout, stderr, exitCode } = await runBatonsync(args);
  const { value: report, note } = parseReport<EventsReport>(stdout);
  return { report, exitCode, stderr: stderr + note };
}

/** The JSON `batonsync -targeted` prints (test/interop/cmd/batonsync/targeted.go). */
export interface TargetedReport {
  readonly pages: readonly { readonly events: number; readonly hasMore: boolean }[];
  /** Events read, by kind: grant, revoke, change, usage. */
  readonly events: Readonly<Record<string, number>>;
  /** `{type}:{id}` of every resource handed to WithTargetedSyncResources. */
  readonly targets: readonly string[];
  readonly baselineSyncId: string;
  readonly sync: HarnessSummary["sync"];
  readonly calls: HarnessSummary["calls"];
  readonly engineLogs: HarnessSummary["engineLogs"];
  /** The partial sync read back (syncType "partial", parentSyncId its full sync). */
  readonly contents?: HarnessSummary["contents"] & { readonly parentSyncId?: string };
  readonly error?: string;
}

/**
 * Runs `batonsync -targeted`: baton-sdk's client reads the feed from `startAt` to the end, then its
 * syncer runs a targeted sync of the resources the events name into `out`, a copy of `baseline`; the
 * partial sync's rows go to `ids`.
 */
export async function runTargetedSync(options: { address: string; baseline: string; out: string; ids: string; startAt: Date; pageSize: number }): Promise<{ report: TargetedReport | undefined; exitCode: number | null; stderr: string; wallSeconds: number }> {
  const args = ["-targeted", "-addr", options.address, "-baseline", options.baseline, "-out", options.out, "-ids", options.ids, "-events-start-at", options.startAt.toISOString(), "-events-page-size", String(options.pageSize)];
  const { stdout, stderr, exitCode, wallSeconds } = await runBatonsync(args);
  const { value: report, note } = parseReport<TargetedReport>(stdout);
  return { report, exitCode, stderr: stderr + note, wallSeconds };
}

function runBatonsync(args: readonly string[]): Promise<{ stdout: string; stderr: string; exitCode: number | null; wallSeconds: number }> {
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
      resolve({ stdout, stderr, exitCode, wallSeconds: (Date.now() - started) / 1000 });
    });
  });
}

/** batonsync's one JSON line, or undefined with a note for stderr when stdout is empty or not JSON. */
function parseReport<T>(stdout: string): { value: T | undefined; note: string } {
  if (stdout.trim() === "") return { value: undefined, note: "" };
  try {
    return { value: JSON.parse(stdout) as T, note: "" };
  } catch {
    return { value: undefined, note: `\n(stdout was not JSON: ${stdout.slice(0, 200)})` };
  }
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
