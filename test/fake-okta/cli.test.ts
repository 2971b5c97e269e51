import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";

// The CLI is spawned as people run it (npx tsx test/fake-okta/main.ts, from the repo root), in its own
// process group: npx and npm do not forward SIGTERM or SIGINT to the simulator, so signals go to the
// group. Signal-handling cases run tsx directly, which does forward them, to observe the exit code.
const repoRoot = join(import.meta.dirname, "..", "..");
const children: ChildProcessWithoutNullStreams[] = [];
afterAll(() => {
  for (const child of children) signalGroup(child, "SIGKILL");
});

function spawnCli(args: string[], via: "npx" | "tsx" = "npx"): ChildProcessWithoutNullStreams {
  const [command, prefix] = via === "npx" ? ["npx", ["tsx"]] : [join(repoRoot, "node_modules", ".bin", "tsx"), []];
  const child = spawn(command, [...prefix, "test/fake-okta/main.ts", ...args], { cwd: repoRoot, detached: true, env: { ...process.env, HTTPS_PROXY: "", https_proxy: "" } });
  children.push(child);
  return child;
}

function signalGroup(child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", (line) => {
      lines.close();
      resolve(line);
    });
    child.once("exit", (code) => reject(new Error(`exited ${code} before printing`)));
  });
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; stderr: string }> {
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stderr })));
}

interface Banner {
  url: string;
  tokens: Record<string, string>;
  oauth: Record<string, { clientId: string; privateKeyPath: string; scopes: string[] }>;
}

describe("npm run fake-okta", () => {
  it("prints one JSON line with url, tokens and OAuth key files, serves, and cleans up on SIGINT", async () => {
    const child = spawnCli(["--users", "50", "--seed", "3", "--rate-scale", "60"]);
    const exited = exitOf(child);
    const banner = JSON.parse(await firstLine(child)) as Banner;
    expect(Object.keys(banner)).toEqual(["url", "tokens", "oauth"]);
    expect(banner.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(banner.tokens)).toEqual(["read_only", "app_group_admin", "super_admin", "no_role"]);
    for (const client of Object.values(banner.oauth)) {
      expect(client.clientId).toMatch(/^0oa/);
      expect(statSync(client.privateKeyPath).mode & 0o777).toBe(0o600);
    }
    const res = await fetch(`${banner.url}/api/v1/users?limit=5`, { headers: { Authorization: `SSWS ${banner.tokens["read_only"]}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as unknown[]).length).toBe(5);
    signalGroup(child, "SIGINT");
    const { stderr } = await exited;
    expect(stderr).toContain("SIGINT, stopping after 1 API requests");
    expect(existsSync(banner.oauth["read_only"]?.privateKeyPath ?? "")).toBe(false);
  });

  it("changes the org on its own with --churn, and the changes reach the System Log after --log-lag-ms", async () => {
    const child = spawnCli(["--users", "30", "--seed", "5", "--churn", "1200", "--log-lag-ms", "200"]);
    const exited = exitOf(child);
    const banner = JSON.parse(await firstLine(child)) as Banner;
    const since = encodeURIComponent(new Date(Date.now() - 60_000).toISOString());
    let events: { eventType: string; published: string }[] = [];
    for (let i = 0; i < 60 && events.length < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const res = await fetch(`${banner.url}/api/v1/logs?since=${since}`, { headers: { Authorization: `SSWS ${banner.tokens["read_only"]}` } });
      events = (await res.json()) as typeof events;
    }
    expect(events.length).toBeGreaterThanOrEqual(5);
    const log = (await (await fetch(`${banner.url}/__sim/log`)).json()) as { lagMs: number; lastSeq: number };
    expect(log.lagMs).toBe(200);
    expect(log.lastSeq).toBeGreaterThanOrEqual(events.length);
    signalGroup(child, "SIGINT");
    await exited;
  });

  // Each flag's validation is covered by cli-args.test.ts; this checks the process's side of it.
  it("exits 2 on a bad flag with one line naming it", async () => {
    const child = spawnCli(["--users", "-5"]);
    const { code, stderr } = await exitOf(child);
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain("--users");
  });
});

const hasOpenssl = (() => {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasOpenssl)(hasOpenssl ? "HTTPS with a given certificate" : "HTTPS skipped: no openssl to make a test certificate", () => {
  const dir = mkdtempSync(join(tmpdir(), "fake-okta-tls-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("serves the API over TLS, prints an https url, and exits 0 on SIGTERM", async () => {
    const cert = join(dir, "cert.pem");
    const key = join(dir, "key.pem");
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
    const child = spawnCli(["--users", "10", "--tls-cert", cert, "--tls-key", key], "tsx");
    const exited = exitOf(child);
    const banner = JSON.parse(await firstLine(child)) as Banner;
    expect(banner.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const { request } = await import("node:https");
    const { readFileSync } = await import("node:fs");
    const body = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      request(`${banner.url}/api/v1/users`, { ca: readFileSync(cert), headers: { Authorization: `SSWS ${banner.tokens["super_admin"]}` } }, (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      }).on("error", reject).end();
    });
    expect(body.status).toBe(200);
    const users = JSON.parse(body.text) as { _links: { self: { href: string } } }[];
    expect(users[0]?._links.self.href.startsWith(`${banner.url}/api/v1/users/`)).toBe(true);
    child.kill("SIGTERM");
    expect((await exited).code).toBe(0);
  });
});
