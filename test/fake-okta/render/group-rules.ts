import type { GroupRuleRecord } from "../org/types.js";
import { iso } from "./json-shapes.js";

/**
 * Renders a rule as Okta's GroupRule. `groupNames` (with `expand=groupIdToGroupNameMap`) maps each
 * target group id to its name under `_embedded`.
 */
export function renderGroupRule(rule: GroupRuleRecord, groupNames?: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: "group_rule",
    id: rule.id,
    status: rule.status,
    name: rule.name,
    created: iso(rule.created),
    lastUpdated: iso(rule.lastUpdated),
    conditions: {
      people: { users: { exclude: [...rule.excludedUserIds] }, groups: { exclude: [] } },
      expression: { value: rule.expression, type: "urn:okta:expression:1.0" },
    },
    actions: { assignUserToGroups: { groupIds: [...rule.groupIds] } },
  };
  if (groupNames) out["_embedded"] = { groupIdToGroupNameMap: groupNames };
  return out;
}
