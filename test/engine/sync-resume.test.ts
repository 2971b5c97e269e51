import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOkta, startFakeOkta } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { type RunningConnector, startConnector } from "../support/sync-helpers.js";
import { expectSameSnapshot, readLastRun, rowCounts, runCli, startCli, waitForBatches, waitForStderr } from "./support/sync-cli.js";

/**
 * Interrupted syncs: the sync client killed mid-stream and resumed, the connector killed and
 * restarted under it, and Okta failing until the connector answers UNAVAILABLE. Each ends with a
 * snapshot identical to an uninterrupted one, and each item received exactly once.
 */
const BATCH = ["--batch-size", "50"];
/** Several syncs of 2,000 users per test, on a machine that may be busy. */
const LONG = 300_000;
let fake: FakeOkta;
let connector: RunningConnector;
let dir: string;
let reference: string;
let referenceBatches: number;

beforeAll(async () => {
  await buildCliIfStale();
  dir = mkdtempSync(join(tmpdir(), "engine-resume-"));
  fake = await startFakeOkta({ seed: 23, users: 2_000 });
  connector = await startConnector(fake, { token: fake.tokens.super_admin });
  reference = join(dir, "reference.db");
  const result = await runCli(["sync", "--connector", connector.process.address, "--out", reference, ...BATCH]);
  expect(result.code, result.stderr).toBe(0);
  referenceBatches = readLastRun(reference)!.batches;
}, 240_000);

afterAll(async () => {
  fake?.setFaults({ errorRate: 0 });
  await connector?.stop();
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Asserts the run stored each item once: what it received equals the rows, and the connector's counts too. */
function expectReceivedOnce(path: string): void {
  const run = readLastRun(path)!;
  const rows = rowCounts(path);
  expect(run.status).toBe("complete");
  expect({ resources: run.received_resources, entitlements: run.received_entitlements, grants: run.received_grants }).toEqual({
    resources: rows.resources,
    entitlements: rows.entitlements,
    grants: rows.grants,
  });
  const summary = JSON.parse(run.summary!) as { totals: object };
  expect(summary.totals).toEqual({ resources: rows.resources, entitlements: rows.entitlements, grants: rows.grants });
}

describe("resuming a sync", () => {
  it("killed three times (SIGKILL) mid-stream and resumed with --resume, equals an uninterrupted sync", async () => {
    expect(referenceBatches).toBeGreaterThan(100);
    const path = join(dir, "cut.db");
    const cuts = [0.1, 0.45, 0.8].map((share) => Math.floor(referenceBatches * share));
    let syncId: string | null = null;
    for (const [i, cut] of cuts.entries()) {
      const cli = startCli(["sync", "--connector", connector.process.address, "--out", path, ...BATCH, ...(i === 0 ? [] : ["--resume"])]);
      await waitForBatches(path, cut, cli);
      cli.child.kill("SIGKILL");
      await cli.exited;
      const run = readLastRun(path)!;
      expect(run.status).toBe("running");
      expect(run.batches).toBeGreaterThanOrEqual(cut);
      syncId ??= run.sync_id;
      expect(run.sync_id).toBe(syncId);
    }
    const result = await runCli(["sync", "--connector", connector.process.address, "--out", path, ...BATCH, "--resume"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^sync: resuming run 1$/m);
    expectSameSnapshot(reference, path);
    expectReceivedOnce(path);
    expect(readLastRun(path)!.sync_id).toBe(syncId);
  }, LONG);

  it("survives the connector being killed and restarted mid-sync, retrying UNAVAILABLE from its last stored batch", async () => {
    const own = await startConnector(fake, { token: fake.tokens.super_admin });
    const port = own.process.port!;
    const path = join(dir, "restart.db");
    const cli = startCli(["sync", "--connector", `127.0.0.1:${port}`, "--out", path, ...BATCH]);
    let restarted: RunningConnector | undefined;
    try {
      await waitForBatches(path, Math.floor(referenceBatches / 3), cli);
      own.process.child.kill("SIGKILL");
      await own.process.exited;
      restarted = await startConnector(fake, { token: fake.tokens.super_admin, args: ["--listen", `127.0.0.1:${port}`] });
      const { code } = await cli.exited;
      expect(code, cli.stderr()).toBe(0);
    } finally {
      cli.child.kill("SIGKILL");
      await restarted?.stop();
    }
    expect(cli.stderr()).toMatch(/^sync: connector unavailable \(.*\); retry 1\/8 in .* from the last stored batch$/m);
    expectSameSnapshot(reference, path);
    expectReceivedOnce(path);
  }, LONG);

  it("retries while Okta fails and the connector answers UNAVAILABLE, then completes once Okta recovers", async () => {
    const path = join(dir, "faults.db");
    const cli = startCli(["sync", "--connector", connector.process.address, "--out", path, ...BATCH]);
    try {
      await waitForBatches(path, Math.floor(referenceBatches / 4), cli);
      fake.setFaults({ errorRate: 1 });
      await waitForStderr(cli, /connector unavailable \(\[unavailable\] .*\); retry 1\/8/);
      fake.setFaults({ errorRate: 0 });
      const { code } = await cli.exited;
      expect(code, cli.stderr()).toBe(0);
    } finally {
      fake.setFaults({ errorRate: 0 });
      cli.child.kill("SIGKILL");
    }
    expectSameSnapshot(reference, path);
    expectReceivedOnce(path);
    const summary = JSON.parse(readLastRun(path)!.summary!) as { retries: number };
    expect(summary.retries).toBeGreaterThanOrEqual(1);
  }, LONG);

  it("gives up after --max-retries attempts without progress, exits 1 with the reason, and --resume later completes", async () => {
    const own = await startConnector(fake, { token: fake.tokens.super_admin });
    const port = own.process.port!;
    const path = join(dir, "give-up.db");
    const cli = startCli(["sync", "--connector", `127.0.0.1:${port}`, "--out", path, ...BATCH, "--max-retries", "2"]);
    try {
      await waitForBatches(path, Math.floor(referenceBatches / 2), cli);
      own.process.child.kill("SIGKILL");
      const { code } = await cli.exited;
      expect(code).toBe(1);
    } finally {
      cli.child.kill("SIGKILL");
      await own.process.exited;
    }
    expect(cli.stderr()).toMatch(/^okta-connector: \[unavailable\] .*\(gave up after 3 attempts without progress; continue later with --resume\)$/m);
    const failed = readLastRun(path)!;
    expect(failed.status).toBe("failed");
    expect(failed.last_cursor).toBeTruthy();

    const again = await startConnector(fake, { token: fake.tokens.super_admin });
    try {
      const result = await runCli(["sync", "--connector", again.process.address, "--out", path, ...BATCH, "--resume"]);
      expect(result.code, result.stderr).toBe(0);
    } finally {
      await again.stop();
    }
    expectSameSnapshot(reference, path);
    expectReceivedOnce(path);
  }, LONG);
});
