import { create } from "@bufbuild/protobuf";
import { GrantImmutableSchema } from "../../../gen/c1/connector/v2/annotation_grant_pb.js";
import type { Entitlement } from "../../../gen/c1/connector/v2/entitlement_pb.js";
import { type Grant, GrantSourcesSchema } from "../../../gen/c1/connector/v2/grant_pb.js";
import type { Resource } from "../../../gen/c1/connector/v2/resource_pb.js";
import { grantExpandable, pack, v1Identifier } from "../../protocol/annotations.js";
import { newAssignmentEntitlement, newGrant, resourceId } from "../../protocol/builders.js";
import { entitlementId } from "../../protocol/ids.js";
import { MEMBER_SLUG } from "../group/group-mappers.js";
import { GROUP_TYPE } from "../group/resource-type.js";
import { USER_TYPE } from "../user/resource-type.js";

/**
 * The app `access` entitlement and its grants, built in one place so that a sync and a Grant produce
 * byte-identical grants (same ids, same annotations).
 *
 * Group-derived access has two representations with the same result in the engine's store:
 * - the group's grant is GrantExpandable and baton-sdk's expansion derives each member's grant
 *   (GrantImmutable, `sources` naming `group:{gid}:member`), used when that is exact;
 * - otherwise the connector writes those grants itself, in the same shape the expansion writes
 *   (baton-sdk v0.25.0 `newExpandedGrant` / `applyDestGrant`), so a reviewer sees one form either way.
 */
export const ACCESS_SLUG = "access";

export function accessEntitlementOf(resource: Resource) {
  const label = resource.displayName;
  return newAssignmentEntitlement(resource, {
    slug: ACCESS_SLUG,
    displayName: `${label} App Access`,
    description: `Has access to the ${label} app in Okta`,
    grantableTo: [USER_TYPE, GROUP_TYPE],
    annotations: [v1Identifier(`membership:${resource.id!.resource}`)],
  });
}

/**
 * A group's assignment to an app. `expandable` (the default) lets the engine give the group's members
 * the access; without it the members' grants come from the connector (see the module comment).
 */
export function appGroupGrantOf(entitlement: Entitlement, appId: string, groupId: string, options: { expandable?: boolean } = {}) {
  const expandable = options.expandable ?? true;
  return newGrant(entitlement, resourceId(GROUP_TYPE.id, groupId), [
    ...(expandable ? [grantExpandable([memberEntitlementIdOf(groupId)])] : []),
    v1Identifier(`grant:membership:${appId}:${groupId}`),
  ]);
}

/**
 * A user's direct assignment (Okta scope USER). `viaGroups` are the app's assigned groups the user is
 * also a member of: the grant then carries `sources` with itself marked direct plus those groups, as
 * baton-sdk stamps a direct grant its expansion also reaches.
 */
export function appUserGrantOf(entitlement: Entitlement, appId: string, userId: string, viaGroups: readonly string[] = []) {
  const grant = newGrant(entitlement, resourceId(USER_TYPE.id, userId), [v1Identifier(`grant:membership:${appId}:${userId}`)]);
  if (viaGroups.length > 0) grant.sources = sourcesOf([entitlement.id, ...viaGroups.map(memberEntitlementIdOf)]);
  return grant;
}

/**
 * Access that comes only through groups (Okta scope GROUP): GrantImmutable, since Okta refuses to
 * unassign it (403 E0000046; the group membership is what to change), and `sources` naming each
 * group's `member` entitlement and not the grant's own, which is how baton-sdk marks a derived grant.
 */
export function appGroupDerivedGrantOf(entitlement: Entitlement, appId: string, userId: string, viaGroups: readonly string[]): Grant {
  const grant = newGrant(entitlement, resourceId(USER_TYPE.id, userId), [pack(GrantImmutableSchema), v1Identifier(`grant:membership:${appId}:${userId}`)]);
  if (viaGroups.length > 0) grant.sources = sourcesOf(viaGroups.map(memberEntitlementIdOf));
  return grant;
}

const memberEntitlementIdOf = (groupId: string) => entitlementId(GROUP_TYPE.id, groupId, MEMBER_SLUG);

/** `is_direct: true` on every entry: a group member holds `member` directly, as the expansion records it. */
function sourcesOf(entitlementIds: readonly string[]) {
  return create(GrantSourcesSchema, { sources: Object.fromEntries(entitlementIds.map((id) => [id, { isDirect: true }])) });
}
