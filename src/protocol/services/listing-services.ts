import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { EntitlementsService, EntitlementsServiceListEntitlementsResponseSchema } from "../../../gen/c1/connector/v2/entitlement_pb.js";
import { GrantsService, GrantsServiceListGrantsResponseSchema } from "../../../gen/c1/connector/v2/grant_pb.js";
import {
  ResourcesServiceListResourcesResponseSchema,
  type Resource,
  ResourceGetterService,
  ResourcesService,
  ResourceTypesService,
} from "../../../gen/c1/connector/v2/resource_pb.js";
import { connectErrorFrom, isKindedError, notFoundNaming } from "../errors.js";
import { resourceTypesWithCoverage } from "../coverage.js";
import { fitEntitlement, fitGrant, fitResource, fitResourceType } from "../fit-limits.js";
import { LIMITS } from "../limits.js";
import { type OktaCallCounter, runPage } from "../paging.js";
import type { ResourceSyncer } from "../resource-syncer.js";
import { invalid, refuseParent, validateCommon, validateIssuedId, validatePageSize, validateResourceId, validateString } from "../validate-request.js";
import type { ConnectorDefinition } from "./connector-definition.js";
import { resourceKeyOf, skippedListings } from "../resource-walk.js";
import { createPrefetchedPages } from "./prefetched-pages.js";

/** The request's active_sync_id, or undefined when the engine names no sync (validated by validateCommon). */
function syncIdOf(req: { activeSyncId?: string }): string | undefined {
  return req.activeSyncId === undefined || req.activeSyncId === "" ? undefined : req.activeSyncId;
}

/**
 * The paged c1 listing services, each one adapter over the syncers: validate the request against
 * baton's limits, find the syncer, run one page, fit the output to baton's limits.
 */
