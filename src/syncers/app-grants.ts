import type { Entitlement } from "../../gen/c1/connector/v2/entitlement_pb.js";
import type { Resource } from "../../gen/c1/connector/v2/resource_pb.js";
import { grantExpandable, v1Identifier } from "../protocol/annotations.js";
import { newAssignmentEntitlement, newGrant, resourceId } from "../protocol/builders.js";
import { entitlementId } from "../protocol/ids.js";
import { MEMBER_SLUG } from "./group.js";
import { GROUP_TYPE, USER_TYPE } from "./resource-types.js";

/**
 * The app `access` entitlement and its two kinds of grant, built in one place so that a sync and a
 * Grant produce byte-identical grants (same ids, same annotations).
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

/** A group's assignment to an app, expandable to the group's members (the source of their access). */
export function appGroupGrantOf(entitlement: Entitlement, appId: string, groupId: string) {
  return newGrant(entitlement, resourceId(GROUP_TYPE.id, groupId), [
    grantExpandable([entitlementId(GROUP_TYPE.id, groupId, MEMBER_SLUG)]),
    v1Identifier(`grant:membership:${appId}:${groupId}`),
  ]);
}

/** A user's direct assignment to an app. */
export function appUserGrantOf(entitlement: Entitlement, appId: string, userId: string) {
  return newGrant(entitlement, resourceId(USER_TYPE.id, userId), [v1Identifier(`grant:membership:${appId}:${userId}`)]);
}
