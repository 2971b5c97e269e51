import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code } from "@connectrpc/connect";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeOkta, startFakeOkta } from "../fake-okta/index.js";
import { type CliRun, expectSameSnapshot, readLastRun, runCli, startCli, waitForBatches } from "../engine/support/sync-cli.js";
import { failureOf } from "../provisioning/support/provisioning-connector.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { type RunningConnector, startConnector } from "../support/sync-helpers.js";
import { clearFaults, documentedMatrix, EPISODE_FAULTS, STEADY_FAULTS, type SyncOutcome } from "./support/fault-matrix.js";

/**
 * The sync half of the fault matrix (docs/reliability.md): each fault is switched on in the simulated
 * org, a streamed and a paged sync run side by side through the real CLI, and each snapshot must
 * equal the clean one row for row and byte for byte. Whether the engine saw UNAVAILABLE (and resumed)
 * is read from the run's retry count and must fit the row's documented outcome.
 */
const LONG = 300_000;
const STREAM = ["--batch-size", "25", "--json"];
let fake: FakeOkta;
let connector: RunningConnector;
let dir: string;
const reference = { stream: "", paged: "" };
/** Okta calls of the clean pair of syncs. */
let cleanCalls = 0;

beforeAll(async () => {
  await buildCliIfStale();
  dir = mkdtempSync(join(tmpdir(), "fault-matrix-"));
  fake = await startFakeOkta({ seed: 47, users: 150 });
  connector = await startConnector(fake, { token: fake.tokens.super_admin, flags: { syncCustomRoles: true } });
  reference.stream = join(dir, "clean-stream.db");
  reference.paged = join(dir, "clean-paged.db");
  fake.resetStats();
  const [stream, paged] = await Promise.all([sync(reference.stream, STREAM), sync(reference.paged, ["--paged", "--json"])]);
  cleanCalls = fake.stats().totals.calls;
  expect(stream.code, stream.stderr).toBe(0);
  expect(paged.code, paged.stderr).toBe(0);
  expect(stream.retries + paged.retries).toBe(0);
}, LONG);

afterEach(() => clearFaults(fake));

