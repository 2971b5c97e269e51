import { attemptWrite, isOktaError, OKTA_ERROR_CODES, type OktaRoleAssignment, type OktaRolesApi, type RoleToAssign } from "../../okta/index.js";
import type { OktaLinks } from "../../okta/types.js";
import { ConnectorError } from "../../protocol/errors.js";
import type { ProvisionCallContext, SyncCallContext } from "../../protocol/resource-syncer.js";
import type { ServiceAppOktaApi } from "../service-app/service-app-okta.js";
import { allPages } from "./cursor.js";
import { callOptions, notFoundNamingId, type Principal, unlessNotFound } from "./provisioning.js";
import type { RoleAssignmentsSource } from "./role-assignments.js";

/**
 * Assigning and unassigning admin roles, standard (`{type: "HELP_DESK_ADMIN"}`) or custom (a custom
 * role on a resource set, which Okta records as a binding member), to users, groups and OAuth
 * service apps alike (baton-okta only does users; a service app's are at /oauth2/v1/clients/{id}/roles).
 *
 * - Assign: the principal's roles are read first, so "already" means held before this call. Then
 *   `POST /users|groups/{id}/roles` (or `/oauth2/v1/clients/{id}/roles`). Okta does not dedupe that POST: when an attempt's answer was lost
 *   and the retry meets 409 E0000090, the assignment is this call's own (reported as granted); a 409
 *   with no lost answer means another writer got there in between.
 * - Unassign needs the assignment id, not the role: list the principal's roles and delete the
 *   matching ones it holds itself. A user's list also shows roles of its groups (assignmentType
 *   GROUP); those are the group's, so a user holding the role only that way is refused with the
 *   groups named, as for group-derived app access.
 */
export type RoleTarget =
  | { readonly kind: "standard"; readonly type: string }
  | { readonly kind: "custom"; readonly customRoleId: string; readonly resourceSetId: string };

export interface RoleProvisioningDeps {
  readonly okta: Pick<OktaRolesApi, "assignRoleToUser" | "assignRoleToGroup" | "listUserRoles" | "listGroupRoles" | "unassignRoleFromUser" | "unassignRoleFromGroup">;
  /** The role calls of OAuth service apps (their own folder's Okta calls). */
  readonly clients: Pick<ServiceAppOktaApi, "assignRoleToClient" | "listClientRoles" | "unassignRoleFromClient">;
  /** Dropped after every change, so the next role listing shows it. */
  readonly assignments: Pick<RoleAssignmentsSource, "invalidate">;
}

/** The `assignmentType` Okta gives an assignment made to the principal itself. */
const OWN_ASSIGNMENT: Readonly<Record<Principal["type"], string>> = { user: "USER", group: "GROUP", "service-app": "CLIENT" };

/** Assigns `target` to `principal`; `alreadyExists` when it held the role before this call wrote anything. */
export async function assignRole(deps: RoleProvisioningDeps, principal: Principal, target: RoleTarget, ctx: ProvisionCallContext): Promise<{ alreadyExists: boolean }> {
  const ids = [{ id: principal.id, field: "principal.id.resource", what: principal.type }];
  const own = OWN_ASSIGNMENT[principal.type];
  const roles = await rolesOf(deps, principal, ctx).catch((error: unknown) => {
    throw notFoundNamingId(error, ids);
  });
  if (roles.some((a) => a.status !== "INACTIVE" && matches(a, target) && (a.assignmentType ?? own) === own)) return { alreadyExists: true };
  const role: RoleToAssign = target.kind === "standard" ? { type: target.type } : { type: "CUSTOM", customRoleId: target.customRoleId, resourceSetId: target.resourceSetId };
  const write = await attemptWrite(() =>
    principal.type === "user" ? deps.okta.assignRoleToUser(principal.id, role, callOptions(ctx))
    : principal.type === "group" ? deps.okta.assignRoleToGroup(principal.id, role, callOptions(ctx))
    : deps.clients.assignRoleToClient(principal.id, role, callOptions(ctx)),
  );
  deps.assignments.invalidate();
  if (write.ok) return { alreadyExists: false };
  if (isOktaError(write.error) && write.error.errorCode === OKTA_ERROR_CODES.roleAlreadyAssigned) return { alreadyExists: !write.uncertain };
  throw notFoundNamingId(write.error, ids);
}

