import { createClient } from "@connectrpc/connect";
import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserTraitSchema } from "../../gen/c1/connector/v2/annotation_trait_pb.js";
import { type Resource, ResourceGetterService } from "../../gen/c1/connector/v2/resource_pb.js";
import { createConnectorTransport } from "../../src/engine/connector-client.js";
import { CoverageReason, type SyncSummary } from "../../gen/oktaconnector/v1/stream_pb.js";
import { startFakeOkta, type FakeOkta, type GroundTruth } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { startConnector, syncOnce, type SyncFlags } from "../support/sync-helpers.js";
import { expectSyncToMatch } from "./support/compare-sync.js";
import { expectedSync } from "./support/expected-sync.js";

/**
 * --sync-mfa-status (issue 15 item 4): each synced user's UserTrait.mfa_status says whether it has an
 * ACTIVE factor, read with one `GET /api/v1/users/{id}/factors` per user (Okta has no bulk endpoint),
 * so a sync costs exactly one call per synced user more than without the flag. Users whose factors Okta
 * refuses keep no mfa_status, and the Sync summary's coverage says how many were read and how many not.
 */
const FACTORS_ROUTE = "GET /api/v1/users/{id}/factors";
let fake: FakeOkta;
let truth: GroundTruth;

beforeAll(async () => {
  await buildCliIfStale();
  // Okta's limits on a compressed minute (6-second windows): the factor reads wait for windows as on a
  // real org, without making the suite wait minutes.
  fake = await startFakeOkta({ seed: 27, users: 450, rateScale: 10 });
  truth = await fake.groundTruth();
}, 120_000);

afterAll(async () => {
  await fake?.close();
});

async function countedSync(token: string, flags: SyncFlags) {
  fake.resetStats();
  const synced = await syncOnce(fake, { token, flags });
  const stats = fake.stats();
  return { synced, calls: stats.totals.calls, factorCalls: stats.routes[FACTORS_ROUTE]?.calls ?? 0, throttled: stats.totals.throttled };
}

const mfaOf = (r: Resource) => anyUnpack(r.annotations.find((a) => a.typeUrl.endsWith("UserTrait"))!, UserTraitSchema)?.mfaStatus;

/** Runs one Sync stream; returns its users and its summary. */
async function streamSync(token: string, flags: SyncFlags): Promise<{ users: Resource[]; summary: SyncSummary }> {
  const connector = await startConnector(fake, { token, flags });
  try {
    const users: Resource[] = [];
    for await (const message of connector.clients.stream.sync({ batchSize: 200 })) {
      if (message.event.case === "batch") users.push(...message.event.value.resources.filter((r) => r.id?.resourceType === "user"));
      if (message.event.case === "summary") return { users, summary: message.event.value };
    }
    throw new Error("the Sync stream ended without a summary");
  } finally {
    await connector.stop();
  }
}

