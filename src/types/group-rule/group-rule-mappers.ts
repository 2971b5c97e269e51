import type { JsonObject } from "@bufbuild/protobuf";
import type { Entitlement } from "../../../gen/c1/connector/v2/entitlement_pb.js";
import type { Resource } from "../../../gen/c1/connector/v2/resource_pb.js";
import { entitlementImmutable, rawId } from "../../protocol/annotations.js";
import { newAssignmentEntitlement, newGrant, newResource, resourceId } from "../../protocol/builders.js";
import { GROUP_TYPE } from "../group/resource-type.js";
import { GROUP_RULE_ASSIGNS_SLUG, type IndexedRule } from "../shared/group-rule-index.js";
import { GROUP_RULE_TYPE } from "./resource-type.js";

/**
 * Okta group rules → `group-rule` resources, their `assigns` entitlement and one grant per target
 * group: pure functions.
 *
 * The model: `group-rule:{id}:assigns` granted to each group the rule adds users to. A grant row
 * carries its entitlement and principal as indexed columns in baton's c1z (v1_grants), so "which
 * rules feed group G" and "which groups does rule R fill" are plain queries; a list in the
 * resource's profile would sit inside a serialized blob. The grants carry no GrantExpandable: a
 * group holding `assigns` does not mean its members do.
 */

/** Profile keys. */
export const RULE_GROUP_IDS = "group_ids";

const str = (value: unknown): string => (typeof value === "string" ? value : "");

/**
 * A rule; its target groups are those Okta's `groupIdToGroupNameMap` still names (a deleted group
 * drops out of the map, and its grant would name a group the sync never returns).
 */
export function groupRuleResourceOf(rule: IndexedRule): Resource {
  const names = rule.rule._embedded?.groupIdToGroupNameMap;
  const groupIds = names === undefined ? rule.groupIds : rule.groupIds.filter((id) => id in names);
  const profile: JsonObject = {
    name: rule.name,
    status: rule.status,
    expression: rule.expression,
    // Whether the connector reads the expression, so a reviewer knows which rules name their memberships.
    expression_readable: rule.parsed.ok,
    [RULE_GROUP_IDS]: [...groupIds],
    group_names: groupIds.map((id) => names?.[id] ?? id),
    excluded_user_ids: [...rule.excluded],
  };
  const created = rule.rule.created ? new Date(rule.rule.created) : undefined;
  return newResource({
    type: GROUP_RULE_TYPE,
    id: rule.id,
    displayName: rule.name,
    description: str(rule.expression),
    profile,
    ...(created && !Number.isNaN(created.getTime()) ? { createdAt: created } : {}),
    annotations: [rawId(rule.id)],
  });
}

/** The groups a listed rule resource assigns users to (see {@link groupRuleResourceOf}). */
export function ruleGroupIdsOf(resource: Resource): string[] {
  const ids = resource.profile?.[RULE_GROUP_IDS];
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : [];
}

/** `group-rule:{id}:assigns`, held by the rule's groups; immutable: the connector does not edit rules. */
export function assignsEntitlementOf(resource: Resource): Entitlement {
  const name = resource.displayName;
  return newAssignmentEntitlement(resource, {
    slug: GROUP_RULE_ASSIGNS_SLUG,
    displayName: `${name} Rule Target`,
    description: `Okta adds the users matching the ${name} group rule to this group`,
    grantableTo: [GROUP_TYPE],
    annotations: [entitlementImmutable()],
  });
}

export function assignsGrantOf(entitlement: Entitlement, groupId: string) {
  return newGrant(entitlement, resourceId(GROUP_TYPE.id, groupId));
}