/** Unassigns every assignment of `target` the principal holds itself; `alreadyRevoked` when there was none. */
export async function unassignRole(deps: RoleProvisioningDeps, principal: Principal, target: RoleTarget, ctx: ProvisionCallContext): Promise<{ alreadyRevoked: boolean }> {
  // A principal Okta no longer has holds no role: that revoke is already done.
  const roles = await unlessNotFound(() => rolesOf(deps, principal, ctx), []);
  const matching = roles.filter((a) => a.status !== "INACTIVE" && matches(a, target));
  const own = OWN_ASSIGNMENT[principal.type];
  const held = matching.filter((a) => (a.assignmentType ?? own) === own);
  if (held.length === 0) {
    const viaGroups = matching.filter((a) => a.assignmentType === "GROUP").map(assigneeGroupOf).filter((g): g is string => g !== undefined);
    if (principal.type === "user" && viaGroups.length > 0) {
      const groups = [...new Set(viaGroups)];
      throw new ConnectorError(
        "group-derived-assignment",
        `user ${principal.id} holds ${describe(target)} only through group${groups.length > 1 ? "s" : ""} ${groups.join(", ")}; remove the user from ${groups.length > 1 ? "those groups" : "that group"} or unassign the role from the group instead`,
      );
    }
    return { alreadyRevoked: true };
  }
  for (const assignment of held) {
    await unlessNotFound(async () => {
      if (principal.type === "user") await deps.okta.unassignRoleFromUser(principal.id, assignment.id, callOptions(ctx));
      else if (principal.type === "group") await deps.okta.unassignRoleFromGroup(principal.id, assignment.id, callOptions(ctx));
      else await deps.clients.unassignRoleFromClient(principal.id, assignment.id, callOptions(ctx));
    }, undefined);
  }
  deps.assignments.invalidate();
  return { alreadyRevoked: false };
}

/** Every role assignment Okta lists for one principal (its own and, for a user, its groups'). */
export async function rolesOf(deps: Pick<RoleProvisioningDeps, "okta" | "clients">, principal: Principal, ctx: SyncCallContext & { deadlineMs?: number | undefined }): Promise<OktaRoleAssignment[]> {
  const endpoint = principal.type === "service-app" ? "GET /oauth2/v1/clients/{id}/roles" : `GET /api/v1/${principal.type === "user" ? "users" : "groups"}/{id}/roles`;
  return allPages(endpoint, (after) => {
    const options = { after, signal: ctx.signal, deadlineMs: ctx.deadlineMs };
    if (principal.type === "user") return deps.okta.listUserRoles(principal.id, options);
    if (principal.type === "group") return deps.okta.listGroupRoles(principal.id, options);
    return deps.clients.listClientRoles(principal.id, options);
  });
}

function matches(assignment: OktaRoleAssignment, target: RoleTarget): boolean {
  if (target.kind === "standard") return assignment.type === target.type;
  return assignment.type === "CUSTOM" && assignment.role === target.customRoleId && assignment["resource-set"] === target.resourceSetId;
}

/** The group of a GROUP assignment, from `_links.assignee.href` (`…/api/v1/groups/{id}`). */
function assigneeGroupOf(assignment: OktaRoleAssignment): string | undefined {
  const link = (assignment._links as OktaLinks | undefined)?.["assignee"];
  const href = Array.isArray(link) ? link[0]?.href : link?.href;
  return typeof href === "string" ? /\/api\/v1\/groups\/([A-Za-z0-9]+)(?:[/?#]|$)/.exec(href)?.[1] : undefined;
}

function describe(target: RoleTarget): string {
  return target.kind === "standard" ? `the ${target.type} role` : `custom role ${target.customRoleId} on resource set ${target.resourceSetId}`;
}
