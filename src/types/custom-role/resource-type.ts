import { ResourceType_Trait } from "../../../gen/c1/connector/v2/resource_pb.js";
import { oktaResourceType } from "../shared/okta-resource-type.js";

export const CUSTOM_ROLE_TYPE = oktaResourceType("custom-role", "Custom Role", [ResourceType_Trait.ROLE], ["okta.roles.read"]);
