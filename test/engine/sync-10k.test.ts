import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOkta, startFakeOkta } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { type RunningConnector, startConnector } from "../support/sync-helpers.js";
import { expectSameSnapshot, queryColumn, readLastRun, runCli } from "./support/sync-cli.js";

/**
 * Issue 5's comparison at full size: a 10,000-user org synced over the Sync stream and over the paged
 * RPCs gives the same snapshot, byte for byte, and holds the ground truth's users and memberships.
 */
let fake: FakeOkta;
let connector: RunningConnector;
let dir: string;

beforeAll(async () => {
  await buildCliIfStale();
  dir = mkdtempSync(join(tmpdir(), "engine-10k-"));
  fake = await startFakeOkta({ seed: 51, users: 10_000 });
  connector = await startConnector(fake, { token: fake.tokens.super_admin });
}, 120_000);

afterAll(async () => {
  await connector?.stop();
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("a 10,000-user org", () => {
  it("stores the same snapshot over Sync as over the paged RPCs, holding every synced user and membership", async () => {
    const streamed = join(dir, "stream.db");
    const paged = join(dir, "paged.db");
    const stream = await runCli(["sync", "--connector", connector.process.address, "--out", streamed, "--json"], { timeoutMs: 600_000 });
    expect(stream.code, stream.stderr).toBe(0);
    const page = await runCli(["sync", "--connector", connector.process.address, "--out", paged, "--paged", "--json"], { timeoutMs: 600_000 });
    expect(page.code, page.stderr).toBe(0);

    const counts = expectSameSnapshot(streamed, paged);
    const truth = await fake.groundTruth();
    const users = truth.users.filter((u) => u.status !== "DEPROVISIONED").map((u) => u.id);
    expect(queryColumn(streamed, "SELECT resource_id FROM resources WHERE resource_type = 'user' ORDER BY 1")).toEqual([...users].sort());
    const synced = new Set(users);
    const memberships = truth.groups.reduce((n, g) => n + g.memberIds.filter((u) => synced.has(u)).length, 0);
    expect(queryColumn(streamed, "SELECT count(*) FROM grants WHERE entitlement_id LIKE 'group:%:member'")).toEqual([memberships]);

    const run = readLastRun(streamed)!;
    expect([run.received_resources, run.received_entitlements, run.received_grants]).toEqual([counts.resources, counts.entitlements, counts.grants]);
    const report = JSON.parse(stream.stdout) as { durationMs: number; oktaCalls: number; totals: { grants: number } };
    const pagedReport = JSON.parse(page.stdout) as { durationMs: number; rpcCalls: number };
    console.log(
      `10,000 users: ${counts.resources} resources, ${counts.entitlements} entitlements, ${counts.grants} grants; ` +
        `stream ${report.durationMs} ms (${report.oktaCalls} Okta calls, ${run.batches} batches), paged ${pagedReport.durationMs} ms (${pagedReport.rpcCalls} gRPC calls)`,
    );
  }, 1_200_000);
});
