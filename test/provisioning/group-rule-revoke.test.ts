import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOkta, type GroundTruth, startFakeOkta } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { failureOf, type ProvisioningConnector, startProvisioningConnector, writesIn } from "./support/provisioning-connector.js";

/**
 * Revoking a membership an ACTIVE group rule keeps is refused before Okta is written to: Okta would
 * take the removal and quietly add the user to the rule's exclusions. A membership no rule keeps is
 * revoked as before. The simulator's request log shows what each revoke sent.
 */
let fake: FakeOkta;
let truth: GroundTruth;
let connector: ProvisioningConnector;

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 21, users: 300 });
  truth = await fake.groundTruth();
  connector = await startProvisioningConnector(fake, { token: fake.tokens.super_admin });
}, 120_000);

afterAll(async () => {
  await connector?.stop();
  await fake?.close();
});

const activeIds = () => new Set(truth.users.filter((u) => u.status === "ACTIVE").map((u) => u.id));
const exclusions = (t: GroundTruth) => t.groupRules.map((r) => [r.id, r.excludedUserIds]);

async function revokeMembership(groupId: string, userId: string) {
  const entitlement = await connector.entitlement("group", groupId, "member");
  const principal = await connector.resource("user", userId);
  return connector.clients.grantManager.revoke({ grant: { id: `${entitlement.id}:user:${userId}`, entitlement, principal } });
}

describe("revoking a group membership a rule keeps", () => {
  it("is refused with FAILED_PRECONDITION naming the rule (id and name), after reads only, and Okta is unchanged", async () => {
    const rule = truth.groupRules.find((r) => r.status === "ACTIVE" && r.commonSubset && r.managed.some((m) => m.userIds.some((u) => activeIds().has(u))))!;
    const managed = rule.managed.find((m) => m.userIds.some((u) => activeIds().has(u)))!;
    const userId = managed.userIds.find((u) => activeIds().has(u))!;
    const before = fake.requestLog().length;
    const failure = await failureOf(revokeMembership(managed.groupId, userId));
    const requests = fake.requestLog().slice(before);

    expect(failure.code).toBe(Code.FailedPrecondition);
    expect(failure.rawMessage).toContain(`group rule ${rule.id} ("${rule.name}")`);
    expect(writesIn(requests)).toEqual([]);
    // The cost of the check: the rules (one page of 200) and the user's profile, besides the reads every revoke makes.
    expect(requests.filter((e) => e.path.startsWith("/api/v1/groups/rules")).length).toBe(Math.ceil(truth.groupRules.length / 200));
    expect(requests.filter((e) => e.path === `/api/v1/users/${userId}`).length).toBe(1);
    const now = await fake.groundTruth();
    expect(now.groups.find((g) => g.id === managed.groupId)!.memberIds).toContain(userId);
    expect(exclusions(now)).toEqual(exclusions(truth));
  });

  it("still revokes a plain membership of the same group, and no rule's exclusions change", async () => {
    const rule = truth.groupRules.find((r) => r.status === "ACTIVE" && r.commonSubset && r.managed.some((m) => m.userIds.length > 0))!;
    const groupId = rule.managed.find((m) => m.userIds.length > 0)!.groupId;
    const keptByAnyRule = new Set(truth.groupRules.flatMap((r) => r.managed.filter((m) => m.groupId === groupId).flatMap((m) => m.userIds)));
    const userId = truth.groups.find((g) => g.id === groupId)!.memberIds.find((u) => activeIds().has(u) && !keptByAnyRule.has(u))!;
    const before = fake.requestLog().length;
    await revokeMembership(groupId, userId);
    expect(writesIn(fake.requestLog().slice(before)).map((e) => `${e.method} ${e.path}`)).toEqual([`DELETE /api/v1/groups/${groupId}/users/${userId}`]);
    const now = await fake.groundTruth();
    expect(now.groups.find((g) => g.id === groupId)!.memberIds).not.toContain(userId);
    expect(exclusions(now)).toEqual(exclusions(truth));
  });

  it("still revokes a membership whose rule the connector cannot read (no rule source to go by)", async () => {
    const rule = truth.groupRules.find((r) => !r.commonSubset)!;
    const managed = rule.managed.find((m) => m.userIds.some((u) => activeIds().has(u)))!;
    const userId = managed.userIds.find((u) => activeIds().has(u))!;
    await revokeMembership(managed.groupId, userId);
    expect((await fake.groundTruth()).groups.find((g) => g.id === managed.groupId)!.memberIds).not.toContain(userId);
  });
});
