import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOkta, type FakeOkta, type GroundTruth } from "./index.js";
import { call, listAll } from "./test-support.js";

type RuleJson = { id: string; status: string; conditions: { people: { users: { exclude: string[] } } } };

describe("group rules", () => {
  let fake: FakeOkta;
  let truth: GroundTruth;

  beforeAll(async () => {
    fake = await startFakeOkta({ seed: 5, users: 300 });
    truth = await fake.groundTruth();
  });
  afterAll(async () => fake?.close());

  it("has ACTIVE and INACTIVE rules, one excluded user, one expression beyond the common subset, and rules over two groups", () => {
    expect(new Set(truth.groupRules.map((r) => r.status))).toEqual(new Set(["ACTIVE", "INACTIVE"]));
    expect(truth.groupRules.flatMap((r) => r.excludedUserIds)).toHaveLength(1);
    expect(truth.groupRules.filter((r) => !r.commonSubset).map((r) => r.expression)).toEqual(['Arrays.contains(user.skills,"kubernetes")']);
    expect(truth.groupRules.some((r) => r.groupIds.length === 2)).toBe(true);
    expect(truth.groupRules.filter((r) => r.status !== "ACTIVE").every((r) => r.managed.every((m) => m.userIds.length === 0))).toBe(true);
  });

  it("applied every ACTIVE rule: each matching user (not excluded, not DEPROVISIONED) is a member it manages, and no one else is", () => {
    const members = new Map(truth.groups.map((g) => [g.id, new Set(g.memberIds)]));
    for (const rule of truth.groupRules.filter((r) => r.status === "ACTIVE")) {
      const rec = fake.org.groupRules.get(rule.id)!;
      const matching = truth.users.filter((u) => u.status !== "DEPROVISIONED" && rec.tests.every((t) => t.test === "arrayContains" ? (u.profile[t.attribute] as unknown[] | undefined)?.includes(t.value) : t.test === "equals" ? u.profile[t.attribute] === t.value : String(u.profile[t.attribute]).startsWith(t.value)));
      expect(matching.length).toBeGreaterThan(0);
      for (const { groupId, userIds } of rule.managed) {
        const managed = new Set(userIds);
        for (const user of matching) {
          const excluded = rule.excludedUserIds.includes(user.id);
          expect(managed.has(user.id), `${rule.name} ${user.id}`).toBe(!excluded);
          if (!excluded) expect(members.get(groupId)!.has(user.id)).toBe(true);
        }
        expect([...managed].every((id) => members.get(groupId)!.has(id))).toBe(true);
      }
    }
    const excluded = truth.groupRules.flatMap((r) => r.excludedUserIds.map((id) => ({ id, groupId: r.groupIds[0]! })));
    for (const { id, groupId } of excluded) expect(members.get(groupId)!.has(id)).toBe(false);
  });

  it("pages GET /api/v1/groups/rules by the last id (limit 2) and serves each rule by id; unknown ids are 404 E0000007", async () => {
    const { items, pages } = await listAll<RuleJson>(fake, "/api/v1/groups/rules?limit=2", "read_only");
    expect(items.map((r) => r.id)).toEqual(truth.groupRules.map((r) => r.id));
    expect(pages).toBe(Math.ceil(truth.groupRules.length / 2));
    const one = await call(fake, "GET", `/api/v1/groups/rules/${truth.groupRules[1]!.id}`, { level: "read_only" });
    expect((one.body as RuleJson).id).toBe(truth.groupRules[1]!.id);
    const missing = await call(fake, "GET", "/api/v1/groups/rules/0prnosuchrule0000000");
    expect([missing.status, (missing.body as { errorCode: string }).errorCode]).toEqual([404, "E0000007"]);
  });

  it("removing a rule-managed member by hand adds the user to the rule's exclusions, as Okta does; a plain removal does not", async () => {
    const rule = truth.groupRules.find((r) => r.status === "ACTIVE" && r.commonSubset && r.managed[0]!.userIds.length > 0)!;
    const { groupId, userIds } = rule.managed[0]!;
    const userId = userIds[0]!;
    expect((await call(fake, "DELETE", `/api/v1/groups/${groupId}/users/${userId}`)).status).toBe(204);
    const after = await call(fake, "GET", `/api/v1/groups/rules/${rule.id}`);
    expect((after.body as RuleJson).conditions.people.users.exclude).toContain(userId);
    const now = await fake.groundTruth();
    expect(now.groupRules.find((r) => r.id === rule.id)!.managed[0]!.userIds).not.toContain(userId);

    const group = truth.groups.find((g) => g.id === groupId)!;
    const plain = group.memberIds.find((id) => !truth.groupRules.some((r) => r.managed.some((m) => m.userIds.includes(id))))!;
    expect((await call(fake, "DELETE", `/api/v1/groups/${groupId}/users/${plain}`)).status).toBe(204);
    expect((await fake.groundTruth()).groupRules.flatMap((r) => r.excludedUserIds)).toEqual([...truth.groupRules.flatMap((r) => r.excludedUserIds), userId]);
  });
});
