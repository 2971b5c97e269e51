import type { Resource } from "../../../gen/c1/connector/v2/resource_pb.js";
import type { OktaClient } from "../../okta/index.js";
import { v1Identifier } from "../../protocol/annotations.js";
import { newGrant, resourceId } from "../../protocol/builders.js";
import type { ResourceSyncer } from "../../protocol/resource-syncer.js";
import { afterOf, cursorOf } from "../shared/cursor.js";
import { oktaIdOf } from "../shared/provisioning.js";
import { GET_RESOURCE_ID_FIELD, LISTED_RESOURCE_ID_FIELD } from "../shared/request-fields.js";
import { notThatResource, requireReadable } from "../shared/get-resource.js";
import { getResourceSet } from "./resource-set-okta.js";
import { CUSTOM_ROLE_TYPE } from "../custom-role/resource-type.js";
import { RESOURCE_SET_TYPE } from "./resource-type.js";
import type { ResourceSetListings } from "../shared/resource-set-listings.js";
import { roleCoverageGaps, type RolesUnreadable } from "../shared/roles-access.js";
import { bindingsEntitlementOf, resourceSetResourceOf } from "./resource-set-mappers.js";

/**
 * Resource sets (`/api/v1/iam/resource-sets`, ids iam…) → `resource-set` resources, with
 * --sync-custom-roles. Their grants are the custom roles bound to them. baton-okta puts the resource
 * set's own id in the principal slot of these grants, so they collide; the principal here is the role.
 */
export interface ResourceSetSyncerDeps {
  /** The resource sets and their bindings, read once per sync with the binding type. */
  readonly listings: ResourceSetListings;
  /** For GetResource: one resource set, read live. */
  readonly client: OktaClient;
  /** Why the credential cannot read roles, or undefined when it can (asks Okta once, then cached). */
  readonly rolesUnreadable: RolesUnreadable;
}

export function createResourceSetSyncer(deps: ResourceSetSyncerDeps) {
  return {
    resourceType: RESOURCE_SET_TYPE,
    coverageGaps: roleCoverageGaps(deps.rolesUnreadable),
    async list(_parent, cursor, ctx) {
      if (await deps.rolesUnreadable(ctx)) return { items: [] };
      const page = await deps.listings.resourceSets(ctx, afterOf(cursor));
      return { items: page.items.map(resourceSetResourceOf), cursor: cursorOf(page.after) };
    },
    /** One call: every resource set is listed, and its JSON is all its resource needs. */
    async get(id, _parent, ctx) {
      await requireReadable(id, deps.rolesUnreadable, ctx);
      const set = await getResourceSet(deps.client, oktaIdOf("resourceSet", id, GET_RESOURCE_ID_FIELD), { signal: ctx.signal });
      // The path also takes a label: a set whose label is the asked id is another resource.
      if (set.id !== id.resource) throw notThatResource(id);
      return resourceSetResourceOf(set);
    },
    async entitlements(resource) {
      return { items: [bindingsEntitlementOf(resource)] };
    },
    async grants(resource, cursor, ctx) {
      if (await deps.rolesUnreadable(ctx)) return { items: [] };
      const setId = oktaIdOf("resourceSet", resource.id!, LISTED_RESOURCE_ID_FIELD);
      const entitlement = bindingsEntitlementOf(resource);
      const page = await deps.listings.bindings(ctx, setId, afterOf(cursor));
      const items = page.items.map((b) => newGrant(entitlement, resourceId(CUSTOM_ROLE_TYPE.id, b.id), [v1Identifier(`grant:membership:${setId}:${b.id}`)]));
      return { items, cursor: cursorOf(page.after) };
    },
  } satisfies ResourceSyncer;
}
