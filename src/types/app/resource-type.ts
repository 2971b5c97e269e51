import { ResourceType_Trait } from "../../../gen/c1/connector/v2/resource_pb.js";
import { oktaResourceType } from "../shared/okta-resource-type.js";

export const APP_TYPE = oktaResourceType("app", "App", [ResourceType_Trait.APP], ["okta.apps.read"]);
