import { create } from "@bufbuild/protobuf";
import { type GrantSources, GrantSourcesSchema } from "../../../gen/c1/connector/v2/grant_pb.js";
import type { OktaGroup, OktaUser } from "../../okta/index.js";
import { type GroupRuleIndex, type IndexedRule, mayBeRuleManaged, ruleSourceEntitlementId, rulesManaging } from "./group-rule-index.js";

/**
 * The readable ACTIVE rules that keep `user`, a member of `groupId`, in that group. The profile
 * decides most expressions; `groupsOf` is asked only when one tests group membership
 * (isMemberOf…) and the profile alone does not settle it.
 */
export async function rulesKeeping(
  index: GroupRuleIndex,
  groupId: string,
  user: Pick<OktaUser, "id" | "profile">,
  groupsOf: () => Promise<readonly OktaGroup[]>,
): Promise<readonly IndexedRule[]> {
  if (!mayBeRuleManaged(index, groupId, user.id)) return [];
  const profile = user.profile as Readonly<Record<string, unknown>>;
  const first = rulesManaging(index, groupId, { id: user.id, profile });
  if (!first.needsGroups) return first.rules;
  const groups = (await groupsOf()).map((g) => ({ id: g.id, name: g.profile.name }));
  return rulesManaging(index, groupId, { id: user.id, profile, groups }).rules;
}

/**
 * A membership grant's `sources`: the membership itself (`ownEntitlementId`, direct) and each rule
 * that keeps it, by its `assigns` entitlement id (not direct: the rule, not an admin, put the user
 * there; Okta does not say whether an admin added them too). The self entry is what baton-sdk needs
 * to go on treating the grant as held: its shallow expansion (an app or role held by the group,
 * reaching the members) follows only grants whose sources are empty or name their own entitlement
 * (v0.25.0 pkg/sync/expand, isGrantDirectOnEntitlement), so rule-kept members keep their
 * group-derived access in the engine.
 */
export function ruleSourcesOf(ownEntitlementId: string, rules: readonly IndexedRule[]): GrantSources | undefined {
  if (rules.length === 0) return undefined;
  return create(GrantSourcesSchema, {
    sources: { [ownEntitlementId]: { isDirect: true }, ...Object.fromEntries(rules.map((r) => [ruleSourceEntitlementId(r.id), { isDirect: false }])) },
  });
}
