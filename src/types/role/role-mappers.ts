import type { Resource } from "../../../gen/c1/connector/v2/resource_pb.js";
import { v1Identifier } from "../../protocol/annotations.js";
import { newResource } from "../../protocol/builders.js";
import { roleTrait } from "../../protocol/traits.js";
import { roleAssignedEntitlementOf } from "../shared/role-grants.js";
import { ROLE_TYPE } from "./resource-type.js";

/**
 * Okta's standard admin roles → `role` resources, keyed by role type (SUPER_ADMIN) as baton-okta keys
 * them. The list is baton-okta's ten plus every other type found in assignments, so roles Okta added
 * later (WORKFLOWS_ADMIN, …) are not dropped. Provisioning assigns and unassigns them for users and
 * groups (role-provisioning.ts).
 */
export const KNOWN_ROLES: Readonly<Record<string, string>> = {
  API_ACCESS_MANAGEMENT_ADMIN: "API Access Management Administrator",
  MOBILE_ADMIN: "Mobile Administrator",
  ORG_ADMIN: "Organizational Administrator",
  READ_ONLY_ADMIN: "Read-only Administrator",
  REPORT_ADMIN: "Report Administrator",
  SUPER_ADMIN: "Super Administrator",
  USER_ADMIN: "Group Administrator",
  HELP_DESK_ADMIN: "Help Desk Administrator",
  APP_ADMIN: "Application Administrator",
  GROUP_MEMBERSHIP_ADMIN: "Group Membership Administrator",
};

export function roleResourceOf(type: string, label: string): Resource {
  return newResource({
    type: ROLE_TYPE,
    id: type,
    displayName: label,
    profile: { id: type, label, type },
    annotations: [roleTrait({ profile: { id: type, label, type } }), v1Identifier(`role:${type}`)],
  });
}

/** The role's `assigned` entitlement (shared with the other role type). */
export const roleEntitlementOf = roleAssignedEntitlementOf;
