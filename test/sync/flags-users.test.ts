import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserTraitSchema } from "../../gen/c1/connector/v2/annotation_trait_pb.js";
import { startFakeOkta, type FakeOkta, type GroundTruth } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { syncOnce } from "../support/sync-helpers.js";
import { expectSyncToMatch, unpackFirst } from "./support/compare-sync.js";
import { expectedSync, passesEmailFilter } from "./support/expected-sync.js";

/**
 * The user flags, each on the simulator's default org (200 users): the whole sync must match the
 * ground truth under the flag, and the flag must change what is synced.
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

describe("user flags", { timeout: 120_000 }, () => {
  it("--sync-deprovisioned-users adds DEPROVISIONED users (disabled) and their memberships", async () => {
    const expected = expectedSync(truth, { syncDeprovisionedUsers: true });
    const deprovisioned = truth.users.filter((u) => u.status === "DEPROVISIONED");
    expect(deprovisioned.length).toBeGreaterThan(0);
    expect(expected.users.size).toBe(truth.users.length);

    const synced = await syncOnce(fake, { token: token(), flags: { syncDeprovisionedUsers: true } });
    expectSyncToMatch(synced, expected);
    const ids = new Set(deprovisioned.map((u) => u.id));
    const memberships = synced.grants.filter((g) => g.principalType === "user" && ids.has(g.principalId) && g.entitlementId.startsWith("group:"));
    expect(memberships.length).toBe(truth.groups.reduce((n, g) => n + g.memberIds.filter((m) => ids.has(m)).length, 0));
  });

  it("--skip-secondary-emails keeps only the primary email and nulls profile.secondEmail", async () => {
    const expected = expectedSync(truth, { skipSecondaryEmails: true });
    const withSecond = truth.users.filter((u) => u.secondEmail !== null && u.status !== "DEPROVISIONED");
    expect(withSecond.length).toBeGreaterThan(0);

    const synced = await syncOnce(fake, { token: token(), flags: { skipSecondaryEmails: true } });
    expectSyncToMatch(synced, expected);
    const user = synced.resources.find((r) => r.id?.resource === withSecond[0]!.id)!;
    expect(unpackFirst(user.annotations, UserTraitSchema)?.emails.map((e) => e.address)).toEqual([withSecond[0]!.email]);
    expect(user.profile?.["secondEmail"]).toBeNull();
  });

  it("--filter-email-domains keeps users with an email, secondEmail or login in the domain, and only their grants", async () => {
    // A domain only secondary emails use, written in capitals: matching is by any address, case-insensitively.
    const primary = new Set(truth.users.map((u) => u.email?.split("@")[1]).filter((d) => d !== undefined));
    const counts = new Map<string, number>();
    for (const u of truth.users) {
      const domain = u.secondEmail?.split("@")[1];
      if (domain && !primary.has(domain)) counts.set(domain, (counts.get(domain) ?? 0) + 1);
    }
    const domain = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
    const expected = expectedSync(truth, { filterEmailDomains: [domain], syncCustomRoles: true });
    expect(expected.users.size).toBeGreaterThan(0);
    expect(expected.users.size).toBeLessThan(truth.users.length / 2);
    expect([...expected.users.keys()].every((id) => passesEmailFilter(truth.users.find((u) => u.id === id)!, [domain]))).toBe(true);

    const synced = await syncOnce(fake, { token: token(), flags: { filterEmailDomains: [domain.toUpperCase()], syncCustomRoles: true } });
    expectSyncToMatch(synced, expected);
  });
});
