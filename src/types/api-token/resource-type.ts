import { ResourceType_Trait } from "../../../gen/c1/connector/v2/resource_pb.js";
import { skipEntitlementsAndGrants } from "../../protocol/annotations.js";
import { oktaResourceType } from "../shared/okta-resource-type.js";

// baton-okta's `api-token` (connector.go): SECRET trait, no entitlements or grants, okta.apiTokens.read.
export const API_TOKEN_TYPE = oktaResourceType("api-token", "API Token", [ResourceType_Trait.SECRET], ["okta.apiTokens.read"], [skipEntitlementsAndGrants()]);
