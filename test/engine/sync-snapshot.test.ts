import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOkta, type GroundTruth, startFakeOkta } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { type RunningConnector, startConnector } from "../support/sync-helpers.js";
import { expectSameSnapshot, queryColumn, readLastRun, rowCounts, runCli } from "./support/sync-cli.js";

/**
 * `okta-connector sync` against a real connector process on a 2,000-user simulated org: the Sync
 * stream and the paged RPCs store the same snapshot, byte for byte, and the summary agrees with it.
 */
let fake: FakeOkta;
let truth: GroundTruth;
let connector: RunningConnector;
let dir: string;
let streamed: { code: number | null; stdout: string; stderr: string };
let paged: { code: number | null; stdout: string; stderr: string };

beforeAll(async () => {
  await buildCliIfStale();
  dir = mkdtempSync(join(tmpdir(), "engine-sync-"));
  fake = await startFakeOkta({ seed: 21, users: 2_000 });
  truth = await fake.groundTruth();
  connector = await startConnector(fake, { token: fake.tokens.super_admin });
  const address = connector.process.address;
  streamed = await runCli(["sync", "--connector", address, "--out", join(dir, "stream.db")]);
  paged = await runCli(["sync", "--connector", address, "--out", join(dir, "paged.db"), "--paged", "--json"]);
}, 480_000);

afterAll(async () => {
  await connector?.stop();
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("sync of a 2,000-user org into a snapshot", () => {
  it("stores the same rows and bytes over the Sync stream as over the paged RPCs", () => {
    expect(streamed.code, streamed.stderr).toBe(0);
    expect(paged.code, paged.stderr).toBe(0);
    const counts = expectSameSnapshot(join(dir, "stream.db"), join(dir, "paged.db"));
    expect(counts.resources).toBeGreaterThan(1_900);
    expect(counts.grants).toBeGreaterThan(8_000);
  });

  it("holds every user the connector syncs by default, and every group membership of them", () => {
    const path = join(dir, "stream.db");
    const expectedUsers = truth.users.filter((u) => u.status !== "DEPROVISIONED").map((u) => u.id).sort();
    expect(queryColumn(path, "SELECT resource_id FROM resources WHERE resource_type = 'user' ORDER BY 1")).toEqual(expectedUsers);
    const synced = new Set(expectedUsers);
    const memberships = truth.groups.flatMap((g) => g.memberIds.filter((u) => synced.has(u)).map((u) => `group:${g.id}:member:user:${u}`)).sort();
    expect(queryColumn(path, "SELECT id FROM grants WHERE entitlement_id LIKE 'group:%:member' ORDER BY 1")).toEqual(memberships);
  });

  it("records a complete stream run whose summary counts equal the rows, each item received once", () => {
    const path = join(dir, "stream.db");
    const run = readLastRun(path)!;
    const rows = rowCounts(path);
    expect(run).toMatchObject({ status: "complete", mode: "stream", error: null });
    expect(run.last_cursor).not.toBe("");
    expect([run.received_resources, run.received_entitlements, run.received_grants]).toEqual([rows.resources, rows.entitlements, rows.grants]);
    const summary = JSON.parse(run.summary!) as { syncId: string; totals: object; stored: object; oktaCalls: number; coverage: { gaps: { flag?: string }[] } };
    expect(summary.syncId).toBe(run.sync_id);
    expect(summary.totals).toEqual({ resources: rows.resources, entitlements: rows.entitlements, grants: rows.grants });
    expect(summary.stored).toEqual(summary.totals);
    expect(summary.oktaCalls).toBeGreaterThan(0);
    // Custom roles are off by default, and the summary says which flag turns them on.
    expect(summary.coverage.gaps.some((g) => g.flag === "--sync-custom-roles")).toBe(true);
  });

  it("prints the summary as a table on stdout, and plain progress lines on stderr when it is not a terminal", () => {
    const rows = rowCounts(join(dir, "stream.db"));
    expect(streamed.stdout).toMatch(/^\s+resource type\s+resources\s+entitlements\s+grants$/m);
    expect(streamed.stdout).toMatch(new RegExp(`^\\s+total\\s+${rows.resources.toLocaleString("en-US")}\\s+${rows.entitlements.toLocaleString("en-US")}\\s+${rows.grants.toLocaleString("en-US")}$`, "m"));
    expect(streamed.stdout).toMatch(/^Okta calls\s+[\d,]+ \(0 answered 429\)$/m);
    expect(streamed.stdout).toMatch(/^Coverage: .*\n.*resource type\s+scope\s+reason\s+needs\s+detail/m);
    expect(streamed.stdout).toMatch(/custom-role\s+resources\s+disabled-by-flag\s+flag --sync-custom-roles/);
    expect(streamed.stderr).toMatch(/^sync: starting run 1$/m);
    expect(streamed.stderr).toMatch(/^sync: user resources: [\d,]+ resources, .* Okta calls, [\d,]+ batches$/m);
    expect(streamed.stderr).not.toMatch(/\x1b\[/);
  });

  it("prints the paged run's summary as JSON with --json, counted from the snapshot", () => {
    const report = JSON.parse(paged.stdout) as { mode: string; totals: object; rpcCalls: number; coverage?: unknown };
    const rows = rowCounts(join(dir, "paged.db"));
    expect(report.mode).toBe("paged");
    expect(report.totals).toEqual({ resources: rows.resources, entitlements: rows.entitlements, grants: rows.grants });
    expect(report.rpcCalls).toBeGreaterThan(rows.resources / 200);
    expect(report.coverage).toBeUndefined();
  });

  it("does nothing but print the stored summary when --resume finds the last sync complete", async () => {
    const path = join(dir, "stream.db");
    const before = readLastRun(path)!;
    const result = await runCli(["sync", "--connector", connector.process.address, "--out", path, "--resume", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("already completed; nothing to resume");
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(before.summary!));
    expect(readLastRun(path)).toEqual(before);
  });
});
