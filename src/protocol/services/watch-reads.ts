import { create, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { SkipEntitlementsAndGrantsSchema, SkipEntitlementsSchema, SkipGrantsSchema } from "../../../gen/c1/connector/v2/annotation_resource_tree_pb.js";
import { type Entitlement } from "../../../gen/c1/connector/v2/entitlement_pb.js";
import { type Grant, GrantSchema } from "../../../gen/c1/connector/v2/grant_pb.js";
import type { Resource, ResourceId } from "../../../gen/c1/connector/v2/resource_pb.js";
import {
  type PrincipalGrants,
  PrincipalGrantsSchema,
  type ResourceState,
  ResourceStateSchema,
  type TypeState,
  TypeStateSchema,
} from "../../../gen/oktaconnector/v1/stream_pb.js";
import { has } from "../annotations.js";
import { isKindedError } from "../errors.js";
import { fitEntitlement, fitGrant, fitResource } from "../fit-limits.js";
import { advanceListing, EMPTY_HISTORY } from "../listing-loop.js";
import type { Cursor, Page, ResourceSyncer, SyncCallContext } from "../resource-syncer.js";

/**
 * Watch's reads: one resource, or every resource of a type, as a full sync would hold it now, through
 * the same syncers (GetResource, then its entitlements and grants), so a watched snapshot and a fresh
 * sync agree row for row.
 */

/**
 * One resource now; without `resource` when Okta no longer has it (or a sync would leave it out). A
 * resource deleted while its grants are read (a 404 on its member listing) is gone too: its deletion
 * entry follows in the log, and reading it then finds it gone again.
 */
export async function readResourceState(syncer: ResourceSyncer, id: ResourceId, ctx: SyncCallContext): Promise<ResourceState> {
  const gone = create(ResourceStateSchema, { resourceId: id });
  try {
    const found = await syncer.get!(id, undefined, ctx);
    return found ? await stateOf(syncer, fitResource(found), ctx) : gone;
  } catch (error) {
    // A 404, or the type's own "not synced" answer: either way a sync would not hold it.
    if (isNotFound(error)) return gone;
    throw error;
  }
}

const isNotFound = (error: unknown) => isKindedError(error) && error.kind === "not-found";

/** Every resource of a type now (with `resourcesOnly`, without their entitlements and grants): resources missing from it are gone. */
export async function readTypeState(syncer: ResourceSyncer, ctx: SyncCallContext, resourcesOnly = false): Promise<TypeState> {
  const resources = await allItems((c) => syncer.list(undefined, c, ctx), `the ${syncer.resourceType.id} listing`);
  const states: ResourceState[] = [];
  for (const listed of resources) {
    const resource = fitResource(listed);
    states.push(resourcesOnly ? create(ResourceStateSchema, { resourceId: resource.id, resource }) : await stateOf(syncer, resource, ctx));
  }
  return create(TypeStateSchema, { resourceTypeId: syncer.resourceType.id, resources: states, resourcesOnly });
}

/** The grants `principal` holds on each type that can say so from the principal's side (ResourceSyncer.grantsHeldBy). */
export async function readPrincipalGrants(syncers: readonly ResourceSyncer[], principal: ResourceId, ctx: SyncCallContext): Promise<PrincipalGrants[]> {
  const out: PrincipalGrants[] = [];
  for (const syncer of syncers) {
    // A principal deleted meanwhile holds nothing; its deletion entry follows in the log.
    const grants = await syncer.grantsHeldBy?.(principal, ctx).catch((error: unknown) => {
      if (isNotFound(error)) return [];
      throw error;
    });
    if (grants) out.push(create(PrincipalGrantsSchema, { principal, resourceTypeId: syncer.resourceType.id, grants: grants.map(fitGrant) }));
  }
  return out;
}

async function stateOf(syncer: ResourceSyncer, resource: Resource, ctx: SyncCallContext): Promise<ResourceState> {
  const typeSkips = has(syncer.resourceType.annotations, SkipEntitlementsAndGrantsSchema);
  const skipsAll = typeSkips || has(resource.annotations, SkipEntitlementsAndGrantsSchema);
  const entitlements: Entitlement[] = skipsAll || has(resource.annotations, SkipEntitlementsSchema)
    ? []
    : (await allItems((c) => syncer.entitlements(resource, c, ctx), `the entitlements of ${resource.id!.resourceType} ${resource.id!.resource}`)).map(fitEntitlement);
  const grants: Grant[] = skipsAll || has(resource.annotations, SkipGrantsSchema)
    ? []
    : (await allItems((c) => syncer.grants(resource, c, ctx), `the grants of ${resource.id!.resourceType} ${resource.id!.resource}`)).map(fitGrant);
  return create(ResourceStateSchema, { resourceId: resource.id, resource, entitlements, grants });
}

async function allItems<T>(fetch: (cursor: Cursor | undefined) => Promise<Page<T>>, what: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: Cursor | undefined;
  let history = EMPTY_HISTORY;
  for (;;) {
    const page = await fetch(cursor);
    items.push(...page.items);
    // A listing that hands back a cursor it gave before would loop forever: fail naming it.
    history = advanceListing(history, cursor, page.cursor, what);
    if (page.cursor === undefined) return items;
    cursor = page.cursor;
  }
}

type ResourceStateInit = MessageInitShape<typeof ResourceStateSchema>;

/**
 * Splits states so that none is larger than `maxBytes` encoded: a resource with more grants than fit
 * is sent as several parts, all but the last with `more_grants`, and a type as several parts with `more`.
 */
export function splitResourceState(state: ResourceState, maxBytes: number): ResourceState[] {
  if (toBinary(ResourceStateSchema, state).length <= maxBytes) return [state];
  const head = create(ResourceStateSchema, { ...state, grants: [] } as ResourceStateInit);
  const base = toBinary(ResourceStateSchema, head).length;
  const parts: ResourceState[] = [];
  let grants: Grant[] = [];
  let bytes = base;
  for (const grant of state.grants) {
    const size = toBinary(GrantSchema, grant).length + 6;
    if (grants.length > 0 && bytes + size > maxBytes) {
      parts.push(create(ResourceStateSchema, { ...head, grants, moreGrants: true } as ResourceStateInit));
      grants = [];
      bytes = base;
    }
    grants.push(grant);
    bytes += size;
  }
  parts.push(create(ResourceStateSchema, { ...head, grants, moreGrants: false } as ResourceStateInit));
  // Only the first part carries the entitlements: the rest repeat the resource id and its row only.
  return parts.map((p, i) => (i === 0 ? p : create(ResourceStateSchema, { ...p, entitlements: [] } as ResourceStateInit)));
}
