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
 * A membership grant's `sources` naming the rules that keep it, by their `assigns` entitlement id.
 * `is_direct` is false: the rule, not an admin, put the user there. Okta does not say whether the
 * user was also added by hand, so no direct entry is claimed.
 */
export function ruleSourcesOf(rules: readonly IndexedRule[]): GrantSources | undefined {
  if (rules.length === 0) return undefined;
  return create(GrantSourcesSchema, { sources: Object.fromEntries(rules.map((r) => [ruleSourceEntitlementId(r.id), { isDirect: false }])) });
}