export function createListingServices(def: ConnectorDefinition) {
  const key = def.pageTokenKey;
  const count: OktaCallCounter | undefined = def.countOktaCalls ? (tally, run) => def.countOktaCalls!(tally, run) : undefined;
  const pages = createPrefetchedPages(def.pagePrefetch, def.oktaHeadroom ? { headroom: () => def.oktaHeadroom!() } : {});

  const syncerFor = (field: string, resourceTypeId: string): ResourceSyncer => {
    validateString(field, resourceTypeId, { required: true, maxBytes: LIMITS.id });
    const syncer = def.registry.find(resourceTypeId);
    if (!syncer) throw new ConnectError(`${field}: unknown resource type "${resourceTypeId}"`, Code.NotFound);
    return syncer;
  };

  const resourceFrom = (field: string, resource: Resource | undefined): { syncer: ResourceSyncer; resource: Resource } => {
    if (!resource) throw invalid(field, "is required");
    const id = validateResourceId(`${field}.id`, resource.id, { required: true })!;
    return { syncer: syncerFor(`${field}.id.resource_type`, id.resourceType), resource };
  };

  const guard = async <T>(ctx: HandlerContext, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (ctx.signal.aborted && ctx.signal.reason instanceof ConnectError) throw ctx.signal.reason;
      throw connectErrorFrom(error);
    }
  };

  const resourceTypes: ServiceImpl<typeof ResourceTypesService> = {
    listResourceTypes(req, ctx) {
      validatePageSize(req.pageSize);
      validateCommon(req);
      // A handful of types: always one page, so any page token is simply the end.
      // Coverage reads what a sync keeps per sync (the group rules): under the sync's id, so the sync's later pages share it.
      return guard(ctx, async () => ({ list: (await resourceTypesWithCoverage(def.registry, { signal: ctx.signal, activeSyncId: syncIdOf(req) })).map(fitResourceType) }));
    },
  };

  const resources: ServiceImpl<typeof ResourcesService> = {
    listResources(req, ctx) {
      validatePageSize(req.pageSize);
      validateCommon(req);
      syncerFor("resource_type_id", req.resourceTypeId);
      const parent = validateResourceId("parent_resource_id", req.parentResourceId, { required: false });
      refuseParent(parent, req.resourceTypeId);
      const scopeOf = (resourceTypeId: string) => `resources:${resourceTypeId}:${parent ? `${parent.resourceType}/${parent.resource}` : ""}`;
      const listing = {
        resourceTypeId: req.resourceTypeId,
        scopeOf,
        syncId: syncIdOf(req),
        pageSize: req.pageSize,
        skipsOf: (r: Resource) => skippedListings(r.annotations, def.registry.find(r.id?.resourceType ?? "")?.resourceType.annotations ?? []),
        // A child listing (under a parent) is not part of the engine's walk over the types.
        typeOrder: parent ? undefined : def.registry.syncers.map((s) => s.resourceType.id),
      };
      // A type listed ahead (another type than the request's) has its own syncer.
      const answerFor = (resourceTypeId: string) => async (pageToken: string, signal: AbortSignal) => {
        const syncer = def.registry.find(resourceTypeId)!;
        const page = await runPage({ key, scope: scopeOf(resourceTypeId), count, pageToken, fetch: (c) => syncer.list(parent, c, { signal, activeSyncId: syncIdOf(req) }) });
        return { list: page.items.map(fitResource), nextPageToken: page.nextPageToken };
      };
      return guard(ctx, () => pages.serveResources(ctx, ResourcesServiceListResourcesResponseSchema, listing, req.pageToken, answerFor));
    },
  };

  const getter: ServiceImpl<typeof ResourceGetterService> = {
    getResource(req, ctx) {
      validateCommon(req);
      const id = validateResourceId("resource_id", req.resourceId, { required: true })!;
      const parent = validateResourceId("parent_resource_id", req.parentResourceId, { required: false });
      const syncer = syncerFor("resource_id.resource_type", id.resourceType);
      return guard(ctx, async () => {
        if (!syncer.get) throw new ConnectError(`resource type "${id.resourceType}" does not support GetResource`, Code.Unimplemented);
        // Okta's 404 for the id gets the message below; a syncer's own NOT_FOUND (a resource the
        // flags leave out) names the field and says why, and is kept.
        const resource = await syncer.get(id, parent, { signal: ctx.signal, activeSyncId: syncIdOf(req) }).catch((error: unknown) => {
          if (isKindedError(error) && error.kind === "not-found" && !error.message.startsWith("resource_id")) return undefined;
          throw error;
        });
        if (!resource) throw new ConnectError(`resource_id: ${id.resourceType} "${id.resource}" not found`, Code.NotFound);
        return { resource: fitResource(resource) };
      });
    },
  };

  const entitlements: ServiceImpl<typeof EntitlementsService> = {
    listEntitlements(req, ctx) {
      validatePageSize(req.pageSize);
      validateCommon(req);
      const { syncer, resource } = resourceFrom("resource", req.resource);
      validateIssuedId("resource.id", resource.id!);
      const scopeOf = (r: Resource) => `entitlements:${resourceKeyOf(r)}`;
      const request = { listing: "entitlements", resource, syncId: syncIdOf(req), pageSize: req.pageSize } as const;
      return guard(ctx, () =>
        // A resource fetched ahead (another resource than the request's) has its own syncer.
        pages.serveResourceListing(ctx, EntitlementsServiceListEntitlementsResponseSchema, request, req.pageToken, scopeOf, async (r, pageToken, signal) => {
          const of = r === resource ? syncer : syncerFor("resource.id.resource_type", r.id!.resourceType);
          const page = await runPage({ key, scope: scopeOf(r), count, pageToken, fetch: (c) => notFoundNaming("resource.id.resource", () => of.entitlements(r, c, { signal, activeSyncId: syncIdOf(req) })) });
          return { list: page.items.map(fitEntitlement), nextPageToken: page.nextPageToken };
        }),
      );
    },
    // Okta's entitlements all belong to a resource; none are type-wide.
    listStaticEntitlements(req) {
      validatePageSize(req.pageSize);
      validateCommon(req);
      syncerFor("resource_type_id", req.resourceTypeId);
      return { list: [], nextPageToken: "" };
    },
  };

  const grants: ServiceImpl<typeof GrantsService> = {
    listGrants(req, ctx) {
      validatePageSize(req.pageSize);
      validateCommon(req);
      const { syncer, resource } = resourceFrom("resource", req.resource);
      const scopeOf = (r: Resource) => `grants:${resourceKeyOf(r)}`;
      const request = { listing: "grants", resource, syncId: syncIdOf(req), pageSize: req.pageSize } as const;
      return guard(ctx, () =>
        pages.serveResourceListing(ctx, GrantsServiceListGrantsResponseSchema, request, req.pageToken, scopeOf, async (r, pageToken, signal) => {
          const of = r === resource ? syncer : syncerFor("resource.id.resource_type", r.id!.resourceType);
          const page = await runPage({ key, scope: scopeOf(r), count, pageToken, fetch: (c) => notFoundNaming("resource.id.resource", () => of.grants(r, c, { signal, activeSyncId: syncIdOf(req) })) });
          return { list: page.items.map(fitGrant), nextPageToken: page.nextPageToken };
        }),
      );
    },
  };

  return { resourceTypes, resources, getter, entitlements, grants };
}
