import type { Entitlement } from "../../../gen/c1/connector/v2/entitlement_pb.js";
import type { Resource } from "../../../gen/c1/connector/v2/resource_pb.js";
import { v1Identifier } from "../../protocol/annotations.js";
import { newAssignmentEntitlement, newResource } from "../../protocol/builders.js";
import { ConnectorError } from "../../protocol/errors.js";
import type { ResourceSyncer } from "../../protocol/resource-syncer.js";
import { roleTrait } from "../../protocol/traits.js";
import { oktaIdOf, principalOf, requireEntitlement, requireGrantId } from "../shared/provisioning.js";
import type { RoleAssignmentsSource } from "../shared/role-assignments.js";
import { ASSIGNED_SLUG, roleGrantOf, roleGrantsPage } from "../shared/role-grants.js";
import { assignRole, type RoleProvisioningDeps, unassignRole } from "../shared/role-provisioning.js";
import { GROUP_TYPE } from "../group/resource-type.js";
import { ROLE_TYPE } from "./resource-type.js";
import { USER_TYPE } from "../user/resource-type.js";
import { roleCoverageGaps, type RolesUnreadable } from "../shared/roles-access.js";

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

export interface RoleSyncerDeps extends RoleProvisioningDeps {
  readonly assignments: RoleAssignmentsSource;
  /** Why the credential cannot read roles, or undefined when it can (asks Okta once, then cached). */
  readonly rolesUnreadable: RolesUnreadable;
}

export function roleResourceOf(type: string, label: string): Resource {
  return newResource({
    type: ROLE_TYPE,
    id: type,
    displayName: label,
    profile: { id: type, label, type },
    annotations: [roleTrait({ profile: { id: type, label, type } }), v1Identifier(`role:${type}`)],
  });
}

export function roleEntitlementOf(resource: Resource) {
  const label = resource.displayName;
  return newAssignmentEntitlement(resource, {
    slug: ASSIGNED_SLUG,
    displayName: `${label} Role Member`,
    description: `Has the ${label} role in Okta`,
    grantableTo: [USER_TYPE, GROUP_TYPE],
    annotations: [v1Identifier(`role:${resource.id!.resource}`)],
  });
}

/** The standard role type an entitlement names; CUSTOM is assigned through resource-set bindings. */
function roleTypeOf(entitlement: Entitlement, field: string): string {
  requireEntitlement(entitlement, roleEntitlementOf(entitlement.resource!), field);
  const type = oktaIdOf("roleType", entitlement.resource!.id!, `${field}.resource.id.resource`);
  if (type === "CUSTOM") throw new ConnectorError("invalid", `${field}.resource.id.resource: custom roles are granted through resourceset-binding member entitlements`);
  return type;
}

export function createRoleSyncer(deps: RoleSyncerDeps) {
  return {
    resourceType: ROLE_TYPE,
    coverageGaps: roleCoverageGaps(deps.rolesUnreadable),
    async list(_parent, cursor, ctx) {
      if (await deps.rolesUnreadable(ctx)) return { items: [] };
      const index = await deps.assignments.load(ctx, { fresh: cursor === undefined });
      const labels = new Map(Object.entries(KNOWN_ROLES));
      for (const [type, holders] of index.standard) if (!labels.has(type)) labels.set(type, holders.label);
      return { items: [...labels].map(([type, label]) => roleResourceOf(type, index.standard.get(type)?.label ?? label)) };
    },
    async get(id, _parent, ctx) {
      if (await deps.rolesUnreadable(ctx)) return undefined;
      const known = KNOWN_ROLES[id.resource];
      const found = (await deps.assignments.load(ctx)).standard.get(id.resource);
      if (!known && !found) return undefined;
      return roleResourceOf(id.resource, found?.label ?? known!);
    },
    async entitlements(resource) {
      return { items: [roleEntitlementOf(resource)] };
    },
    async grants(resource, cursor, ctx) {
      if (await deps.rolesUnreadable(ctx)) return { items: [] };
      const type = resource.id!.resource;
      const index = await deps.assignments.load(ctx);
      return roleGrantsPage(roleEntitlementOf(resource), index.standard.get(type), cursor, `role:${type}`);
    },

    async grant(principal, entitlement, ctx) {
      const who = principalOf(principal.id!, ["user", "group"], "principal.id");
      const type = roleTypeOf(entitlement, "entitlement");
      const { alreadyExists } = await assignRole(deps, who, { kind: "standard", type }, ctx);
      return { grants: [roleGrantOf(entitlement, who, `role:${type}`)], alreadyExists };
    },

    async revoke(grant, ctx) {
      const who = principalOf(grant.principal!.id!, ["user", "group"], "grant.principal.id");
      requireGrantId(grant, who);
      const type = roleTypeOf(grant.entitlement!, "grant.entitlement");
      return unassignRole(deps, who, { kind: "standard", type }, ctx);
    },
  } satisfies ResourceSyncer;
}