afterAll(async () => {
  if (fake) clearFaults(fake);
  await connector?.stop();
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface SyncRun {
  readonly code: number | null;
  readonly stderr: string;
  /** Times the engine saw UNAVAILABLE and tried again (the report's `retries`). */
  readonly retries: number;
}

async function sync(out: string, args: readonly string[]): Promise<SyncRun> {
  return syncRunOf(await runCli(["sync", "--connector", connector.process.address, "--out", out, ...args], { timeoutMs: LONG }));
}

/** A finished `sync --json`, with the report's retry count (-1 when it failed). */
function syncRunOf(result: { code: number | null; stdout: string; stderr: string }): SyncRun {
  const retries = result.code === 0 ? (JSON.parse(result.stdout) as { retries: number }).retries : -1;
  return { code: result.code, stderr: result.stderr, retries };
}

/** Waits for a sync started with startCli. */
async function finished(cli: CliRun): Promise<SyncRun> {
  const { code } = await cli.exited;
  return syncRunOf({ code, stdout: cli.stdout(), stderr: cli.stderr() });
}

/** Asserts a finished run against its row's outcome and the clean snapshot. */
function expectOutcome(run: SyncRun, outcome: SyncOutcome, out: string, clean: string): void {
  expect(run.code, run.stderr).toBe(0);
  if (outcome === "absorbed") expect(run.retries, run.stderr).toBe(0);
  if (outcome === "resumed") {
    expect(run.retries).toBeGreaterThanOrEqual(1);
    expect(run.stderr).toMatch(/connector unavailable \(\[unavailable\] .+\); retry 1\//);
  }
  expect(readLastRun(out)!.status).toBe("complete");
  expectSameSnapshot(clean, out);
}

describe("a sync under each steady Okta fault equals the clean sync", () => {
  it.each(STEADY_FAULTS.map((row) => [row.name, row] as const))("%s", async (_name, row) => {
    row.apply(fake);
    fake.resetStats();
    const file = row.name.replace(/[^a-z0-9]+/gi, "-");
    const outs = { stream: join(dir, `${file}-stream.db`), paged: join(dir, `${file}-paged.db`) };
    const [stream, paged] = await Promise.all([sync(outs.stream, STREAM), sync(outs.paged, ["--paged", "--json"])]);
    const totals = fake.stats().totals;
    clearFaults(fake);
    expectOutcome(stream, row.stream, outs.stream, reference.stream);
    expectOutcome(paged, row.paged, outs.paged, reference.paged);
    // The fault really happened: it cost retries (pure latency and lag cost none).
    if (!/latency|search lag/.test(row.name)) expect(totals.calls, JSON.stringify(totals.statuses)).toBeGreaterThan(cleanCalls);
  }, LONG);
});

describe("fault episodes", () => {
  it("a 429 burst longer than the connector's own retries: the stream answers UNAVAILABLE, the engine resumes, the result equals the clean sync", async () => {
    const outs = { stream: join(dir, "burst-stream.db"), paged: join(dir, "burst-paged.db") };
    const streamCli = startCli(["sync", "--connector", connector.process.address, "--out", outs.stream, ...STREAM]);
    await waitForBatches(outs.stream, 3, streamCli);
    const paged = sync(outs.paged, ["--paged", "--json"]);
    fake.setFaults({ stormRate: 1 });
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    fake.setFaults({ stormRate: 0 });
    const stream = await finished(streamCli);
    expectOutcome(stream, "resumed", outs.stream, reference.stream);
    // The connector passes Okta's rate-limit state on: the message says it was rate limited.
    expect(stream.stderr).toMatch(/connector unavailable \(\[unavailable\] [^)]*(rate|429)[^)]*\)/i);
    expectOutcome(await paged, "absorbed or resumed", outs.paged, reference.paged);
  }, LONG);

  it("Okta down until the engine gives up: the sync exits 1 with the cause and a stored cursor, and --resume completes it equal to the clean sync", async () => {
    const out = join(dir, "outage-stream.db");
    const cli = startCli(["sync", "--connector", connector.process.address, "--out", out, ...STREAM, "--max-retries", "0"]);
    await waitForBatches(out, 3, cli);
    fake.setFaults({ errorRate: 1 });
    const { code } = await cli.exited;
    expect(code).toBe(1);
    expect(cli.stderr()).toMatch(/^okta-connector: \[unavailable\] HTTP 50[023] .*\(gave up after 6 attempts\); resume with the last resume_cursor received .*continue later with --resume\)$/m);
    const failed = readLastRun(out)!;
    expect(failed.status).toBe("failed");
    expect(failed.last_cursor).toBeTruthy();
    clearFaults(fake);
    const resumed = await runCli(["sync", "--connector", connector.process.address, "--out", out, ...STREAM, "--resume"], { timeoutMs: LONG });
    expect(resumed.code, resumed.stderr).toBe(0);
    expectSameSnapshot(reference.stream, out);
  }, LONG);

  it("Okta down under the paged RPCs: the page answers UNAVAILABLE naming the cause, and the same page token later returns the same page", async () => {
    // Okta pages users 200 at a time, so this needs an org with more than one page of them.
    const big = await startFakeOkta({ seed: 47, users: 450 });
    const own = await startConnector(big, { token: big.tokens.super_admin });
    try {
      const clients = own.clients;
      const first = await clients.resources.listResources({ resourceTypeId: "user" });
      expect(first.nextPageToken).not.toBe("");
      const clean = await clients.resources.listResources({ resourceTypeId: "user", pageToken: first.nextPageToken });
      big.setFaults({ errorRate: 1 });
      const failure = await failureOf(clients.resources.listResources({ resourceTypeId: "user", pageToken: first.nextPageToken }));
      expect(failure.code).toBe(Code.Unavailable);
      expect(failure.rawMessage).toMatch(/^HTTP 50[023] .*\(gave up after 6 attempts\)/);
      clearFaults(big);
      const again = await clients.resources.listResources({ resourceTypeId: "user", pageToken: first.nextPageToken });
      expect(again.list.map((r) => r.id?.resource)).toEqual(clean.list.map((r) => r.id?.resource));
      expect(again.nextPageToken).toBe(clean.nextPageToken);
    } finally {
      await own.stop();
      await big.close();
    }
  }, LONG);

  it("a 60-second pause of the whole org mid-sync: both syncs wait it out and equal the clean sync", async () => {
    const outs = { stream: join(dir, "pause-stream.db"), paged: join(dir, "pause-paged.db") };
    const streamCli = startCli(["sync", "--connector", connector.process.address, "--out", outs.stream, ...STREAM]);
    await waitForBatches(outs.stream, 3, streamCli);
    const paged = sync(outs.paged, ["--paged", "--json"]);
    fake.setFaults({ paused: true });
    const pausedAt = fake.requestLog().length;
    await new Promise((resolve) => setTimeout(resolve, 60_000));
    // Nothing was answered while paused.
    expect(fake.requestLog().length).toBe(pausedAt);
    fake.setFaults({ paused: false });
    const stream = await finished(streamCli);
    expectOutcome(stream, "absorbed or resumed", outs.stream, reference.stream);
    expectOutcome(await paged, "absorbed or resumed", outs.paged, reference.paged);
  }, LONG);
});

describe("docs/reliability.md", () => {
  it("states each row's outcome as the tests assert it", () => {
    const documented = documentedMatrix();
    for (const row of [...STEADY_FAULTS, ...EPISODE_FAULTS]) {
      expect(documented.get(row.name), `docs/reliability.md has no row "${row.name}"`).toEqual([row.setting, row.stream, row.paged, row.provisioning]);
    }
    expect(documented.size).toBe(STEADY_FAULTS.length + EPISODE_FAULTS.length);
  });
});
