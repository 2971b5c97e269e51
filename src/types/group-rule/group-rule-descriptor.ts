import type { OktaTypeDescriptor } from "../shared/type-context.js";
import { createGroupRuleSyncer } from "./group-rule.js";
import { groupRuleEvents } from "./group-rule-events.js";
import { GROUP_RULE_TYPE } from "./resource-type.js";

/** Group rules (on by default): held by the groups they fill. */
export const groupRuleDescriptor: OktaTypeDescriptor = {
  resourceType: GROUP_RULE_TYPE,
  // Read under the directory read the probe checks; a credential refused the listing (403) gets a
  // missing-permission gap on this type, and the rest of the sync stays whole.
  needs: { read: "listUsers" },
  dependsOn: ["group"],
  events: groupRuleEvents,
  createSyncer: ({ groupRules, client }) => createGroupRuleSyncer({ rules: groupRules, client }),
};
