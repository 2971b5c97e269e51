import type { RoleAssignmentView } from "../org/roles.js";
import type { BindingMemberRecord, CustomRoleRecord, OrgInfo, PrincipalType, ResourceRecord, ResourceSetRecord } from "../org/types.js";
import { iso, link } from "./json-shapes.js";

const principalPath = (type: PrincipalType, id: string): string =>
  type === "USER" ? `/api/v1/users/${id}` : type === "GROUP" ? `/api/v1/groups/${id}` : `/oauth2/v1/clients/${id}`;

/** A role assignment: StandardRole, or CustomRole with `role` and `resource-set` (the key keeps its hyphen). */
export function renderRoleAssignment(view: RoleAssignmentView, base: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: view.id,
    label: view.label,
    type: view.type,
    status: "ACTIVE",
    created: iso(view.created),
    lastUpdated: iso(view.lastUpdated),
    assignmentType: view.assignmentType,
  };
  const assignee = link(base, principalPath(view.assignmentType, view.principalId));
  if (view.type !== "CUSTOM" || !view.roleId || !view.resourceSetId) {
    out["_links"] = { assignee };
    return out;
  }
  out["resource-set"] = view.resourceSetId;
  out["role"] = view.roleId;
  const setPath = `/api/v1/iam/resource-sets/${view.resourceSetId}`;
  out["_links"] = {
    assignee,
    "resource-set": link(base, setPath),
    role: link(base, `/api/v1/iam/roles/${view.roleId}`),
    permissions: link(base, `/api/v1/iam/roles/${view.roleId}/permissions`),
    member: link(base, `${setPath}/bindings/${view.roleId}/members/${view.id}`),
  };
  return out;
}

/** A custom role (IamRole). */
export function renderCustomRole(role: CustomRoleRecord, base: string): Record<string, unknown> {
  return {
    id: role.id,
    label: role.label,
    description: role.description,
    created: iso(role.created),
    lastUpdated: iso(role.lastUpdated),
    _links: { self: link(base, `/api/v1/iam/roles/${role.id}`), permissions: link(base, `/api/v1/iam/roles/${role.id}/permissions`) },
  };
}

/** A custom role's permissions (Permissions). */
export function renderPermissions(role: CustomRoleRecord, base: string): Record<string, unknown> {
  return {
    permissions: role.permissions.map((label) => ({
      label,
      created: iso(role.created),
      lastUpdated: iso(role.lastUpdated),
      _links: { self: link(base, `/api/v1/iam/roles/${role.id}/permissions/${label}`), role: link(base, `/api/v1/iam/roles/${role.id}`) },
    })),
  };
}

/** A resource set (ResourceSet). */
export function renderResourceSet(set: ResourceSetRecord, base: string): Record<string, unknown> {
  const path = `/api/v1/iam/resource-sets/${set.id}`;
  return {
    id: set.id,
    label: set.label,
    description: set.description,
    created: iso(set.created),
    lastUpdated: iso(set.lastUpdated),
    _links: { self: link(base, path), resources: link(base, `${path}/resources`), bindings: link(base, `${path}/bindings`) },
  };
}

/** A resource of a set (ResourceSetResource); `_links.self` is the resource's own API URL. */
export function renderResource(resource: ResourceRecord, base: string): Record<string, unknown> {
  return {
    id: resource.id,
    orn: resource.orn,
    created: iso(resource.created),
    lastUpdated: iso(resource.lastUpdated),
    _links: { self: link(base, resource.path) },
  };
}

/** One bound role in `…/bindings` (ResourceSetBindingRole) or `…/bindings/{role}` (ResourceSetBindingResponse). */
export function renderBindingRole(set: ResourceSetRecord, roleId: string, base: string): Record<string, unknown> {
  const path = `/api/v1/iam/resource-sets/${set.id}/bindings/${roleId}`;
  return { id: roleId, _links: { self: link(base, path), members: link(base, `${path}/members`), role: link(base, `/api/v1/iam/roles/${roleId}`) } };
}

/** A binding member (ResourceSetBindingMember); `_links.self` points at the user, group or client app. */
export function renderBindingMember(member: BindingMemberRecord, base: string): Record<string, unknown> {
  return {
    id: member.id,
    created: iso(member.created),
    lastUpdated: iso(member.lastUpdated),
    _links: { self: link(base, principalPath(member.principalType, member.principalId)) },
  };
}

/** One entry of `/iam/assignees/users` (RoleAssignedUser). */
export function renderRoleAssignedUser(userId: string, info: OrgInfo, base: string): Record<string, unknown> {
  return {
    id: userId,
    orn: `orn:okta:directory:${info.id}:users:${userId}`,
    _links: { self: link(base, `/api/v1/users/${userId}`), roles: link(base, `/api/v1/users/${userId}/roles`) },
  };
}
