import { create } from "@bufbuild/protobuf";
import { type ResourceType, ResourceTypeSchema, ResourceType_Trait } from "../../gen/c1/connector/v2/resource_pb.js";
import { capabilityPermissions, skipEntitlementsAndGrants, v1Identifier } from "../protocol/annotations.js";

/**
 * The resource types, with baton-okta's ids, names and traits (an organisation switching connectors
 * keeps its history only if these match), and the OAuth scopes each needs to be read.
 */
function resourceType(id: string, displayName: string, traits: ResourceType_Trait[], scopes: string[], extra = [] as ReturnType<typeof v1Identifier>[]): ResourceType {
  return create(ResourceTypeSchema, {
    id,
    displayName,
    traits,
    annotations: [v1Identifier(id), capabilityPermissions(scopes), ...extra],
  });
}

export const USER_TYPE = resourceType("user", "User", [ResourceType_Trait.USER], ["okta.users.read"], [skipEntitlementsAndGrants()]);
export const GROUP_TYPE = resourceType("group", "Group", [ResourceType_Trait.GROUP], ["okta.groups.read"]);
export const ROLE_TYPE = resourceType("role", "Role", [ResourceType_Trait.ROLE], ["okta.roles.read"]);
export const APP_TYPE = resourceType("app", "App", [ResourceType_Trait.APP], ["okta.apps.read"]);
export const CUSTOM_ROLE_TYPE = resourceType("custom-role", "Custom Role", [ResourceType_Trait.ROLE], ["okta.roles.read"]);
// baton-okta declares no trait on these two types (their resources carry the APP trait).
export const RESOURCE_SET_TYPE = resourceType("resource-set", "Resource Set", [], ["okta.roles.read"]);
export const RESOURCE_SET_BINDING_TYPE = resourceType("resourceset-binding", "Resource Set Binding", [], ["okta.roles.read"]);
