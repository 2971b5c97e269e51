import type { OktaClient, OktaRolesApi } from "../../okta/index.js";
import type { ResourceSyncer } from "../../protocol/resource-syncer.js";
import { afterOf, cursorOf } from "../shared/cursor.js";
import { notThatResource, requireReadable } from "../shared/get-resource.js";
import { oktaIdOf } from "../shared/provisioning.js";
import { GET_RESOURCE_ID_FIELD } from "../shared/request-fields.js";
import { getCustomRole } from "./custom-role-okta.js";
import type { RoleAssignmentsSource } from "../shared/role-assignments.js";
import { roleGrantsPage } from "../shared/role-grants.js";
import { CUSTOM_ROLE_TYPE } from "./resource-type.js";
import { roleCoverageGaps, type RolesUnreadable } from "../shared/roles-access.js";
import { customRoleEntitlementOf, customRoleResourceOf } from "./custom-role-mappers.js";

/**
 * Custom admin roles (`/api/v1/iam/roles`, ids cr0…) → `custom-role` resources, with
 * --sync-custom-roles. Who holds them comes from the shared role-assignment index; which resource set
 * each assignment is scoped to is modelled by the resourceset-binding type.
 */
export interface CustomRoleSyncerDeps {
  readonly okta: Pick<OktaRolesApi, "listCustomRoles">;
  /** For GetResource: one role, read live. */
  readonly client: OktaClient;
  readonly assignments: RoleAssignmentsSource;
  /** Why the credential cannot read roles, or undefined when it can (asks Okta once, then cached). */
  readonly rolesUnreadable: RolesUnreadable;
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
    /** One call: the listing holds every custom role, and the role's JSON is all its resource needs. */
    async get(id, _parent, ctx) {
      await requireReadable(id, deps.rolesUnreadable, ctx);
      const role = await getCustomRole(deps.client, oktaIdOf("customRole", id, GET_RESOURCE_ID_FIELD), { signal: ctx.signal });
      // The path also takes a label: a role whose label is the asked id is another resource.
      if (role.id !== id.resource) throw notThatResource(id);
      return customRoleResourceOf(role);
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
