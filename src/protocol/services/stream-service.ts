import type { DescField, Message } from "@bufbuild/protobuf";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import type { Resource } from "../../../gen/c1/connector/v2/resource_pb.js";
import {
  ConnectorStreamService,
  StreamEntitlementsResponseSchema,
  StreamGrantsResponseSchema,
  StreamResourcesResponseSchema,
} from "../../../gen/oktaconnector/v1/stream_pb.js";
import { attachEncoded, carriesEncoded, type EncodedItem, encodeItems } from "../encoded-items.js";
import { connectErrorFrom, notFoundNaming } from "../errors.js";
import { fitEntitlement, fitGrant, fitResource } from "../fit-limits.js";
import { LIMITS } from "../limits.js";
import { advanceListing, EMPTY_HISTORY, historyFrom } from "../listing-loop.js";
import { decodeCursorAndHistory, fetchCounted, type OktaCallCounter } from "../paging.js";
import { encodePageToken } from "../page-token.js";
import type { Cursor, Page, ResourceSyncer } from "../resource-syncer.js";
import { invalid, refuseParent, validateIssuedId, validateResourceId, validateString } from "../validate-request.js";
import type { ConnectorDefinition } from "./connector-definition.js";
import { runSync } from "./sync-stream.js";
import { runWatch } from "./watch-stream.js";

/** A batch on the stream stays under 1 MiB so that no client's default 4 MiB receive limit is near. */
export const MAX_BATCH_BYTES = 1024 * 1024;
const DEFAULT_BATCH_SIZE = 500;
const MAX_BATCH_SIZE = 10_000;

/**
 * Where a stream stands: the syncer cursor of the page being emitted and how many of its items the
 * client already has. Pages can be split into several batches (size limits), so resuming means
 * re-reading that page and skipping `offset` items; Okta's `after` cursors make that deterministic.
 */
interface StreamPosition {
  readonly page: Cursor | null;
  readonly offset: number;
}

/**
 * The streaming twins of the paged list calls, over the same syncers. The next Okta page is read only
 * when the client has taken the previous batch (the generator is pulled by the transport), so the
 * server holds one page at a time whatever the size of the org.
 */
