import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOkta, type FakeOkta, type GroundTruth } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { syncOnce } from "../support/sync-helpers.js";
import { expectSyncToMatch } from "./support/compare-sync.js";
import { BATON_OKTA_ROLE_TYPES, expectedSync } from "./support/expected-sync.js";

/**
 * The group, app and custom-role flags on the simulator's default org, and a sync of an empty org.
 * Each sync must match the ground truth under its flags, and each flag must change what is synced.
 */
let fake: FakeOkta;
let truth: GroundTruth;

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta();
  truth = await fake.groundTruth();
}, 120_000);

afterAll(async () => {
  await fake?.close();
});

const token = () => fake.tokens.super_admin;

describe("group and app flags", { timeout: 120_000 }, () => {
  it("--skip-app-groups leaves out APP_GROUP groups and every grant naming them", async () => {
    const appGroups = truth.groups.filter((g) => g.type === "APP_GROUP");
    expect(appGroups.length).toBeGreaterThan(0);
    const synced = await syncOnce(fake, { token: token(), flags: { skipAppGroups: true } });
    expectSyncToMatch(synced, expectedSync(truth, { skipAppGroups: true }));
    const skipped = new Set(appGroups.map((g) => g.id));
    expect(synced.resources.filter((r) => skipped.has(r.id?.resource ?? ""))).toEqual([]);
  });

  for (const [flag, flags] of [
    ["--skip-inactive-apps", { skipInactiveApps: true }],
    ["--sync-inactive-apps=false", { syncInactiveAppsFalse: true }],
  ] as const) {
    it(`${flag} syncs only ACTIVE apps`, async () => {
      expect(truth.apps.some((a) => a.status !== "ACTIVE")).toBe(true);
      const synced = await syncOnce(fake, { token: token(), flags });
      expectSyncToMatch(synced, expectedSync(truth, { syncInactiveApps: false }));
    });
  }

  it("without --sync-custom-roles: no custom-role, resource-set or binding types, nor custom-role grants to groups", async () => {
    const synced = await syncOnce(fake, { token: token() });
    expectSyncToMatch(synced, expectedSync(truth, {}));
    expect(synced.resourceTypes.map((t) => t.id).sort()).toEqual(["app", "group", "group-rule", "role", "service-app", "user"]);
    expect(synced.grants.filter((g) => g.entitlementId.startsWith("custom-role:"))).toEqual([]);
  });
});

describe("an empty org", { timeout: 120_000 }, () => {
  it("syncs to no users, apps or grants, the Everyone group, and the standard role resources", async () => {
    const empty = await startFakeOkta({ empty: true, seed: 9 });
    try {
      const emptyTruth = await empty.groundTruth();
      expect(emptyTruth.users).toEqual([]);
      const synced = await syncOnce(empty, { token: empty.tokens.super_admin, flags: { syncCustomRoles: true } });
      expectSyncToMatch(synced, expectedSync(emptyTruth, { syncCustomRoles: true }));
      const count = (type: string) => synced.resources.filter((r) => r.id?.resourceType === type).length;
      expect([count("user"), count("group"), count("app"), count("role")]).toEqual([0, 1, 0, BATON_OKTA_ROLE_TYPES.length]);
      expect(synced.grants).toEqual([]);
    } finally {
      await empty.close();
    }
  });
});
