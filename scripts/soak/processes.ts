import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { boundAddress } from "../support/bound-address.js";

/** The built `okta-connector` binary (`npm run build`; `presoak` builds it). */
export const CLI_PATH = new URL("../../dist/src/cli.js", import.meta.url).pathname;

/**
 * The environment of every child: this process's, minus BATON_* (which would change the connector's
 * config behind the soak's back) and minus proxies, which the Okta SDK would send loopback calls through.
 */
export function childEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith("BATON_") && !/^https?_proxy$/i.test(name)) env[name] = value;
  return { ...env, ...extra };
}

/** A running `okta-connector serve`. */
export interface ConnectorProcess {
  readonly pid: number;
  /** host:port it listens on. */
  readonly address: string;
  /** Set once the process has exited, with its code or signal. */
  exited(): string | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `okta-connector serve --provisioning` against the simulated org with the super-admin token
 * in BATON_API_TOKEN (never on the command line, where `ps` shows it). The child gets its own process
 * group so a Ctrl-C on the terminal reaches only the soak, which then stops it in order.
 */
export async function startConnector(options: { oktaUrl: string; apiToken: string }): Promise<ConnectorProcess> {
  const child = spawn(process.execPath, [CLI_PATH, "serve", "--domain", options.oktaUrl, "--listen", "127.0.0.1:0", "--provisioning"], {
    env: childEnv({ BATON_API_TOKEN: options.apiToken }),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let exit: string | undefined;
  const closed = new Promise<void>((resolve) => child.once("close", (code, signal) => ((exit = signal ?? `exit ${code}`), resolve())));
  const stderrTail: string[] = [];
  createInterface({ input: child.stderr! }).on("line", (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 20) stderrTail.shift();
  });
  const address = await boundAddress(child, () => stderrTail.join("\n"));
  return {
    pid: child.pid!,
    address,
    exited: () => exit,
    async stop(graceMs = 10_000) {
      if (exit !== undefined) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await closed;
      clearTimeout(timer);
    },
  };
}

/** Resident memory of a process in MB (VmRSS), or undefined once it has gone. */
export function readRssMb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : undefined;
  } catch {
    return undefined;
  }
}
