import { type ChildProcess, execFile, spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The built `okta-connector` binary (package.json `bin`), which tests run rather than tsx for a fast start. */
export const CLI_PATH = join(REPO_ROOT, "dist/src/cli.js");

/** A syntactically valid SSWS token for processes that never call Okta. Tests grep the output for it. */
export const DUMMY_API_TOKEN = "00FakeSswsToken-0123456789abcdefghijklmnopqrstuv";

/** `--domain` and a credential: serve needs both, and nothing calls Okta yet. Port 9 (discard) never answers. */
export const DUMMY_OKTA_ARGS: readonly string[] = ["--domain", "http://127.0.0.1:9", "--api-token", DUMMY_API_TOKEN];

/**
 * Compiles src/ and gen/ to dist/ (`npm run build`) when dist/src/cli.js is missing or older than any
 * source file. The vitest globalSetup calls this once per run; a test file that starts the binary
 * calls it too, so the file also works when run without the global setup.
 */
export async function buildCliIfStale(): Promise<void> {
  if (!isStale()) return;
  const tsc = join(REPO_ROOT, "node_modules/.bin/tsc");
  await new Promise<void>((resolve, reject) => {
    execFile(tsc, ["-p", "tsconfig.build.json"], { cwd: REPO_ROOT, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error === null) return resolve();
      reject(new Error(`npm run build failed (tsc exit ${String(error.code)}):\n${stdout}${stderr}`));
    });
  });
}

function isStale(): boolean {
  let built: number;
  try {
    built = statSync(CLI_PATH).mtimeMs;
  } catch {
    return true;
  }
  return newestMtime(join(REPO_ROOT, "src")) > built || newestMtime(join(REPO_ROOT, "gen")) > built;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(".ts")) {
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/** The environment a child gets: the test's, minus any BATON_* variable that would change its config. */
function childEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith("BATON_")) env[name] = value;
  return { ...env, ...extra };
}

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `okta-connector …args` to completion (for --help and bad flags); kills it after `timeoutMs`. */
export function runCli(args: readonly string[], options: { env?: Readonly<Record<string, string>>; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], { env: childEnv(options.env ?? {}), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export interface ServeProcess {
  /** Where grpc-js dials: `127.0.0.1:PORT`, or `unix:///path` for a socket. */
  readonly address: string;
  /** `http://127.0.0.1:PORT` for buf curl (TCP only). */
  readonly url: string;
  readonly port: number | undefined;
  readonly child: ChildProcess;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** stdout parsed as pino JSON lines. */
  logLines(): Record<string, unknown>[];
  /** Settles when the process has exited and its output is drained. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (SIGTERM by default) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `okta-connector serve --listen 127.0.0.1:0 …args` and resolves once it logs
 * "okta-connector serving", reading the bound port from that line. `args` may give its own
 * `--listen`; DUMMY_OKTA_ARGS are added unless `withOktaArgs` is false.
 */
export async function startServeProcess(
  args: readonly string[] = [],
  options: { withOktaArgs?: boolean; env?: Readonly<Record<string, string>>; startTimeoutMs?: number } = {},
): Promise<ServeProcess> {
  const listen = args.includes("--listen") ? [] : ["--listen", "127.0.0.1:0"];
  const okta = options.withOktaArgs === false ? [] : DUMMY_OKTA_ARGS;
  const child = spawn(process.execPath, [CLI_PATH, "serve", ...listen, ...okta, ...args], {
    env: childEnv(options.env ?? {}),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal })),
  );
  const logLines = (): Record<string, unknown>[] =>
    stdout
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  const listening = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`okta-connector serve did not start within ${options.startTimeoutMs ?? 20_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.startTimeoutMs ?? 20_000);
    const onData = () => {
      const line = logLines().find((l) => l.msg === "okta-connector serving");
      if (line === undefined) return;
      clearTimeout(timer);
      child.stdout.off("data", onData);
      resolve(String(line.listen));
    };
    child.stdout.on("data", onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`okta-connector serve exited (${code ?? signal}) before listening\nstderr: ${stderr}`));
    });
  });

  const port = listening.startsWith("unix://") ? undefined : Number(listening.slice(listening.lastIndexOf(":") + 1));
  return {
    address: listening,
    url: `http://${listening}`,
    port,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    logLines,
    exited,
    stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