export function createStreamService(def: ConnectorDefinition): ServiceImpl<typeof ConnectorStreamService> {
  const key = def.pageTokenKey;
  const count: OktaCallCounter | undefined = def.countOktaCalls ? (tally, run) => def.countOktaCalls!(tally, run) : undefined;

  async function* streamPages<T extends Message>(
    itemsField: DescField,
    scope: string,
    cursorToken: string,
    batchSize: number,
    fetch: (cursor: Cursor | undefined) => Promise<Page<T>>,
    fit: (item: T) => T,
    ctx: HandlerContext,
  ): AsyncGenerator<{ items: EncodedItem<T>[]; cursor: string }> {
    const size = validateBatchSize(batchSize);
    const given = cursorToken === "" ? undefined : decodeCursorAndHistory(key, scope, cursorToken, "cursor");
    let position: StreamPosition = given === undefined ? { page: null, offset: 0 } : readPosition(given.cursor);
    // The listing's history (listing-loop.ts) rides in each cursor as it was before the cursor's page,
    // so a client resuming after a circle was refused meets it again at once instead of re-reading it.
    let history = given === undefined || position.page === null ? EMPTY_HISTORY : historyFrom(given.history);
    try {
      for (;;) {
        const sent = position.page === null ? undefined : position.page;
        const { page, endpoint } = await fetchCounted(count, () => fetch(sent));
        const before = history;
        history = advanceListing(before, sent, page.cursor, endpoint ?? `listing ${scope}`);
        const items = page.items.slice(position.offset).map(fit);
        let emitted = position.offset;
        for (const batch of splitBatches(itemsField, items, size)) {
          emitted += batch.length;
          const atPageEnd = emitted === page.items.length;
          const next: StreamPosition | undefined = atPageEnd
            ? page.cursor === undefined ? undefined : { page: page.cursor, offset: 0 }
            : { page: position.page, offset: emitted };
          yield { items: batch, cursor: next === undefined ? "" : encodePageToken(key, scope, next as unknown as Cursor, atPageEnd ? history : before) };
        }
        if (page.cursor === undefined) {
          if (page.items.length === position.offset) yield { items: [], cursor: "" };
          return;
        }
        position = { page: page.cursor, offset: 0 };
      }
    } catch (error) {
      if (ctx.signal.aborted && ctx.signal.reason instanceof ConnectError) throw ctx.signal.reason;
      throw connectErrorFrom(error);
    }
  }

  const syncerFor = (field: string, typeId: string): ResourceSyncer => {
    validateString(field, typeId, { required: true, maxBytes: LIMITS.id });
    const syncer = def.registry.find(typeId);
    if (!syncer) throw new ConnectError(`${field}: unknown resource type "${typeId}"`, Code.NotFound);
    return syncer;
  };
  const resourceArg = (resource: Resource | undefined) => {
    if (!resource) throw invalid("resource", "is required");
    const id = validateResourceId("resource.id", resource.id, { required: true })!;
    return { syncer: syncerFor("resource.id.resource_type", id.resourceType), resource, scope: `${id.resourceType}/${id.resource}` };
  };

  return {
    async *streamResources(req, ctx) {
      const syncer = syncerFor("resource_type_id", req.resourceTypeId);
      const parent = validateResourceId("parent_resource_id", req.parentResourceId, { required: false });
      refuseParent(parent, req.resourceTypeId);
      const scope = `stream-resources:${req.resourceTypeId}:${parent ? `${parent.resourceType}/${parent.resource}` : ""}`;
      const encoded = carriesEncoded(ctx.requestHeader.get("content-type"));
      for await (const b of streamPages(StreamResourcesResponseSchema.field.resources, scope, req.cursor, req.batchSize, (c) => syncer.list(parent, c, ctx), fitResource, ctx)) {
        yield encoded
          ? attachEncoded(create(StreamResourcesResponseSchema, { cursor: b.cursor }), ITEMS_FIELD, b.items)
          : { resources: b.items.map((e) => e.item), cursor: b.cursor };
      }
    },
    async *streamEntitlements(req, ctx) {
      const { syncer, resource, scope } = resourceArg(req.resource);
      validateIssuedId("resource.id", resource.id!);
      const encoded = carriesEncoded(ctx.requestHeader.get("content-type"));
      for await (const b of streamPages(StreamEntitlementsResponseSchema.field.entitlements, `stream-entitlements:${scope}`, req.cursor, req.batchSize, (c) => notFoundNaming("resource.id.resource", () => syncer.entitlements(resource, c, ctx)), fitEntitlement, ctx)) {
        yield encoded
          ? attachEncoded(create(StreamEntitlementsResponseSchema, { cursor: b.cursor }), ITEMS_FIELD, b.items)
          : { entitlements: b.items.map((e) => e.item), cursor: b.cursor };
      }
    },
    async *streamGrants(req, ctx) {
      const { syncer, resource, scope } = resourceArg(req.resource);
      const encoded = carriesEncoded(ctx.requestHeader.get("content-type"));
      for await (const b of streamPages(StreamGrantsResponseSchema.field.grants, `stream-grants:${scope}`, req.cursor, req.batchSize, (c) => notFoundNaming("resource.id.resource", () => syncer.grants(resource, c, ctx)), fitGrant, ctx)) {
        yield encoded
          ? attachEncoded(create(StreamGrantsResponseSchema, { cursor: b.cursor }), ITEMS_FIELD, b.items)
          : { grants: b.items.map((e) => e.item), cursor: b.cursor };
      }
    },
    sync(req, ctx) {
      return runSync(def, req, ctx);
    },
    watch(req, ctx) {
      return runWatch(def, req, ctx);
    },
  };
}

function validateBatchSize(batchSize: number): number {
  if (batchSize > MAX_BATCH_SIZE) throw invalid("batch_size", `${batchSize} exceeds ${MAX_BATCH_SIZE}`);
  return batchSize === 0 ? DEFAULT_BATCH_SIZE : batchSize;
}

function readPosition(value: unknown): StreamPosition {
  const v = value as Partial<StreamPosition> | null;
  if (!v || typeof v !== "object" || typeof v.offset !== "number" || v.offset < 0 || !("page" in v)) {
    throw invalid("cursor", "is not a stream cursor");
  }
  return { page: (v.page ?? null) as Cursor | null, offset: v.offset };
}

/** The number of the items field in every Stream*Response (resources, entitlements, grants). */
const ITEMS_FIELD = StreamGrantsResponseSchema.field.grants.number;

/**
 * Splits items into batches of at most `size` items and MAX_BATCH_BYTES on the wire (1 KiB is left
 * for the cursor), encoding each item once, as the repeated field `field`: the same bytes are sent
 * (encoded-items.ts).
 */
export function* splitBatches<T extends Message>(field: DescField, items: readonly T[], size: number): Generator<EncodedItem<T>[]> {
  let batch: EncodedItem<T>[] = [];
  let bytes = 0;
  for (const encoded of encodeItems(field, items)) {
    if (batch.length > 0 && (batch.length >= size || bytes + encoded.wireBytes > MAX_BATCH_BYTES - 1024)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(encoded);
    bytes += encoded.wireBytes;
  }
  if (batch.length > 0) yield batch;
}
