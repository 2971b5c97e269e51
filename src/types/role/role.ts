import type { Entitlement } from "../../../gen/c1/connector/v2/entitlement_pb.js";
import { ConnectorError } from "../../protocol/errors.js";
import type { ResourceSyncer } from "../../protocol/resource-syncer.js";
import { oktaIdOf, principalOf, requireEntitlement, requireGrantId, ROLE_PRINCIPAL_TYPES } from "../shared/provisioning.js";
import type { RoleAssignmentsSource } from "../shared/role-assignments.js";
import { roleGrantOf, roleGrantsPage } from "../shared/role-grants.js";
import { assignRole, type RoleProvisioningDeps, rolesOf, unassignRole } from "../shared/role-provisioning.js";
import { createEmailFilter } from "../shared/email-filter.js";
import type { SyncOptions } from "../../config/config.js";
import type { OktaUsersApi } from "../../okta/index.js";
import { ROLE_TYPE } from "./resource-type.js";
import { leftOutByListing, requireReadable } from "../shared/get-resource.js";
import { GET_RESOURCE_ID_FIELD } from "../shared/request-fields.js";
import { roleCoverageGaps, type RolesUnreadable } from "../shared/roles-access.js";
import { KNOWN_ROLES, roleEntitlementOf, roleResourceOf } from "./role-mappers.js";

export interface RoleSyncerDeps extends RoleProvisioningDeps {
  readonly assignments: RoleAssignmentsSource;
  /** Why the credential cannot read roles, or undefined when it can (asks Okta once, then cached). */
  readonly rolesUnreadable: RolesUnreadable;
  /** For a principal's own roles read from its side, with the same user filter as the assignment index. */
  readonly users: Pick<OktaUsersApi, "getUser">;
  readonly options: Pick<SyncOptions, "filterEmailDomains" | "skipAppGroups">;
}

/** Which assignments in a principal's role list are its own (a user's list also shows its groups' roles). */
const OWN_ASSIGNMENT: Readonly<Record<string, string>> = { user: "USER", group: "GROUP", "service-app": "CLIENT" };

/** The standard role type an entitlement names; CUSTOM is assigned through resource-set bindings. */
function roleTypeOf(entitlement: Entitlement, field: string): string {
  requireEntitlement(entitlement, roleEntitlementOf(entitlement.resource!), field);
  const type = oktaIdOf("roleType", entitlement.resource!.id!, `${field}.resource.id.resource`);
  if (type === "CUSTOM") throw new ConnectorError("invalid", `${field}.resource.id.resource: custom roles are granted through resourceset-binding member entitlements`);
  return type;
}

export function createRoleSyncer(deps: RoleSyncerDeps) {
  const keepUser = createEmailFilter(deps.options.filterEmailDomains);
  return {
    resourceType: ROLE_TYPE,
    coverageGaps: roleCoverageGaps(deps.rolesUnreadable),
    async list(_parent, cursor, ctx) {
      if (await deps.rolesUnreadable(ctx)) return { items: [] };
      const index = await deps.assignments.load(ctx, { fresh: cursor === undefined });
      // A known role keeps its known label (Okta's assignments carry the same one), so GetResource
      // answers it exactly without reading every assignment.
      const labels = new Map(Object.entries(KNOWN_ROLES));
      for (const [type, holders] of index.standard) if (!labels.has(type)) labels.set(type, holders.label);
      return { items: [...labels].map(([type, label]) => roleResourceOf(type, label)) };
    },
    /**
     * baton-okta's ten roles are always listed: no Okta call. Any other type is listed only while
     * someone holds it, and Okta can only say who holds what through the whole assignment read, so
     * that costs the index (none while the sync's index is in memory, see role-assignments.ts).
     */
    async get(id, _parent, ctx) {
      await requireReadable(id, deps.rolesUnreadable, ctx);
      const type = oktaIdOf("roleType", id, GET_RESOURCE_ID_FIELD);
      const known = KNOWN_ROLES[type];
      if (known) return roleResourceOf(type, known);
      const found = (await deps.assignments.load(ctx)).standard.get(type);
      if (!found) throw leftOutByListing(id, "no user, group or service app holds this role type, and only held roles beyond the ten standard ones are listed");
      return roleResourceOf(type, found.label);
    },
    async entitlements(resource) {
      return { items: [roleEntitlementOf(resource)] };
    },
    /**
     * The standard roles one principal holds, from its own role list (one call), as the assignment
     * index would list them: Watch reads this on a privilege event instead of every admin's roles,
     * since Okta logs a user's event only for the first and the last role and a re-read of the user is
     * what settles it.
     */
    async grantsHeldBy(principal, ctx) {
      const type = principal.resourceType as (typeof ROLE_PRINCIPAL_TYPES)[number];
      if (!ROLE_PRINCIPAL_TYPES.includes(type)) return undefined;
      if (await deps.rolesUnreadable(ctx)) return [];
      if (type === "user" && deps.options.filterEmailDomains.length > 0) {
        const user = await deps.users.getUser(principal.resource, { signal: ctx.signal });
        if (!keepUser(user.profile)) return [];
      }
      // The index leaves APP_GROUPs out under --skip-app-groups, which the group's own list does not say.
      if (type === "group" && deps.options.skipAppGroups) return undefined;
      const roles = await rolesOf(deps, { type, id: principal.resource }, ctx);
      return roles
        .filter((a) => a.status !== "INACTIVE" && a.type !== "CUSTOM" && typeof a.type === "string" && (a.assignmentType ?? OWN_ASSIGNMENT[type]) === OWN_ASSIGNMENT[type])
        .map((a) => roleGrantOf(roleEntitlementOf(roleResourceOf(a.type!, KNOWN_ROLES[a.type!] ?? a.label ?? a.type!)), { type, id: principal.resource }, `role:${a.type}`));
    },
    async grants(resource, cursor, ctx) {
      if (await deps.rolesUnreadable(ctx)) return { items: [] };
      const type = resource.id!.resource;
      const index = await deps.assignments.load(ctx);
      return roleGrantsPage(roleEntitlementOf(resource), index.standard.get(type), cursor, `role:${type}`);
    },

    async grant(principal, entitlement, ctx) {
      const who = principalOf(principal.id!, ROLE_PRINCIPAL_TYPES, "principal.id");
      const type = roleTypeOf(entitlement, "entitlement");
      const { alreadyExists } = await assignRole(deps, who, { kind: "standard", type }, ctx);
      return { grants: [roleGrantOf(entitlement, who, `role:${type}`)], alreadyExists };
    },

    async revoke(grant, ctx) {
      const who = principalOf(grant.principal!.id!, ROLE_PRINCIPAL_TYPES, "grant.principal.id");
      requireGrantId(grant, who);
      const type = roleTypeOf(grant.entitlement!, "grant.entitlement");
      return unassignRole(deps, who, { kind: "standard", type }, ctx);
    },
  } satisfies ResourceSyncer;
}
