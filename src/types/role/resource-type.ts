import { ResourceType_Trait } from "../../../gen/c1/connector/v2/resource_pb.js";
import { oktaResourceType } from "../shared/okta-resource-type.js";

export const ROLE_TYPE = oktaResourceType("role", "Role", [ResourceType_Trait.ROLE], ["okta.roles.read"]);
