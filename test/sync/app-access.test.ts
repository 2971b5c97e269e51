import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOkta, type FakeOkta, type GroundTruth } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { MAX_PAGE, minimumOktaCalls } from "../support/minimum-calls.js";
import { syncOnce, type SyncFlags } from "../support/sync-helpers.js";
import { appAccessAfterExpansion, appAccessDiff, oktaAppAccess } from "./support/app-access.js";
import { expectSyncToMatch } from "./support/compare-sync.js";
import { expectedSync, passesEmailFilter } from "./support/expected-sync.js";

/**
 * Issue 13 item 1: under every flag combination and admin level, the `app:{id}:access` user grants an
 * engine holds after baton-sdk's expansion are exactly Okta's app users (both scopes) for the users
 * the sync holds, and group-derived access names its groups while direct access names itself. The
 * default org holds DEPROVISIONED members of groups assigned to apps, whom Okta never lists as app
 * users, so an expansion over them would invent access.
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

type Level = "super_admin" | "app_group_admin" | "read_only";

/** A domain only secondary emails use, so the filter keeps a minority of users. */
function secondaryDomain(): string {
  const primary = new Set(truth.users.map((u) => u.email?.split("@")[1]));
  const domains = truth.users.map((u) => u.secondEmail?.split("@")[1]).filter((d): d is string => d !== undefined && !primary.has(d));
  return domains.sort()[0]!;
}

const CASES: readonly [Level, SyncFlags][] = [
  ["super_admin", {}],
  ["super_admin", { syncDeprovisionedUsers: true }],
  ["super_admin", { skipAppGroups: true }],
  ["super_admin", { syncDeprovisionedUsers: true, skipAppGroups: true }],
  ["super_admin", { syncDeprovisionedUsers: true, skipInactiveApps: true, syncCustomRoles: true }],
  ["super_admin", { skipAppGroups: true, skipInactiveApps: true }],
  ["app_group_admin", {}],
  ["app_group_admin", { syncDeprovisionedUsers: true }],
  ["read_only", {}],
  ["read_only", { syncDeprovisionedUsers: true, skipAppGroups: true }],
];

describe("app access after expansion equals Okta's app users", { timeout: 120_000 }, () => {
  it("the org holds DEPROVISIONED members of assigned OKTA_GROUPs and of Everyone", () => {
    const deprovisioned = new Set(truth.users.filter((u) => u.status === "DEPROVISIONED").map((u) => u.id));
    const groups = new Map(truth.groups.map((g) => [g.id, g]));
    const assigned = truth.apps.flatMap((a) => a.groups.map((x) => groups.get(x.groupId)!));
    const held = (type: string) => assigned.filter((g) => g.type === type && g.memberIds.some((m) => deprovisioned.has(m))).length;
    expect(held("OKTA_GROUP")).toBeGreaterThan(0);
    expect(held("BUILT_IN")).toBeGreaterThan(0);
    expect(truth.apps.some((a) => a.users.some((u) => deprovisioned.has(u.userId)))).toBe(false);
  });

  for (const [level, flags] of CASES) {
    it(`${level} ${JSON.stringify(flags)}`, async () => {
      const synced = await syncOnce(fake, { token: fake.tokens[level], flags });
      const got = appAccessAfterExpansion(synced);
      const want = oktaAppAccess(truth, synced);
      expect(want.size).toBeGreaterThan(0);
      expect(appAccessDiff(got, want)).toMatchObject({ missing: 0, extra: 0, wrongSources: 0 });
      if (level === "super_admin") {
        expectSyncToMatch(synced, expectedSync(truth, { ...flags, syncInactiveApps: !flags.skipInactiveApps, syncCustomRoles: flags.syncCustomRoles ?? false }));
      }
    });
  }

  it(`--filter-email-domains with --sync-deprovisioned-users`, async () => {
    const domain = secondaryDomain();
    const synced = await syncOnce(fake, { token: fake.tokens.super_admin, flags: { syncDeprovisionedUsers: true, filterEmailDomains: [domain] } });
    const want = oktaAppAccess(truth, synced);
    expect([...want.keys()].every((id) => passesEmailFilter(truth.users.find((u) => id.endsWith(`:user:${u.id}`))!, [domain]))).toBe(true);
    expect(appAccessDiff(appAccessAfterExpansion(synced), want)).toMatchObject({ missing: 0, extra: 0, wrongSources: 0 });
    expectSyncToMatch(synced, expectedSync(truth, { syncDeprovisionedUsers: true, filterEmailDomains: [domain] }));
  });

  it("attributing access costs calls per assigned group, never per user", async () => {
    fake.resetStats();
    await syncOnce(fake, { token: fake.tokens.super_admin, flags: { syncDeprovisionedUsers: true } });
    const calls = (route: string) => fake.stats().routes[route]?.calls ?? 0;
    const groups = new Map(truth.groups.map((g) => [g.id, g]));
    // Each app lists the members of its assigned groups once, except BUILT_IN ones (Everyone holds every user).
    const attribution = truth.apps
      .flatMap((a) => a.groups.map((x) => groups.get(x.groupId)!))
      .filter((g) => g.type !== "BUILT_IN")
      .reduce((n, g) => n + Math.max(1, Math.ceil(g.memberIds.length / MAX_PAGE.groupMembers)), 0);
    expect(attribution).toBeGreaterThan(0);
    expect(Object.keys(fake.stats().routes).filter((r) => /^GET \/api\/v1\/users\/\{\w+\}\/groups$/.test(r))).toEqual([]);
    expect(calls("GET /api/v1/groups/{groupId}/users")).toBe(minimumOktaCalls(truth).byListing.groupMembers + attribution);
    // The groups phase reads each app's assignments once and the attribution once more.
    expect(calls("GET /api/v1/apps/{appId}/groups")).toBe(2 * minimumOktaCalls(truth).byListing.appGroups);
  });
});
