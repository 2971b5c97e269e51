import type { Resource } from "../../../gen/c1/connector/v2/resource_pb.js";
import type { OktaCustomRole } from "../../okta/index.js";
import { v1Identifier } from "../../protocol/annotations.js";
import { newResource } from "../../protocol/builders.js";
import { roleTrait } from "../../protocol/traits.js";
import { roleAssignedEntitlementOf } from "../shared/role-grants.js";
import { CUSTOM_ROLE_TYPE } from "./resource-type.js";

/** Okta custom admin roles → `custom-role` resources and their assignment entitlement: pure functions. */

export function customRoleResourceOf(role: OktaCustomRole): Resource {
  const profile = { id: role.id, label: role.label, type: "CUSTOM", description: role.description ?? "" };
  return newResource({
    type: CUSTOM_ROLE_TYPE,
    id: role.id,
    displayName: role.label,
    description: role.description ?? "",
    profile,
    // baton-okta's V1 id (`role:{id}`, as for standard roles); the platform maps history through it.
    annotations: [roleTrait({ profile }), v1Identifier(`role:${role.id}`)],
  });
}

/** The role's `assigned` entitlement (shared with the other role type). */
export const customRoleEntitlementOf = roleAssignedEntitlementOf;
