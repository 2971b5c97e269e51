import { ResourceType_Trait } from "../../../gen/c1/connector/v2/resource_pb.js";
import { skipEntitlementsAndGrants } from "../../protocol/annotations.js";
import { oktaResourceType } from "../shared/okta-resource-type.js";

export const USER_TYPE = oktaResourceType("user", "User", [ResourceType_Trait.USER], ["okta.users.read"], [skipEntitlementsAndGrants()]);
