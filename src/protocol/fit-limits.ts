import type { Entitlement } from "../../gen/c1/connector/v2/entitlement_pb.js";
import type { Grant } from "../../gen/c1/connector/v2/grant_pb.js";
import type { Resource, ResourceType } from "../../gen/c1/connector/v2/resource_pb.js";
import { LIMITS, truncateUtf8 } from "./limits.js";

/**
 * Cuts the free-text fields of outgoing messages to baton-sdk's byte limits. Okta allows longer group
 * descriptions and app labels than baton does, and one over-long string would fail the engine's
 * validation of the whole page. Ids are never cut: they are keys, and Okta's are short.
 * Mutates and returns the message (messages are freshly built per response).
 */
export function fitResource(resource: Resource): Resource {
  resource.displayName = truncateUtf8(resource.displayName, LIMITS.displayName);
  resource.description = truncateUtf8(resource.description, LIMITS.resourceDescription);
  if (resource.status) resource.status.details = truncateUtf8(resource.status.details, LIMITS.statusDetails);
  return resource;
}

export function fitResourceType(resourceType: ResourceType): ResourceType {
  resourceType.displayName = truncateUtf8(resourceType.displayName, LIMITS.displayName);
  resourceType.description = truncateUtf8(resourceType.description, LIMITS.resourceTypeDescription);
  return resourceType;
}

export function fitEntitlement(entitlement: Entitlement): Entitlement {
  entitlement.displayName = truncateUtf8(entitlement.displayName, LIMITS.displayName);
  entitlement.description = truncateUtf8(entitlement.description, LIMITS.entitlementDescription);
  if (entitlement.resource) fitResource(entitlement.resource);
  return entitlement;
}

export function fitGrant(grant: Grant): Grant {
  if (grant.entitlement) fitEntitlement(grant.entitlement);
  if (grant.principal) fitResource(grant.principal);
  return grant;
}
