import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { ChurnChange, GroundTruth } from "../../fake-okta/index.js";
import { type ServeProcess, startServeProcess } from "../../support/serve-process.js";

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * Proxies are cleared for every child: the Okta SDK sends even loopback requests through
 * HTTPS_PROXY, and grpc-go reads it too. Nothing here leaves 127.0.0.1.
 */
export const NO_PROXY_ENV: Readonly<Record<string, string>> = { HTTPS_PROXY: "", https_proxy: "", HTTP_PROXY: "", http_proxy: "" };

export type AdminLevel = "read_only" | "app_group_admin" | "super_admin" | "no_role";

export interface SimulatedOrg {
  readonly url: string;
  readonly tokens: Readonly<Record<AdminLevel, string>>;
  groundTruth(): Promise<GroundTruth>;
  /** `GET /__sim/stats` totals: API calls and 429s since start. */
  totals(): Promise<{ calls: number; throttled: number }>;
  /** `POST /__sim/churn?count=N`: N random changes now, through the API's write paths; answers what changed. */
  churn(count: number): Promise<ChurnChange[]>;
  stop(): Promise<void>;
}

/**
 * Starts the simulated org as its own process (`args`: more of its CLI flags, e.g. `--log-lag-ms`) (`tsx test/fake-okta/main.ts`, which forwards signals,
 * unlike npm) and reads its one JSON line. A separate process keeps the runner's own work (parsing
 * grpcurl output) off the org's event loop.
 */
export async function startSimulatedOrg(options: { users: number; seed: number; args?: readonly string[] }): Promise<SimulatedOrg> {
  const tsx = `${REPO_ROOT}node_modules/.bin/tsx`;
  const child = spawn(tsx, ["test/fake-okta/main.ts", "--port", "0", "--users", String(options.users), "--seed", String(options.seed), ...(options.args ?? [])], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...NO_PROXY_ENV },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const first = await firstLine(child, 120_000).catch((error: unknown) => {
    child.kill("SIGKILL");
    throw new Error(`fake-okta did not start: ${(error as Error).message}; stderr: ${stderr.trim()}`);
  });
  const started = JSON.parse(first) as { url: string; tokens: Record<AdminLevel, string> };
  const getJson = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${started.url}${path}`);
    if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
    return (await response.json()) as T;
  };
  return {
    url: started.url,
    tokens: started.tokens,
    groundTruth: () => getJson<GroundTruth>("/__sim/ground-truth"),
    async totals() {
      const stats = await getJson<{ totals: { calls: number; throttled: number } }>("/__sim/stats");
      return stats.totals;
    },
    async churn(count) {
      const response = await fetch(`${started.url}/__sim/churn?count=${count}`, { method: "POST" });
      if (!response.ok) throw new Error(`POST /__sim/churn: HTTP ${response.status}`);
      return (await response.json()) as ChurnChange[];
    },
    stop: () => stopChild(child),
  };
}

function firstLine(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`no output within ${timeoutMs} ms`)), timeoutMs);
    lines.once("line", (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code ?? signal})`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

export interface ConnectorOptions {
  readonly org: SimulatedOrg;
  readonly level: AdminLevel;
  readonly args?: readonly string[];
}

/**
 * `okta-connector serve` (the built dist/src/cli.js) on 127.0.0.1 port 0 against the simulated org; the
 * Okta token goes in through BATON_API_TOKEN, never argv.
 */
export function startConnector(options: ConnectorOptions): Promise<ServeProcess> {
  return startServeProcess(["--domain", options.org.url, ...(options.args ?? [])], {
    withOktaArgs: false,
    env: { ...NO_PROXY_ENV, BATON_API_TOKEN: options.org.tokens[options.level] },
    startTimeoutMs: 60_000,
  });
}