describe("--sync-mfa-status", { timeout: 180_000 }, () => {
  it("sets every user's mfa_status from its factors, at one factor call per synced user on top of the usual sync", async () => {
    const withActive = truth.users.filter((u) => u.factors.some((f) => f.status === "ACTIVE"));
    const pendingOnly = truth.users.filter((u) => u.factors.length > 0 && u.factors.every((f) => f.status !== "ACTIVE"));
    expect([withActive.length, pendingOnly.length]).toEqual([expect.any(Number), expect.any(Number)]);
    expect(pendingOnly.length).toBeGreaterThan(0);

    const usual = await countedSync(fake.tokens.super_admin, {});
    const withFlag = await countedSync(fake.tokens.super_admin, { syncMfaStatus: true });
    expectSyncToMatch(withFlag.synced, expectedSync(truth, { syncMfaStatus: true }));
    const syncedUsers = withFlag.synced.resources.filter((r) => r.id?.resourceType === "user").length;
    expect(syncedUsers).toBe(truth.users.filter((u) => u.status !== "DEPROVISIONED").length);
    expect(withFlag.factorCalls).toBe(syncedUsers);
    expect(withFlag.calls).toBe(usual.calls + syncedUsers);
    expect(withFlag.throttled).toBe(0);
    console.log(`--sync-mfa-status at ${truth.users.length} users: ${usual.calls} calls without the flag, ${withFlag.calls} with it (${withFlag.factorCalls} factor reads)`);
  });

  it("without the flag: no factor call, and no user carries mfa_status", async () => {
    const usual = await countedSync(fake.tokens.super_admin, {});
    expectSyncToMatch(usual.synced, expectedSync(truth, {}));
    expect(usual.factorCalls).toBe(0);
    expect(usual.synced.resources.filter((r) => r.id?.resourceType === "user" && mfaOf(r) !== undefined)).toEqual([]);
  });

  it("is readable by a read-only admin, and covers DEPROVISIONED users when they are synced", async () => {
    const { synced, factorCalls } = await countedSync(fake.tokens.read_only, { syncMfaStatus: true, syncDeprovisionedUsers: true });
    expectSyncToMatch(synced, expectedSync(truth, { syncMfaStatus: true, syncDeprovisionedUsers: true, rolesReadable: false }));
    expect(factorCalls).toBe(truth.users.length);
  });

  it("a targeted sync (GetResource) reads the user's factors too, so it holds what a full listing holds", async () => {
    const connector = await startConnector(fake, { token: fake.tokens.super_admin, flags: { syncMfaStatus: true } });
    try {
      const getter = createClient(ResourceGetterService, createConnectorTransport({ address: connector.process.address }));
      const pendingOnly = truth.users.find((u) => u.status === "ACTIVE" && u.factors.length > 0 && u.factors.every((f) => f.status !== "ACTIVE"))!;
      const active = truth.users.find((u) => u.status === "ACTIVE" && u.factors.some((f) => f.status === "ACTIVE"))!;
      const got = await Promise.all([pendingOnly, active].map(async (u) => (await getter.getResource({ resourceId: { resourceType: "user", resource: u.id } })).resource!));
      expect(got.map((r) => mfaOf(r)?.mfaEnabled)).toEqual([false, true]);
    } finally {
      await connector.stop();
    }
  });

  it("under tight rate limits the factor reads leave half the bucket: another API client of the org meets no 429, nor does the sync", async () => {
    // 200 calls a 5-second window in the bucket factor reads share with member and app-user listings,
    // and with every other client of the org: Okta's limits are per org.
    fake.setRateLimits({ scale: 12, overrides: { other: 200 } });
    const everyone = truth.groups.find((g) => g.type === "BUILT_IN")!.id;
    let syncing = true;
    const neighbour = { calls: 0, throttled: 0 };
    // About 40 calls a window, as a second integration polling the org would make.
    const poll = (async () => {
      while (syncing) {
        const res = await fetch(`${fake.url}/api/v1/groups/${everyone}/users?limit=1`, { headers: { Authorization: `SSWS ${fake.tokens.read_only}`, Accept: "application/json" } });
        await res.arrayBuffer();
        neighbour.calls++;
        if (res.status === 429) neighbour.throttled++;
        await new Promise((r) => setTimeout(r, 125));
      }
    })();
    try {
      const started = Date.now();
      const { synced, factorCalls } = await countedSync(fake.tokens.super_admin, { syncMfaStatus: true });
      syncing = false;
      await poll;
      expectSyncToMatch(synced, expectedSync(truth, { syncMfaStatus: true }));
      expect(neighbour.calls).toBeGreaterThan(50);
      expect(neighbour.throttled).toBe(0);
      expect(fake.stats().totals.throttled).toBe(0);
      console.log(`tight limits (other: 200 per 5 s): ${factorCalls} factor reads, sync took ${((Date.now() - started) / 1000).toFixed(1)} s; a neighbour made ${neighbour.calls} calls, ${neighbour.throttled} answered 429`);
    } finally {
      syncing = false;
      await poll;
      fake.setRateLimits({ scale: 10, overrides: { other: 1200 } });
    }
  });

  it("users whose factors Okta refuses keep no mfa_status, and the Sync summary's coverage says how many were read and how many not", async () => {
    const clean = await streamSync(fake.tokens.read_only, { syncMfaStatus: true });
    expect(clean.summary.coverage?.gaps.filter((g) => g.resourceTypeId === "user" && g.flag === "--sync-mfa-status")).toEqual([]);

    const refused = truth.users.filter((u) => u.status === "ACTIVE" && u.factors.some((f) => f.status === "ACTIVE")).slice(0, 3).map((u) => u.id);
    for (const id of refused) fake.org.factors.restrict(id);
    const { users, summary } = await streamSync(fake.tokens.read_only, { syncMfaStatus: true });
    const listed = truth.users.filter((u) => u.status !== "DEPROVISIONED").length;
    expect(users.length).toBe(listed);
    expect(users.filter((u) => mfaOf(u) === undefined).map((u) => u.id?.resource).sort()).toEqual([...refused].sort());
    const gaps = summary.coverage?.gaps.filter((g) => g.resourceTypeId === "user" && g.flag === "--sync-mfa-status") ?? [];
    expect(gaps.map((g) => [g.reason, g.detail])).toEqual([[
      CoverageReason.MISSING_PERMISSION,
      `MFA status read for ${listed - 3} of ${listed} users; 3 left without mfa_status: Okta refused 3 (403: the credential's admin role does not cover them)`,
    ]]);
    expect(summary.coverage?.complete).toBe(false);
    // A super admin's role covers every user.
    const whole = await streamSync(fake.tokens.super_admin, { syncMfaStatus: true });
    expect(whole.users.filter((u) => mfaOf(u) === undefined)).toEqual([]);
  });
});
