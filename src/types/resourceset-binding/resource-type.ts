import { ResourceType_Trait } from "../../../gen/c1/connector/v2/resource_pb.js";
import { oktaResourceType } from "../shared/okta-resource-type.js";

// baton-okta declares no trait on this type (its resources carry the APP trait).
export const RESOURCE_SET_BINDING_TYPE = oktaResourceType("resourceset-binding", "Resource Set Binding", [], ["okta.roles.read"]);
