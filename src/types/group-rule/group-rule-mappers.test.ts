import { describe, expect, it } from "vitest";
import { EntitlementImmutableSchema } from "../../../gen/c1/connector/v2/annotation_entitlement_pb.js";
import { has } from "../../protocol/annotations.js";
import { groupRuleIndexOf } from "../shared/group-rule-index.js";
import type { OktaGroupRule } from "../shared/group-rules-okta.js";
import { assignsEntitlementOf, assignsGrantOf, groupRuleResourceOf, ruleGroupIdsOf } from "./group-rule-mappers.js";
import { GROUP_RULE_TYPE } from "./resource-type.js";

const rule: OktaGroupRule = {
  id: "0pr3f7zMZZHPgUoWO0g4",
  name: "Engineering department",
  status: "ACTIVE",
  created: "2024-03-01T10:00:00.000Z",
  conditions: { expression: { value: 'user.department=="Engineering"', type: "urn:okta:expression:1.0" }, people: { users: { exclude: ["00u1excluded00000000"] } } },
  actions: { assignUserToGroups: { groupIds: ["00gjitX9HqABSoqTB0g3", "00gdeleted0000000000"] } },
  _embedded: { groupIdToGroupNameMap: { "00gjitX9HqABSoqTB0g3": "Engineering" } },
};
const indexed = (r: OktaGroupRule) => groupRuleIndexOf([r]).rules[0]!;

describe("group-rule resource type", () => {
  it("is group-rule, Group Rule, no trait, read with okta.groups.read", () => {
    expect([GROUP_RULE_TYPE.id, GROUP_RULE_TYPE.displayName, GROUP_RULE_TYPE.traits]).toEqual(["group-rule", "Group Rule", []]);
  });
});

describe("groupRuleResourceOf", () => {
  it("names the rule, describes it by its expression, and keeps status, targets and exclusions in the profile", () => {
    const resource = groupRuleResourceOf(indexed(rule));
    expect(resource.id).toMatchObject({ resourceType: "group-rule", resource: "0pr3f7zMZZHPgUoWO0g4" });
    expect([resource.displayName, resource.description]).toEqual(["Engineering department", 'user.department=="Engineering"']);
    expect(resource.profile).toMatchObject({ status: "ACTIVE", expression_readable: true, group_names: ["Engineering"], excluded_user_ids: ["00u1excluded00000000"] });
  });

  it("targets only the groups Okta's groupIdToGroupNameMap still names (a deleted group would dangle), or all without the map", () => {
    expect(ruleGroupIdsOf(groupRuleResourceOf(indexed(rule)))).toEqual(["00gjitX9HqABSoqTB0g3"]);
    const { _embedded, ...bare } = rule;
    expect(ruleGroupIdsOf(groupRuleResourceOf(indexed(bare)))).toEqual(["00gjitX9HqABSoqTB0g3", "00gdeleted0000000000"]);
  });

  it("says when the expression is beyond the evaluator, and falls back to the id for a rule without a name", () => {
    const resource = groupRuleResourceOf(indexed({ id: "0prX", conditions: { expression: { value: 'Arrays.contains(user.skills, "go")' } } }));
    expect(resource.displayName).toBe("0prX");
    expect(resource.profile).toMatchObject({ expression_readable: false, group_ids: [] });
  });
});

describe("assigns entitlement and grants", () => {
  it("group-rule:{id}:assigns, immutable, granted to groups, one grant per target group with baton-sdk's id", () => {
    const resource = groupRuleResourceOf(indexed(rule));
    const entitlement = assignsEntitlementOf(resource);
    expect(entitlement.id).toBe("group-rule:0pr3f7zMZZHPgUoWO0g4:assigns");
    expect(entitlement.grantableTo.map((t) => t.id)).toEqual(["group"]);
    expect(has(entitlement.annotations, EntitlementImmutableSchema)).toBe(true);
    const grant = assignsGrantOf(entitlement, "00gjitX9HqABSoqTB0g3");
    expect(grant.id).toBe("group-rule:0pr3f7zMZZHPgUoWO0g4:assigns:group:00gjitX9HqABSoqTB0g3");
    expect(grant.annotations).toEqual([]);
  });
});
