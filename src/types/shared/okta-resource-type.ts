import { create } from "@bufbuild/protobuf";
import { type ResourceType, ResourceTypeSchema, ResourceType_Trait } from "../../../gen/c1/connector/v2/resource_pb.js";
import { capabilityPermissions, skipEntitlementsAndGrants, v1Identifier } from "../../protocol/annotations.js";

/**
 * A resource type as each type folder declares it: baton-okta's id, name and traits (an organisation
 * switching connectors keeps its history only if these match), and the OAuth scopes it needs to be read.
 */
export function oktaResourceType(id: string, displayName: string, traits: ResourceType_Trait[], scopes: string[], extra = [] as ReturnType<typeof v1Identifier>[]): ResourceType {
  return create(ResourceTypeSchema, {
    id,
    displayName,
    traits,
    annotations: [v1Identifier(id), capabilityPermissions(scopes), ...extra],
  });
}
