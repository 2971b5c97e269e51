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
  const servePage = createPrefetchedPages(def.pagePrefetch);

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
      return guard(ctx, async () => ({ list: (await resourceTypesWithCoverage(def.registry, ctx)).map(fitResourceType) }));
    },
  };

  const resources: ServiceImpl<typeof ResourcesService> = {
    listResources(req, ctx) {
      validatePageSize(req.pageSize);
      validateCommon(req);
      const syncer = syncerFor("resource_type_id", req.resourceTypeId);
      const parent = validateResourceId("parent_resource_id", req.parentResourceId, { required: false });
      refuseParent(parent, req.resourceTypeId);
      const scope = `resources:${req.resourceTypeId}:${parent ? `${parent.resourceType}/${parent.resource}` : ""}`;
      return guard(ctx, () =>
        servePage(ctx, ResourcesServiceListResourcesResponseSchema, `${scope}\n${req.pageSize}`, req.pageToken, async (pageToken, signal) => {
          const page = await runPage({ key, scope, count, pageToken, fetch: (c) => syncer.list(parent, c, { signal, activeSyncId: syncIdOf(req) }) });
          return { list: page.items.map(fitResource), nextPageToken: page.nextPageToken };
        }),
      );
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
      const scope = `entitlements:${resource.id!.resourceType}/${resource.id!.resource}`;
      return guard(ctx, () =>
        servePage(ctx, EntitlementsServiceListEntitlementsResponseSchema, `${scope}\n${req.pageSize}`, req.pageToken, async (pageToken, signal) => {
          const page = await runPage({ key, scope, count, pageToken, fetch: (c) => notFoundNaming("resource.id.resource", () => syncer.entitlements(resource, c, { signal, activeSyncId: syncIdOf(req) })) });
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
      const scope = `grants:${resource.id!.resourceType}/${resource.id!.resource}`;
      return guard(ctx, () =>
        servePage(ctx, GrantsServiceListGrantsResponseSchema, `${scope}\n${req.pageSize}`, req.pageToken, async (pageToken, signal) => {
          const page = await runPage({ key, scope, count, pageToken, fetch: (c) => notFoundNaming("resource.id.resource", () => syncer.grants(resource, c, { signal, activeSyncId: syncIdOf(req) })) });
          return { list: page.items.map(fitGrant), nextPageToken: page.nextPageToken };
        }),
      );
    },
  };

  return { resourceTypes, resources, getter, entitlements, grants };
}
