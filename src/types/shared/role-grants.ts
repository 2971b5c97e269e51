import type { Entitlement } from "../../../gen/c1/connector/v2/entitlement_pb.js";
import type { Resource } from "../../../gen/c1/connector/v2/resource_pb.js";
import type { Grant } from "../../../gen/c1/connector/v2/grant_pb.js";
import { grantExpandable, v1Identifier } from "../../protocol/annotations.js";
import { newAssignmentEntitlement, newGrant, resourceId } from "../../protocol/builders.js";
import { entitlementId } from "../../protocol/ids.js";
import type { Cursor, Page } from "../../protocol/resource-syncer.js";
import { MEMBER_SLUG } from "../group/group-mappers.js";
import type { RoleHolders } from "./role-assignments.js";
import { GROUP_TYPE } from "../group/resource-type.js";
import { SERVICE_APP_TYPE } from "../service-app/resource-type.js";
import { USER_TYPE } from "../user/resource-type.js";

/** The entitlement slug of every role-like type (standard and custom roles): `role:SUPER_ADMIN:assigned`. */
export const ASSIGNED_SLUG = "assigned";

const GRANTS_PER_PAGE = 500;

/**
 * The one entitlement of a role, standard or custom (`role:{id}:assigned`), with baton-okta's V1 id
 * `role:{id}`, grantable to users, groups and OAuth service apps.
 */
export function roleAssignedEntitlementOf(resource: Resource): Entitlement {
  const label = resource.displayName;
  return newAssignmentEntitlement(resource, {
    slug: ASSIGNED_SLUG,
    displayName: `${label} Role Member`,
    description: `Has the ${label} role in Okta`,
    grantableTo: [USER_TYPE, GROUP_TYPE, SERVICE_APP_TYPE],
    annotations: [v1Identifier(`role:${resource.id!.resource}`)],
  });
}

/**
 * A role held by a user, a service app (`…:service-app:{clientId}`), or a group (expandable to its
 * members), as the sync lists it and as a Grant returns it.
 */
export function roleGrantOf(entitlement: Entitlement, principal: { readonly type: string; readonly id: string }, v1RoleId: string): Grant {
  return newGrant(entitlement, resourceId(principal.type, principal.id), [
    ...(principal.type === GROUP_TYPE.id ? [grantExpandable([entitlementId(GROUP_TYPE.id, principal.id, MEMBER_SLUG)])] : []),
    v1Identifier(`grant:${v1RoleId}:${principal.id}`),
  ]);
}

/**
 * One page of the grants of a role: its users, then its groups (expandable to their members, so the
 * engine sees every user who holds the role through a group), then its service apps. The cursor is an offset into the
 * holders, sorted by id, so it stays meaningful after the index is rebuilt.
 */
export function roleGrantsPage(entitlement: Entitlement, holders: RoleHolders | undefined, cursor: Cursor | undefined, v1RoleId: string): Page<Grant> {
  const principals = [
    ...(holders?.users ?? []).map((id) => ({ type: USER_TYPE.id, id })),
    ...(holders?.groups ?? []).map((id) => ({ type: GROUP_TYPE.id, id })),
    ...(holders?.clients ?? []).map((id) => ({ type: SERVICE_APP_TYPE.id, id })),
  ];
  const offset = typeof cursor === "object" && cursor !== null && typeof (cursor as { offset?: unknown }).offset === "number" ? (cursor as { offset: number }).offset : 0;
  const slice = principals.slice(offset, offset + GRANTS_PER_PAGE);
  const items = slice.map((p) => roleGrantOf(entitlement, p, v1RoleId));
  const end = offset + slice.length;
  return { items, cursor: end < principals.length ? { offset: end } : undefined };
}
