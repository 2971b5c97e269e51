import type { Resource } from "../../../gen/c1/connector/v2/resource_pb.js";
import type { OktaCustomRole, OktaRolesApi } from "../../okta/index.js";
import { v1Identifier } from "../../protocol/annotations.js";
import { newAssignmentEntitlement, newResource } from "../../protocol/builders.js";
import type { ResourceSyncer } from "../../protocol/resource-syncer.js";
import { roleTrait } from "../../protocol/traits.js";
import { afterOf, cursorOf } from "../shared/cursor.js";
import type { RoleAssignmentsSource } from "../shared/role-assignments.js";
import { ASSIGNED_SLUG, roleGrantsPage } from "../shared/role-grants.js";
import { CUSTOM_ROLE_TYPE } from "./resource-type.js";
import { GROUP_TYPE } from "../group/resource-type.js";
import { USER_TYPE } from "../user/resource-type.js";
import { roleCoverageGaps, type RolesUnreadable } from "../shared/roles-access.js";

/**
 * Custom admin roles (`/api/v1/iam/roles`, ids cr0…) → `custom-role` resources, with
 * --sync-custom-roles. Who holds them comes from the shared role-assignment index; which resource set
 * each assignment is scoped to is modelled by the resourceset-binding type.
 */
export interface CustomRoleSyncerDeps {
  readonly okta: Pick<OktaRolesApi, "listCustomRoles">;
  readonly assignments: RoleAssignmentsSource;
  /** Why the credential cannot read roles, or undefined when it can (asks Okta once, then cached). */
  readonly rolesUnreadable: RolesUnreadable;
}

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

export function customRoleEntitlementOf(resource: Resource) {
  const label = resource.displayName;
  return newAssignmentEntitlement(resource, {
    slug: ASSIGNED_SLUG,
    displayName: `${label} Role Member`,
    description: `Has the ${label} role in Okta`,
    grantableTo: [USER_TYPE, GROUP_TYPE],
    annotations: [v1Identifier(`role:${resource.id!.resource}`)],
  });
}

export function createCustomRoleSyncer(deps: CustomRoleSyncerDeps) {
  return {
    resourceType: CUSTOM_ROLE_TYPE,
    coverageGaps: roleCoverageGaps(deps.rolesUnreadable),
    async list(_parent, cursor, ctx) {
      if (await deps.rolesUnreadable(ctx)) return { items: [] };
      const page = await deps.okta.listCustomRoles({ after: afterOf(cursor), signal: ctx.signal });
      return { items: page.items.map(customRoleResourceOf), cursor: cursorOf(page.after) };
    },
    async entitlements(resource) {
      return { items: [customRoleEntitlementOf(resource)] };
    },
    async grants(resource, cursor, ctx) {
      if (await deps.rolesUnreadable(ctx)) return { items: [] };
      const index = await deps.assignments.load(ctx);
      const id = resource.id!.resource;
      return roleGrantsPage(customRoleEntitlementOf(resource), index.custom.get(id), cursor, `role:${id}`);
    },
  } satisfies ResourceSyncer;
}
