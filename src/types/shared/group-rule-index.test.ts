import { describe, expect, it } from "vitest";
import type { OktaGroup } from "../../okta/index.js";
import { groupRuleIndexOf, mayBeRuleManaged, ruleSourceEntitlementId } from "./group-rule-index.js";
import type { OktaGroupRule } from "./group-rules-okta.js";
import { ruleSourcesOf, rulesKeeping } from "./rule-managed.js";

const G = "00gjitX9HqABSoqTB0g3";
const rule = (id: string, expression: string, extra: Partial<OktaGroupRule> = {}): OktaGroupRule => ({
  id,
  name: id,
  status: "ACTIVE",
  conditions: { expression: { value: expression } },
  actions: { assignUserToGroups: { groupIds: [G] } },
  ...extra,
});
const ana = { id: "00uana00000000000000", profile: { login: "ana@acme.example", department: "Engineering", countryCode: "US" } };
const noGroups = async (): Promise<OktaGroup[]> => {
  throw new Error("the user's groups were read though no rule needs them");
};

describe("rulesKeeping", () => {
  it("names the ACTIVE readable rules whose expression holds for the member, not excluded", async () => {
    const index = groupRuleIndexOf([
      rule("0prEng", 'user.department=="Engineering"'),
      rule("0prSales", 'user.department=="Sales"'),
      rule("0prUS", 'user.countryCode=="US"', { conditions: { expression: { value: 'user.countryCode=="US"' }, people: { users: { exclude: [ana.id] } } } }),
      rule("0prOff", 'user.department=="Engineering"', { status: "INACTIVE" }),
      rule("0prBad", 'user.department=="Engineering"', { status: "INVALID" }),
      rule("0prElse", 'user.department=="Engineering"', { actions: { assignUserToGroups: { groupIds: ["00gother000000000000"] } } }),
    ]);
    expect((await rulesKeeping(index, G, ana, noGroups)).map((r) => r.id)).toEqual(["0prEng"]);
  });

  it("reads the member's groups only when an expression tests membership, then decides with them", async () => {
    const index = groupRuleIndexOf([rule("0prGrp", 'isMemberOfGroupName("Platform") && user.department=="Engineering"')]);
    let reads = 0;
    const groups = async () => {
      reads++;
      return [{ id: "00gplatform000000000", profile: { name: "Platform" } } as OktaGroup];
    };
    expect((await rulesKeeping(index, G, ana, groups)).map((r) => r.id)).toEqual(["0prGrp"]);
    expect(reads).toBe(1);
    expect(await rulesKeeping(index, G, { ...ana, profile: { ...ana.profile, department: "Sales" } }, noGroups)).toEqual([]);
  });

  it("leaves a rule it cannot read out of every membership, and lists it with the reason", async () => {
    const index = groupRuleIndexOf([rule("0prK8s", 'Arrays.contains(user.skills, "kubernetes")')]);
    expect(await rulesKeeping(index, G, ana, noGroups)).toEqual([]);
    expect(mayBeRuleManaged(index, G, ana.id)).toBe(false);
    expect(index.unreadable.map((r) => [r.id, r.reason])).toEqual([["0prK8s", '"Arrays" at 0 is not in the supported subset']]);
  });
});

describe("ruleSourcesOf", () => {
  it("names the membership itself (direct, so baton's shallow expansion still follows it) and each rule by its assigns entitlement (not direct); none without rules", () => {
    expect(ruleSourceEntitlementId("0prEng")).toBe("group-rule:0prEng:assigns");
    const index = groupRuleIndexOf([rule("0prEng", "true"), rule("0prAll", "true")]);
    const sources = ruleSourcesOf(`group:${G}:member`, index.rules);
    expect(Object.fromEntries(Object.entries(sources!.sources).map(([k, v]) => [k, v.isDirect]))).toEqual({
      [`group:${G}:member`]: true,
      "group-rule:0prEng:assigns": false,
      "group-rule:0prAll:assigns": false,
    });
    expect(ruleSourcesOf(`group:${G}:member`, [])).toBeUndefined();
  });
});
