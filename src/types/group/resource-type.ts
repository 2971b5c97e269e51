import { ResourceType_Trait } from "../../../gen/c1/connector/v2/resource_pb.js";
import { oktaResourceType } from "../shared/okta-resource-type.js";

export const GROUP_TYPE = oktaResourceType("group", "Group", [ResourceType_Trait.GROUP], ["okta.groups.read"]);
