/**
 * Admin roles: standard and custom role assignments, the IAM listings (custom roles, resource sets,
 * bindings and their members) and the bulk list of users holding any role.
 *
 * `/users/{id}/roles` and `/groups/{id}/roles` answer an array (no documented paging, but a Link
 * header is followed if Okta sends one). The `/iam/*` listings answer wrapper objects
 * (okta-api.md §1.4): `{value}` for assignees, `{roles}` for custom roles and bindings,
 * `{"resource-sets"}`, `{resources}`, `{members}`.
 */
import type { OktaClient } from "./client.js";
import { OktaError } from "./errors.js";
import { validateOktaId } from "./ids.js";
import { OKTA_PAGE_LIMITS } from "./page-limits.js";
import { expectObject, fetchIamPage, fetchPage } from "./paging.js";
import type {
  CallOptions,
  OktaBinding,
  OktaBindingMember,
  OktaCustomRole,
  OktaResourceSet,
  OktaResourceSetResource,
  OktaRoleAssignee,
  OktaRoleAssignment,
  Page,
  PageOptions,
} from "./types.js";

/** What to assign: a standard role type, or a custom role scoped to a resource set. */
export type RoleToAssign =
  | { type: string }
  | { type: "CUSTOM"; customRoleId: string; resourceSetId: string };

/** Role calls. Ids and role types are validated before they reach a URL or a body. */
export interface OktaRolesApi {
  listUserRoles(userId: string, options?: PageOptions): Promise<Page<OktaRoleAssignment>>;
  listGroupRoles(groupId: string, options?: PageOptions): Promise<Page<OktaRoleAssignment>>;
  /** `GET /api/v1/iam/assignees/users`: every user with at least one admin role, directly assigned. */
  listRoleAssigneeUsers(options?: PageOptions): Promise<Page<OktaRoleAssignee>>;
  listCustomRoles(options?: PageOptions): Promise<Page<OktaCustomRole>>;
  listResourceSets(options?: PageOptions): Promise<Page<OktaResourceSet>>;
  listResourceSetResources(resourceSetId: string, options?: PageOptions): Promise<Page<OktaResourceSetResource>>;
  listBindings(resourceSetId: string, options?: PageOptions): Promise<Page<OktaBinding>>;
  listBindingMembers(resourceSetId: string, customRoleId: string, options?: PageOptions): Promise<Page<OktaBindingMember>>;
  /** 409 E0000090 (already assigned) surfaces as OktaError kind "conflict". */
  assignRoleToUser(userId: string, role: RoleToAssign, options?: CallOptions): Promise<OktaRoleAssignment>;
  assignRoleToGroup(groupId: string, role: RoleToAssign, options?: CallOptions): Promise<OktaRoleAssignment>;
  /** Takes the assignment id (`ra…`/`irb…`), not the role type. */
  unassignRoleFromUser(userId: string, roleAssignmentId: string, options?: CallOptions): Promise<void>;
  unassignRoleFromGroup(groupId: string, roleAssignmentId: string, options?: CallOptions): Promise<void>;
}

/** Builds the {@link OktaRolesApi} over a client. */
export function createOktaRolesApi(client: OktaClient): OktaRolesApi {
  const userRoles = (userId: string): string => `/api/v1/users/${validateOktaId("user", userId)}/roles`;
  const groupRoles = (groupId: string): string => `/api/v1/groups/${validateOktaId("group", groupId)}/roles`;
  const resourceSet = (id: string): string => `/api/v1/iam/resource-sets/${validateOktaId("resourceSet", id)}`;

  async function assign(path: string, role: RoleToAssign, options: CallOptions): Promise<OktaRoleAssignment> {
    const response = await client.request<OktaRoleAssignment>({ method: "POST", path, body: roleBody(role), ...options });
    return expectObject(response.body, "assignRole");
  }

  return {
    listUserRoles: (userId, options = {}) => fetchPage<OktaRoleAssignment>(client, userRoles(userId), {}, options),
    listGroupRoles: (groupId, options = {}) => fetchPage<OktaRoleAssignment>(client, groupRoles(groupId), {}, options),

    listRoleAssigneeUsers: (options = {}) =>
      fetchIamPage<OktaRoleAssignee>(client, "/api/v1/iam/assignees/users", "value", {}, {
        ...options,
        limit: options.limit ?? OKTA_PAGE_LIMITS.roleAssignees,
      }),
    listCustomRoles: (options = {}) => fetchIamPage<OktaCustomRole>(client, "/api/v1/iam/roles", "roles", {}, options),
    listResourceSets: (options = {}) =>
      fetchIamPage<OktaResourceSet>(client, "/api/v1/iam/resource-sets", "resource-sets", {}, options),
    listResourceSetResources: (resourceSetId, options = {}) =>
      fetchIamPage<OktaResourceSetResource>(client, `${resourceSet(resourceSetId)}/resources`, "resources", {}, {
        ...options,
        limit: options.limit ?? OKTA_PAGE_LIMITS.resourceSetResources,
      }),
    listBindings: (resourceSetId, options = {}) =>
      fetchIamPage<OktaBinding>(client, `${resourceSet(resourceSetId)}/bindings`, "roles", {}, options),
    listBindingMembers: (resourceSetId, customRoleId, options = {}) =>
      fetchIamPage<OktaBindingMember>(
        client,
        `${resourceSet(resourceSetId)}/bindings/${validateOktaId("customRole", customRoleId)}/members`,
        "members",
        {},
        options,
      ),

    assignRoleToUser: (userId, role, options = {}) => assign(userRoles(userId), role, options),
    assignRoleToGroup: (groupId, role, options = {}) => assign(groupRoles(groupId), role, options),

    async unassignRoleFromUser(userId, roleAssignmentId, options = {}) {
      const path = `${userRoles(userId)}/${validateOktaId("roleAssignment", roleAssignmentId)}`;
      await client.request({ method: "DELETE", path, ...options });
    },
    async unassignRoleFromGroup(groupId, roleAssignmentId, options = {}) {
      const path = `${groupRoles(groupId)}/${validateOktaId("roleAssignment", roleAssignmentId)}`;
      await client.request({ method: "DELETE", path, ...options });
    },
  };
}

/** The JSON body of a role assignment; custom roles need both the role and its resource set. */
export function roleBody(role: RoleToAssign): Record<string, string> {
  const type = validateOktaId("roleType", role.type, "role.type");
  if (type !== "CUSTOM") return { type };
  if (!("customRoleId" in role)) {
    throw new OktaError({ kind: "invalid", message: "a CUSTOM role assignment needs customRoleId and resourceSetId" });
  }
  return {
    type,
    role: validateOktaId("customRole", role.customRoleId, "role.customRoleId"),
    "resource-set": validateOktaId("resourceSet", role.resourceSetId, "role.resourceSetId"),
  };
}
