import type { TypeEventMapping } from "../shared/system-log.js";
import { GROUP_RULE_TYPE } from "./resource-type.js";

/**
 * Group rules in the System Log, for Watch: removing a membership that an ACTIVE rule keeps makes Okta
 * add the user to the rule's exclusions (types/group-rule), which the rule resource lists, and only the
 * membership removal is logged. So that removal re-reads the rules (one call per 200 rules), not their
 * grants: which groups a rule fills does not change. The feed maps no event of its own for rules.
 */
export const groupRuleEvents: TypeEventMapping = {
  oktaEventTypes: ["group.user_membership.remove"],
  kinds: [],
  rereads: [
    {
      resourceTypeId: GROUP_RULE_TYPE.id,
      why: "removing a membership a rule keeps adds the user to the rule's exclusions, and Okta logs only the removal",
      when: "event",
      resourcesOnly: true,
    },
  ],
  map: () => [],
};
