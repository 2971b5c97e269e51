import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { NO_PROXY_ENV, REPO_ROOT } from "./processes.js";

export const GRPCURL = `${REPO_ROOT}test/interop/.bin/grpcurl`;

/** grpcurl exits 64 + the gRPC status code when the RPC fails (cmd/grpcurl: statusCodeOffset). */
export const GRPCURL_STATUS_OFFSET = 64;

/** How grpcurl reaches one server: cleartext, or TLS trusting a CA; optional headers (e.g. a bearer token). */
export interface GrpcurlTarget {
  readonly address: string;
  readonly caCert?: string;
  readonly headers?: readonly string[];
}

export interface GrpcurlResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function baseArgs(target: GrpcurlTarget): string[] {
  const transport = target.caCert === undefined ? ["-plaintext"] : ["-cacert", target.caCert];
  return [...transport, ...(target.headers ?? []).flatMap((h) => ["-H", h])];
}

/**
 * Runs `grpcurl <transport> <args…> <address> <rest…>` to completion. `data` becomes `-d` (JSON);
 * schema comes from server reflection, as a person at a shell would use it.
 */
export function grpcurl(target: GrpcurlTarget, args: readonly string[], rest: readonly string[] = [], data?: unknown): Promise<GrpcurlResult> {
  const dataArgs = data === undefined ? [] : ["-d", JSON.stringify(data)];
  const argv = [...baseArgs(target), ...args, ...dataArgs, target.address, ...rest];
  return new Promise((resolve, reject) => {
    const child = spawn(GRPCURL, argv, { env: { ...process.env, ...NO_PROXY_ENV }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Calls one unary method and parses its JSON answer; throws with grpcurl's message on failure. */
export async function grpcurlCall<T = Record<string, unknown>>(target: GrpcurlTarget, method: string, request: unknown = {}): Promise<T> {
  const result = await grpcurl(target, [], [method], request);
  if (result.code !== 0) throw new Error(`grpcurl ${method} exited ${result.code}: ${result.stderr.trim()}`);
  return JSON.parse(result.stdout) as T;
}

/**
 * Calls a server-streaming method and hands each message to `onMessage` as it arrives, without
 * holding the whole output (a 10,000-user Sync prints a few hundred MB of JSON). grpcurl pretty-prints
 * every message from a `{` line to a `}` line at column 0; everything inside is indented, and JSON
 * strings cannot hold a raw newline, so those two lines delimit messages exactly.
 */
export function grpcurlStream(
  target: GrpcurlTarget,
  method: string,
  request: unknown,
  onMessage: (message: Record<string, unknown>) => void,
  flags: readonly string[] = [],
): Promise<{ code: number | null; stderr: string; messages: number }> {
  // grpcurl keeps grpc-go's default 4 MiB receive limit, as baton-sdk's client does: no batch may exceed it.
  const argv = [...baseArgs(target), ...flags, "-d", JSON.stringify(request), target.address, method];
  return new Promise((resolve, reject) => {
    const child = spawn(GRPCURL, argv, { env: { ...process.env, ...NO_PROXY_ENV }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let messages = 0;
    let chunk: string[] = [];
    let failure: unknown;
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      if (line === "{") chunk = [];
      chunk.push(line);
      if (line !== "}") return;
      messages++;
      try {
        onMessage(JSON.parse(chunk.join("\n")) as Record<string, unknown>);
      } catch (error) {
        failure ??= error;
      }
      chunk = [];
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 300_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      if (failure !== undefined) reject(failure instanceof Error ? failure : new Error(String(failure)));
      else resolve({ code, stderr, messages });
    });
  });
}
