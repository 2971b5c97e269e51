import { oktaResourceType } from "../shared/okta-resource-type.js";

// No baton-okta counterpart and no trait fits a rule; okta.groups.read is what reading rules takes.
export const GROUP_RULE_TYPE = oktaResourceType("group-rule", "Group Rule", [], ["okta.groups.read"]);
