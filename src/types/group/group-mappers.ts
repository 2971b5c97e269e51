import type { JsonObject } from "@bufbuild/protobuf";
import type { OktaGroup } from "../../okta/index.js";
import { entitlementImmutable, pack, rawId, v1Identifier } from "../../protocol/annotations.js";
import { newAssignmentEntitlement, newGrant, newResource, resourceId } from "../../protocol/builders.js";
import { groupTrait } from "../../protocol/traits.js";
import { EntitlementImmutableSchema } from "../../../gen/c1/connector/v2/annotation_entitlement_pb.js";
import type { Entitlement } from "../../../gen/c1/connector/v2/entitlement_pb.js";
import type { GrantSources } from "../../../gen/c1/connector/v2/grant_pb.js";
import type { Resource } from "../../../gen/c1/connector/v2/resource_pb.js";
import { GROUP_TYPE } from "./resource-type.js";
import { USER_TYPE } from "../user/resource-type.js";

/** Okta groups → `group` resources, their member entitlement and membership grants: pure functions. */

export const MEMBER_SLUG = "member";

/** baton-okta's normalised group source types. */
const SOURCE_TYPES: Readonly<Record<string, string>> = { BUILT_IN: "built_in", APP_GROUP: "app_imported", OKTA_GROUP: "native" };

export function groupResourceOf(group: OktaGroup): Resource {
  const stats = group._embedded?.stats;
  const profile: JsonObject = {
    name: group.profile.name,
    description: group.profile.description ?? "",
    type: group.type,
    ...(typeof stats?.usersCount === "number" ? { users_count: stats.usersCount } : {}),
    ...(typeof stats?.appsCount === "number" ? { apps_count: stats.appsCount } : {}),
    ...(group.source?.id ? { source_app_id: group.source.id } : {}),
  };
  const created = group.created ? new Date(group.created) : undefined;
  return newResource({
    type: GROUP_TYPE,
    id: group.id,
    displayName: group.profile.name,
    description: group.profile.description ?? "",
    profile,
    ...(created && !Number.isNaN(created.getTime()) ? { createdAt: created } : {}),
    annotations: [
      groupTrait({ sourceType: SOURCE_TYPES[group.type] ?? "", rawSourceType: group.type, profile }),
      v1Identifier(group.id),
      rawId(group.id),
    ],
  });
}

export function memberEntitlementOf(resource: Resource) {
  const name = resource.displayName;
  const type = resource.profile?.["type"];
  // Okta manages the members of Everyone (BUILT_IN) and of groups imported from apps (APP_GROUP):
  // no request can change them, so the engine must not offer them.
  const immutable =
    type === "BUILT_IN" ? [entitlementImmutable()]
    : type === "APP_GROUP" ? [pack(EntitlementImmutableSchema, { sourceId: String(resource.profile?.["source_app_id"] ?? "") })]
    : [];
  return newAssignmentEntitlement(resource, {
    slug: MEMBER_SLUG,
    displayName: `${name} Group Member`,
    description: `Member of ${name} group in Okta`,
    grantableTo: [USER_TYPE],
    annotations: [v1Identifier(`membership:${resource.id!.resource}`), ...immutable],
  });
}

/** A membership grant, as the sync lists it and as a Grant returns it. */
export function membershipGrantOf(entitlement: Entitlement, groupId: string, userId: string, sources?: GrantSources) {
  const grant = newGrant(entitlement, resourceId(USER_TYPE.id, userId), [v1Identifier(`grant:membership:${groupId}:${userId}`)]);
  // The group rules that keep the membership (see shared/rule-managed.ts); the grant id is unchanged.
  if (sources) grant.sources = sources;
  return grant;
}
