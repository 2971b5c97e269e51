import type { Resource } from "../../../gen/c1/connector/v2/resource_pb.js";
import type { OktaResourceSet } from "../../okta/index.js";
import { v1Identifier } from "../../protocol/annotations.js";
import { newAssignmentEntitlement, newResource } from "../../protocol/builders.js";
import { appTrait } from "../../protocol/traits.js";
import { CUSTOM_ROLE_TYPE } from "../custom-role/resource-type.js";
import { RESOURCE_SET_TYPE } from "./resource-type.js";

/** Okta resource sets → `resource-set` resources, their bindings entitlement: pure functions. */

export const BINDINGS_SLUG = "bindings";

export function resourceSetResourceOf(set: OktaResourceSet): Resource {
  const profile = { id: set.id, label: set.label, description: set.description ?? "" };
  return newResource({
    type: RESOURCE_SET_TYPE,
    id: set.id,
    displayName: set.label,
    description: set.description ?? "",
    profile,
    // baton-okta's resources of this type carry the APP trait although the type declares none.
    annotations: [appTrait({ profile }), v1Identifier(set.id)],
  });
}

export function bindingsEntitlementOf(resource: Resource) {
  const label = resource.displayName;
  return newAssignmentEntitlement(resource, {
    slug: BINDINGS_SLUG,
    displayName: `${label} Resource Set Binding`,
    description: `Custom roles bound to the ${label} resource set in Okta`,
    grantableTo: [CUSTOM_ROLE_TYPE],
    annotations: [v1Identifier(`membership:${resource.id!.resource}`)],
  });
}
