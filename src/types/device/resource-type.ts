import { ResourceType_Trait } from "../../../gen/c1/connector/v2/resource_pb.js";
import { OptInRequiredSchema } from "../../../gen/c1/connector/v2/connector_pb.js";
import { pack } from "../../protocol/annotations.js";
import { oktaResourceType } from "../shared/okta-resource-type.js";

// baton-okta marks `device` OptInRequired: an engine lists it only when asked to (baton-okta.md §2).
export const DEVICE_TYPE = oktaResourceType("device", "Device", [ResourceType_Trait.MANAGED_DEVICE], ["okta.devices.read"], [pack(OptInRequiredSchema)]);
