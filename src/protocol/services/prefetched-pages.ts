import { createHash } from "node:crypto";
import { create, type DescMessage, equals, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import { type Resource, ResourceSchema } from "../../../gen/c1/connector/v2/resource_pb.js";
import type { PagePrefetcher } from "../page-prefetch.js";
import { createResourceWalk, resourceKeyOf, type ResourceWalk, type WalkedListing } from "../resource-walk.js";

/** A page response: what every paged listing answers. */
type PageResponse<S extends DescMessage> = MessageInitShape<S> & { readonly nextPageToken: string };

/**
 * What a prefetcher holds: the response, and for a page fetched ahead for a resource the engine had not
 * yet asked about, the resource it was computed from (the engine's copy must be the same to be served).
 */
interface Held<R> {
  readonly response: R;
  readonly basis?: Resource;
}

/** Resources whose first pages are fetched ahead at most, per ask; the prefetcher's bound decides how many start. */
const RESOURCES_AHEAD = 32;
/** Resource types whose listings are started ahead, per first page of a type's listing. */
const TYPES_AHEAD = 3;
/** Syncs whose walk over the types is remembered. */
const MAX_SYNCS = 16;

export interface PrefetchedPagesOptions {
  readonly walk?: ResourceWalk;
  /** False while Okta has no room for more work now: nothing speculative starts then. */
  readonly headroom?: () => boolean;
}

/** One type's resources (no parent), as ListResources asks for them. */
export interface ResourceTypeListing {
  readonly resourceTypeId: string;
  /** The listing's scope for a type (it is part of the page token). */
  readonly scopeOf: (resourceTypeId: string) => string;
  readonly syncId: string | undefined;
  readonly pageSize: number;
  readonly skipsOf: (resource: Resource) => ReadonlySet<WalkedListing>;
  /** The types in ListResourceTypes order; undefined for a child listing (under a parent), which is not walked. */
  readonly typeOrder: readonly string[] | undefined;
}

/** One resource's entitlements or grants, as ListEntitlements and ListGrants ask for them. */
export interface ResourceListingRequest {
  readonly listing: WalkedListing;
  readonly resource: Resource;
  /** The request's active_sync_id, if any, and page_size. */
  readonly syncId: string | undefined;
  readonly pageSize: number;
}

/**
 * Serves paged listings through the prefetcher (page-prefetch.ts): a page from one fetched ahead when
 * one is held for this exact request, else live; then the page after it is fetched ahead. `answer`
 * computes the response for a page token exactly as the live call does, so a prefetched answer is the
 * one the live call would have given when it was fetched.
 *
 * Entitlements and grants are also fetched ahead across resources: the engine asks for them resource
 * after resource in the order ListResources listed them (resource-walk.ts), so once the walk's
 * direction is known, the first pages of the resources it comes to next are fetched, and each such
 * page, once answered, fetches the page after it. These speculative fetches never evict (the
 * prefetcher's `ifRoom`), so the engine's wait per page is one local hop while Okta's latency is
 * spent several resources ahead.
 */
export function createPrefetchedPages(prefetcher: PagePrefetcher | undefined, options: PrefetchedPagesOptions = {}) {
  const walk = options.walk ?? createResourceWalk();
  // Per sync, the type whose listing the engine began last; the oldest syncs' entries are dropped.
  const typeSteps = new Map<string, number>();
  const headroom = options.headroom ?? (() => true);

  /**
   * Fetches the page `token` of the listing `requestKey` names ahead. Once answered, a page fetched
   * ahead fetches the page after it, while there is room: a listing's pages can only be read one after
   * another, so a long listing is read while the engine is still busy elsewhere. Speculative fetches
   * (the continuations, and the listings of resources and types the engine has not asked about) never
   * evict; `basis` is the resource a page of another resource's listing was computed from.
   */
  const fetchAhead = <S extends DescMessage, R extends PageResponse<S>>(
    principal: string,
    schema: S,
    requestKey: string,
    token: string,
    answer: (pageToken: string, signal: AbortSignal) => Promise<R>,
    ahead: { readonly speculative: boolean; readonly basis?: Resource | undefined },
  ): boolean =>
    prefetcher!.prefetch<Held<R>>(
      `${requestKey}\n${token}`,
      principal,
      async (signal) => {
        const response = await answer(token, signal);
        if (response.nextPageToken !== "" && !signal.aborted && headroom()) {
          fetchAhead(principal, schema, requestKey, response.nextPageToken, answer, { speculative: true, basis: ahead.basis });
        }
        return { value: { response, ...(ahead.basis ? { basis: ahead.basis } : {}) }, bytes: toBinary(schema, create(schema, response)).byteLength };
      },
      { ifRoom: ahead.speculative },
    );

  async function servePage<S extends DescMessage, R extends PageResponse<S>>(
    ctx: HandlerContext,
    schema: S,
    /** Everything in the request but the page token that changes the answer: method, listing scope, page size. */
    requestKey: string,
    pageToken: string,
    answer: (pageToken: string, signal: AbortSignal) => Promise<R>,
    /** The request's resource: a page fetched ahead from another copy of it is not served. */
    resource?: Resource,
  ): Promise<R> {
    if (prefetcher === undefined) return answer(pageToken, ctx.signal);
    const accept = (held: Held<R>) => held.basis === undefined || resource === undefined || equals(ResourceSchema, held.basis, resource);
    const held = await prefetcher.take<Held<R>>(`${requestKey}\n${pageToken}`, ctx.signal, accept);
    const response = held?.response ?? (await answer(pageToken, ctx.signal));
    if (response.nextPageToken !== "") fetchAhead(principalOf(ctx), schema, requestKey, response.nextPageToken, answer, { speculative: false });
    return response;
  }

  return {
    /**
     * ListResources: servePage, noting the resources listed, in order, for the walk over them. The
     * engine lists the types one after another too (ours in ListResourceTypes order, baton-sdk in the
     * reverse), so once two types' first pages name the direction, the next types' listings start.
     */
    async serveResources<S extends DescMessage, R extends PageResponse<S> & { readonly list: readonly Resource[] }>(
      ctx: HandlerContext,
      schema: S,
      listing: ResourceTypeListing,
      pageToken: string,
      answerFor: (resourceTypeId: string) => (pageToken: string, signal: AbortSignal) => Promise<R>,
    ): Promise<R> {
      const keyOf = (resourceTypeId: string) => `${listing.scopeOf(resourceTypeId)}\n${listing.pageSize}`;
      const sync = syncKeyOf(ctx, listing.syncId);
      // Started before this page is answered: one type's first page may take seconds (the role index).
      if (prefetcher !== undefined && pageToken === "" && listing.typeOrder !== undefined) {
        const order = listing.typeOrder;
        const at = order.indexOf(listing.resourceTypeId);
        const last = typeSteps.get(sync);
        typeSteps.delete(sync);
        typeSteps.set(sync, at);
        for (const oldest of typeSteps.keys()) if (typeSteps.size > MAX_SYNCS) typeSteps.delete(oldest);
        // Only a step to a neighbouring type names the direction; the first type, or a jump, does not.
        const direction = last === undefined || Math.abs(at - last) !== 1 ? 0 : at - last;
        const principal = principalOf(ctx);
        for (let p = at + direction; at >= 0 && direction !== 0 && p >= 0 && p < order.length && Math.abs(p - at) <= TYPES_AHEAD && headroom(); p += direction) {
          if (!fetchAhead(principal, schema, keyOf(order[p]!), "", answerFor(order[p]!), { speculative: true })) break;
        }
      }
      const response = await servePage(ctx, schema, keyOf(listing.resourceTypeId), pageToken, answerFor(listing.resourceTypeId));
      if (prefetcher !== undefined) {
        walk.listed(sync, listing.scopeOf(listing.resourceTypeId), pageToken === "", response.list.map((resource) => ({ resource, skips: listing.skipsOf(resource) })));
      }
      return response;
    },

    /**
     * ListEntitlements and ListGrants: servePage, then the first pages of the resources the engine
     * will ask about next are fetched ahead. `scopeOf` names a resource's listing (it is part of the
     * page token), `answer` computes a page of it.
     */
    async serveResourceListing<S extends DescMessage, R extends PageResponse<S>>(
      ctx: HandlerContext,
      schema: S,
      request: ResourceListingRequest,
      pageToken: string,
      scopeOf: (resource: Resource) => string,
      answer: (resource: Resource, pageToken: string, signal: AbortSignal) => Promise<R>,
    ): Promise<R> {
      const keyOf = (resource: Resource) => `${scopeOf(resource)}\n${request.pageSize}`;
      const response = servePage(ctx, schema, keyOf(request.resource), pageToken, (token, signal) => answer(request.resource, token, signal), request.resource);
      if (prefetcher === undefined) return response;
      // Started while this page is answered (it is taken out of the prefetcher first, so its slot is free).
      const sync = syncKeyOf(ctx, request.syncId);
      if (pageToken === "") walk.asked(sync, request.listing, resourceKeyOf(request.resource));
      const principal = principalOf(ctx);
      for (const next of headroom() ? walk.ahead(sync, request.listing, RESOURCES_AHEAD) : []) {
        const resource = next.resource();
        if (!fetchAhead(principal, schema, keyOf(resource), "", (token, signal) => answer(resource, token, signal), { speculative: true, basis: resource })) break;
      }
      return response;
    },
  };
}

/**
 * Who the prefetch bound is counted against. connect-node's handler context does not expose the
 * HTTP/2 connection, so the bound is per caller credential: the bearer token (hashed, never kept),
 * or one shared principal for callers without one (mTLS and open listeners).
 */
function principalOf(ctx: HandlerContext): string {
  const authorization = ctx.requestHeader.get("authorization");
  return authorization === null ? "anonymous" : createHash("sha256").update(authorization).digest("base64url").slice(0, 16);
}

/** One sync's walk: the caller's, and the engine's sync id when it names one. */
function syncKeyOf(ctx: HandlerContext, syncId: string | undefined): string {
  return `${principalOf(ctx)}\n${syncId ?? ""}`;
}
