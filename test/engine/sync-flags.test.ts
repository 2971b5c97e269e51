import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSnapshotStore } from "../../src/engine/snapshot-store.js";
import { type FakeOkta, startFakeOkta } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { type RunningConnector, startConnector } from "../support/sync-helpers.js";
import { readLastRun, rowCounts, runCli, startCli, waitForBatches } from "./support/sync-cli.js";

/**
 * `sync` and its flags: every bad input exits 2 with one line naming the flag, before any file is
 * written or any connection made; failures of the connector exit 1 with its message.
 */
let dir: string;
/** Nothing listens on the discard port: a connection there is refused. */
const NOWHERE = "127.0.0.1:9";

beforeAll(async () => {
  await buildCliIfStale();
  dir = mkdtempSync(join(tmpdir(), "engine-flags-"));
  mkdirSync(join(dir, "a-directory"));
  writeFileSync(join(dir, "empty-token"), "\n");
  writeFileSync(join(dir, "spaced-token"), "s3cr3t token with spaces\n");
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("sync input validation", () => {
  const out = () => join(dir, "out.db");
  const cases: [string, () => string[], RegExp, Record<string, string>?][] = [
    ["--connector missing", () => ["--out", out()], /^okta-connector: --connector: is required/],
    ["--connector not an address", () => ["--connector", "127.0.0.1:port", "--out", out()], /^okta-connector: --connector: "127.0.0.1:port" is not host:port/],
    ["--connector out of range", () => ["--connector", "127.0.0.1:70000", "--out", out()], /^okta-connector: --connector: /],
    ["--connector relative unix path", () => ["--connector", "unix://run/x.sock", "--out", out()], /^okta-connector: --connector: unix socket path must be absolute/],
    ["BATON_CONNECTOR read and checked", () => ["--out", out()], /^okta-connector: --connector: "no-port-here" is not host:port/, { BATON_CONNECTOR: "no-port-here" }],
    ["--out missing", () => ["--connector", NOWHERE], /^okta-connector: --out: is required/],
    ["--out in a missing directory", () => ["--connector", NOWHERE, "--out", join(dir, "nope", "x.db")], /^okta-connector: --out: directory .*nope does not exist/],
    ["--out a directory", () => ["--connector", NOWHERE, "--out", join(dir, "a-directory")], /^okta-connector: --out: .*a-directory is a directory/],
    ["--batch-size 0", () => ["--connector", NOWHERE, "--out", out(), "--batch-size", "0"], /^okta-connector: --batch-size: "0" is not a whole number from 1 to 10000/],
    ["--batch-size too large", () => ["--connector", NOWHERE, "--out", out(), "--batch-size", "10001"], /^okta-connector: --batch-size: /],
    ["--batch-size not a number", () => ["--connector", NOWHERE, "--out", out(), "--batch-size", "1e3"], /^okta-connector: --batch-size: /],
    ["--max-retries too large", () => ["--connector", NOWHERE, "--out", out(), "--max-retries", "101"], /^okta-connector: --max-retries: "101" is not a whole number from 0 to 100/],
    ["--resume with --paged", () => ["--connector", NOWHERE, "--out", out(), "--resume", "--paged"], /^okta-connector: --resume: cannot be combined with --paged/],
    ["--resume of a missing file", () => ["--connector", NOWHERE, "--out", join(dir, "never.db"), "--resume"], /^okta-connector: --resume: .*never\.db does not exist/],
    ["--batch-size with --paged", () => ["--connector", NOWHERE, "--out", out(), "--paged", "--batch-size", "10"], /^okta-connector: --batch-size: applies to the Sync stream only/],
    ["--auth-token-file missing", () => ["--connector", NOWHERE, "--out", out(), "--auth-token-file", join(dir, "no-token")], /^okta-connector: --auth-token-file: cannot read .*no-token \(ENOENT\)/],
    ["--auth-token-file empty", () => ["--connector", NOWHERE, "--out", out(), "--auth-token-file", join(dir, "empty-token")], /^okta-connector: --auth-token-file: .*empty-token is empty/],
    ["an unknown flag", () => ["--connector", NOWHERE, "--out", out(), "--bogus"], /unknown option '--bogus'/],
  ];
  for (const [name, args, message, env] of cases) {
    it(`exits 2 naming the flag: ${name}`, async () => {
      const result = await runCli(["sync", ...args()], env ? { env } : {});
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stdout).toBe("");
    });
  }

  it("names a token file with bad characters without printing the token", async () => {
    const result = await runCli(["sync", "--connector", NOWHERE, "--out", out(), "--auth-token-file", join(dir, "spaced-token")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^okta-connector: --auth-token-file: .*spaced-token holds characters a bearer token cannot carry/);
    expect(result.stderr).not.toContain("s3cr3t");
  });

  it("refuses to overwrite a file that is not a snapshot, and leaves it as it was", async () => {
    const notes = join(dir, "notes.db");
    writeFileSync(notes, "my notes\n".repeat(500));
    const result = await runCli(["sync", "--connector", NOWHERE, "--out", notes]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^okta-connector: --out: .*notes\.db is not an okta-connector snapshot .*; choose another path/);
    expect(readFileSync(notes, "utf8")).toBe("my notes\n".repeat(500));
  });

  it("refuses --resume of a snapshot without runs, or whose last run was --paged", async () => {
    const empty = join(dir, "no-runs.db");
    openSnapshotStore(empty).close();
    const none = await runCli(["sync", "--connector", NOWHERE, "--out", empty, "--resume"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^okta-connector: --resume: .*no-runs\.db holds no sync to resume/);

    const paged = join(dir, "paged-run.db");
    const store = openSnapshotStore(paged);
    store.failRun(store.startRun({ mode: "paged", connector: NOWHERE }).id, "interrupted");
    store.close();
    const refused = await runCli(["sync", "--connector", NOWHERE, "--out", paged, "--resume"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^okta-connector: --resume: the interrupted sync run 1 was a --paged run, which cannot resume/);
  }, 120_000);

  it("says in --help that a new sync replaces the file's content", async () => {
    const result = await runCli(["sync", "--help"]);
    expect(result.code).toBe(0);
    // Commander wraps descriptions to the terminal width.
    const help = result.stdout.replace(/\s+/g, " ");
    expect(help).toContain("--out <file> Snapshot file to write (required). A new sync REPLACES the file's content; a file that is not a snapshot is refused");
    for (const flag of ["--connector <address>", "--resume", "--paged", "--auth-token-file <file>", "--batch-size <n>", "--max-retries <n>", "--json"]) expect(help).toContain(flag);
  });

  it("exits 1 with UNAVAILABLE when nothing answers and --max-retries 0 allows no retry, leaving a failed run", async () => {
    const path = join(dir, "unreachable.db");
    const result = await runCli(["sync", "--connector", NOWHERE, "--out", path, "--max-retries", "0"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^okta-connector: \[unavailable\] .*\(gave up after 1 attempts without progress; continue later with --resume\)$/m);
    expect(readLastRun(path)).toMatchObject({ status: "failed", last_cursor: null, batches: 0 });
  });
});

describe("sync with a connector that requires a bearer token", () => {
  let fake: FakeOkta;
  let connector: RunningConnector;

  beforeAll(async () => {
    writeFileSync(join(dir, "bearer"), "engine-bearer-0123456789abcdef\n");
    writeFileSync(join(dir, "wrong-bearer"), "not-the-bearer-0123456789\n");
    fake = await startFakeOkta({ seed: 43, users: 100 });
    connector = await startConnector(fake, { token: fake.tokens.super_admin, args: ["--auth-token-file", join(dir, "bearer")] });
  }, 120_000);

  afterAll(async () => {
    await connector?.stop();
    await fake?.close();
  });

  it("fails with UNAUTHENTICATED without retrying when the token is wrong, and syncs with the right one", async () => {
    const path = join(dir, "bearer.db");
    const wrong = await runCli(["sync", "--connector", connector.process.address, "--out", path, "--auth-token-file", join(dir, "wrong-bearer")]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^okta-connector: \[unauthenticated\] /m);
    expect(wrong.stderr).not.toMatch(/retry/);
    expect(wrong.stderr).not.toContain("not-the-bearer");

    const right = await runCli(["sync", "--connector", connector.process.address, "--out", path, "--auth-token-file", join(dir, "bearer"), "--json"]);
    expect(right.code, right.stderr).toBe(0);
    const report = JSON.parse(right.stdout) as { totals: { resources: number } };
    expect(report.totals.resources).toBe(rowCounts(path).resources);
    expect(report.totals.resources).toBeGreaterThan(100);
  }, 180_000);

  it("stops on SIGINT: the run is marked interrupted, the exit code is 130, and --resume completes it", async () => {
    const path = join(dir, "interrupted.db");
    const token = ["--auth-token-file", join(dir, "bearer")];
    const cli = startCli(["sync", "--connector", connector.process.address, "--out", path, ...token, "--batch-size", "5"]);
    await waitForBatches(path, 3, cli);
    cli.child.kill("SIGINT");
    const { code } = await cli.exited;
    expect(code).toBe(130);
    expect(cli.stderr()).toContain(`okta-connector: sync interrupted; continue with: okta-connector sync --resume --out ${path}`);
    const interrupted = readLastRun(path)!;
    expect(interrupted).toMatchObject({ status: "failed", error: "interrupted" });
    expect(interrupted.last_cursor).toBeTruthy();

    const resumed = await runCli(["sync", "--connector", connector.process.address, "--out", path, ...token, "--resume"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const run = readLastRun(path)!;
    const rows = rowCounts(path);
    expect(run).toMatchObject({ id: interrupted.id, status: "complete", sync_id: interrupted.sync_id });
    expect([run.received_resources, run.received_entitlements, run.received_grants]).toEqual([rows.resources, rows.entitlements, rows.grants]);
  }, 180_000);
});
