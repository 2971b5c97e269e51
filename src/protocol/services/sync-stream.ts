import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { durationFromMs, timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { HandlerContext } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { SkipEntitlementsAndGrantsSchema } from "../../../gen/c1/connector/v2/annotation_resource_tree_pb.js";
import type { Entitlement } from "../../../gen/c1/connector/v2/entitlement_pb.js";
import type { Grant } from "../../../gen/c1/connector/v2/grant_pb.js";
import type { Resource } from "../../../gen/c1/connector/v2/resource_pb.js";
import { CoverageReason, CoverageScope, SyncBatchSchema, SyncPhase, type SyncResponseSchema } from "../../../gen/oktaconnector/v1/stream_pb.js";
import { has } from "../annotations.js";
import { skippedListings } from "../resource-walk.js";
import { coverageOf, resourceTypesWithCoverage } from "../coverage.js";
import { attachEncoded, carriesEncoded, type EncodedItem, encodeItems } from "../encoded-items.js";
import { connectErrorFrom } from "../errors.js";
import { fitEntitlement, fitGrant, fitResource } from "../fit-limits.js";
import { advanceListing, EMPTY_HISTORY, historyFrom } from "../listing-loop.js";
import { fetchCounted, type OktaCallCounter } from "../paging.js";
import type { CoverageGap, Cursor, ResourceSyncer } from "../resource-syncer.js";
import { invalid } from "../validate-request.js";
import { encodeWatchCursor, watchCursorAt } from "../watch-cursor.js";
import type { ConnectorDefinition, OktaCallTally } from "./connector-definition.js";
import { decodeSyncCursor, encodeSyncCursor, type SyncPosition } from "./sync-cursor.js";
import { type CountedPage, createLookahead, LOOKAHEAD_LIMITS, type Lookahead } from "./sync-lookahead.js";

type SyncResponseInit = MessageInitShape<typeof SyncResponseSchema>;
type Kind = "resources" | "entitlements" | "grants";

const DEFAULT_BATCH_SIZE = 500;
const MAX_BATCH_SIZE = 10_000;
/** Room left under 1 MiB for the batch's cursor and progress. */
const MAX_BATCH_ITEM_BYTES = 1024 * 1024 - 8 * 1024;

/**
 * Sync: the whole org over one stream. Types are walked in registry order (user, group, role, app, …),
 * which is dependency order (type-registry.ts derives it from each type's declared dependencies): a
 * grant's principal (a user, a group, a custom role) is always of a type sent earlier. Within a
 * type, each page of resources is followed by their entitlements and grants, so the connector never
 * holds more than one page of resources, and never reads an Okta listing twice.
 * Items are coalesced into batches of one kind, each ending with the cursor of the position after it.
 * The Okta reads run ahead of this serial walk, across resources and types (sync-lookahead.ts); the
 * walk takes their pages in its own order, so what is sent, and every cursor, is as without them.
 */
export async function* runSync(def: ConnectorDefinition, req: { resumeCursor: string; batchSize: number }, ctx: HandlerContext): AsyncGenerator<SyncResponseInit> {
  if (req.batchSize > MAX_BATCH_SIZE) throw invalid("batch_size", `${req.batchSize} exceeds ${MAX_BATCH_SIZE}`);
  const batchSize = req.batchSize === 0 ? DEFAULT_BATCH_SIZE : req.batchSize;
  const fingerprint = def.syncFingerprint ?? "unbound";
  const resumed = req.resumeCursor !== "";
  let position: SyncPosition = resumed
    ? decodeSyncCursor(def.pageTokenKey, fingerprint, "this connector's org", req.resumeCursor)
    : { syncId: randomUUID(), startedAt: Date.now(), typeIndex: 0, listCursor: null, stage: "resources", resourceIndex: 0, subCursor: null, offset: 0, counts: {} };
  // This stream's own Okta calls: other syncs may share the client, so a process-wide difference
  // would count theirs too. Without countOktaCalls (test definitions), the process-wide difference.
  const tally: OktaCallTally = { calls: 0, rateLimited: 0, lastCall: "" };
  const counting = def.countOktaCalls;
  const counted = <T>(run: () => Promise<T>): Promise<T> => (counting ? counting(tally, run) : run());
  const count: OktaCallCounter | undefined = counting ? (pageTally, run) => counted(() => counting(pageTally, run)) : undefined;
  const callsAtStart = def.oktaCallStats?.() ?? { calls: 0, rateLimited: 0 };
  const callsSoFar = () => {
    if (counting) return { calls: tally.calls, rateLimited: tally.rateLimited };
    const now = def.oktaCallStats?.() ?? { calls: 0, rateLimited: 0 };
    return { calls: Math.max(0, now.calls - callsAtStart.calls), rateLimited: Math.max(0, now.rateLimited - callsAtStart.rateLimited) };
  };
  const syncers = def.registry.syncers;
  if (position.typeIndex > syncers.length) throw new ConnectError("resume_cursor: points past the last resource type", Code.FailedPrecondition);

  // Every Okta read of this stream, the look-ahead's included, stops when the stream ends for any reason.
  const ended = new AbortController();
  const signal = AbortSignal.any([ctx.signal, ended.signal]);
  // Each Okta call in flight listens on it; the look-ahead keeps up to LOOKAHEAD_LIMITS.inFlight of them.
  setMaxListeners(8 * LOOKAHEAD_LIMITS.inFlight, signal);
  const syncCtx = Object.create(ctx, { signal: { value: signal } }) as HandlerContext;
  let lookahead: Lookahead | undefined;
  try {
    const types = await counted(() => resourceTypesWithCoverage(def.registry, syncCtx));
    const coverage = await counted(() => coverageOf(def.registry, syncCtx));
    yield { event: { case: "started", value: { syncId: position.syncId, resumed, startedAt: timestampFromMs(position.startedAt), resourceTypes: types } } };

    const counts = new Map<string, [number, number, number]>(Object.entries(position.counts).map(([k, v]) => [k, [...v] as [number, number, number]]));
    const batcher = createBatcher(batchSize);
    // Items go out as the bytes the batcher encoded to size them, unless the client reads JSON.
    const sendEncoded = carriesEncoded(ctx.requestHeader.get("content-type"));
    const progress = (typeId: string) => {
      let [r, e, g] = [0, 0, 0];
      for (const [cr, ce, cg] of counts.values()) [r, e, g] = [r + cr, e + ce, g + cg];
      return { resources: BigInt(r), entitlements: BigInt(e), grants: BigInt(g), oktaCalls: BigInt(callsSoFar().calls), resourceTypeId: typeId };
    };
    const flush = function* (): Generator<SyncResponseInit> {
      const batch = batcher.take();
      if (!batch) return;
      const typeId = syncers[batch.typeIndex]!.resourceType.id;
      const c = counts.get(typeId) ?? [0, 0, 0];
      c[kindIndex(batch.kind)] += batch.items.length;
      counts.set(typeId, c);
      position = { ...batch.after, counts: Object.fromEntries(counts) };
      const value = create(SyncBatchSchema, {
        phase: PHASE_OF[batch.kind],
        resumeCursor: encodeSyncCursor(def.pageTokenKey, fingerprint, position),
        progress: progress(typeId),
      });
      if (sendEncoded) attachEncoded(value, FIELD_OF[batch.kind], batch.items);
      else (value[batch.kind] as (Resource | Entitlement | Grant)[]) = batch.items.map((e) => e.item);
      yield { event: { case: "batch", value } };
    };

    const unreadable = (t: number) => coverage[t]!.gaps.some((g) => g.scope === "resources" && g.reason === "missing-permission");
    const look = (lookahead = createLookahead(
      {
        syncers,
        walks: (t) => ({ resources: !unreadable(t), children: !has(syncers[t]!.resourceType.annotations, SkipEntitlementsAndGrantsSchema) }),
        skipsOf,
        start: position,
      },
      { ctx: syncCtx, count, oktaHeadroom: def.oktaHeadroom },
    ));
    for (let t = position.typeIndex; t < syncers.length; t++) {
      const syncer = syncers[t]!;
      const start: SyncPosition = t === position.typeIndex ? position : { ...position, typeIndex: t, listCursor: null, listHistory: undefined, stage: "resources", resourceIndex: 0, subCursor: null, offset: 0 };
      if (unreadable(t)) continue;
      const typeSkips = has(syncer.resourceType.annotations, SkipEntitlementsAndGrantsSchema);
      let listCursor = start.listCursor;
      let at = start;
      for (;;) {
        const cursor = listCursor ?? undefined;
        const { page, endpoint } = await look.take(t, undefined, "resources", cursor, () => fetchCounted(count, () => syncer.list(undefined, cursor, syncCtx)));
        // Positions inside this page carry the history from before it, so a resume re-reads the page
        // and meets a circle again at once, however often the engine resumes.
        const before = listCursor === null ? EMPTY_HISTORY : historyFrom(at.listHistory);
        const listHistory = advanceListing(before, listCursor ?? undefined, page.cursor, endpoint ?? `the ${syncer.resourceType.id} listing`);
        const resources = page.items.map(fitResource);
        const nextList: SyncPosition = page.cursor === undefined
          ? { ...at, typeIndex: t + 1, listCursor: null, listHistory: undefined, stage: "resources", resourceIndex: 0, subCursor: null, offset: 0 }
          : { ...at, listCursor: page.cursor, listHistory, stage: "resources", resourceIndex: 0, subCursor: null, offset: 0 };
        const firstWork: SyncPosition = { ...at, listCursor, stage: "entitlements", resourceIndex: 0, subCursor: null, offset: 0 };
        if (at.stage === "resources") {
          const encoded = encodeItems(SyncBatchSchema.field.resources, resources.slice(at.offset));
          const inPage: SyncPosition = { ...at, listCursor };
          for (let i = at.offset; i < resources.length; i++) {
            const item = encoded[i - at.offset]!;
            if (!batcher.fits("resources", t, item)) yield* flush();
            if (i + 1 < resources.length) batcher.add("resources", t, item, inPage, i + 1);
            else batcher.add("resources", t, item, typeSkips ? nextList : firstWork);
          }
          at = typeSkips ? nextList : firstWork;
        }
        if (!typeSkips) {
          yield* walkResources(syncer, resources, at, nextList, t, batcher, flush, count, syncCtx, look);
        }
        yield* flush();
        if (page.cursor === undefined) break;
        listCursor = page.cursor;
        at = { ...nextList };
      }
      position = { ...position, typeIndex: t + 1, listCursor: null, stage: "resources", resourceIndex: 0, subCursor: null, offset: 0, counts: Object.fromEntries(counts) };
    }
    yield* flush();

    const calls = callsSoFar();
    yield {
      event: {
        case: "summary",
        value: {
          syncId: position.syncId,
          counts: syncers.map((s) => {
            const [r, e, g] = counts.get(s.resourceType.id) ?? [0, 0, 0];
            return { resourceTypeId: s.resourceType.id, resources: BigInt(r), entitlements: BigInt(e), grants: BigInt(g) };
          }),
          oktaCalls: BigInt(calls.calls),
          oktaRateLimited: BigInt(calls.rateLimited),
          duration: durationFromMs(Date.now() - position.startedAt),
          coverage: coverageReport(def, coverage.map((c, i) => ({ resourceTypeId: c.resourceTypeId, gaps: [...c.gaps, ...(syncers[i]!.listingGaps?.(syncCtx) ?? [])] }))),
          watchCursor: def.eventFeed ? encodeWatchCursor(def.pageTokenKey, fingerprint, watchCursorAt(position.startedAt, def.eventFeed.overlapMs)) : "",
        },
      },
    };
  } catch (error) {
    if (ctx.signal.aborted && ctx.signal.reason instanceof ConnectError) throw ctx.signal.reason;
    throw connectErrorFrom(error, { unavailableHint: "resume with the last resume_cursor received" });
  } finally {
    lookahead?.close();
    ended.abort();
  }
}

/** A resource's own Skip* annotations, read as baton-sdk reads them (its type's are `walks` above). */
const skipsOf = (r: Resource) => {
  const skipped = skippedListings(r.annotations, []);
  return { entitlements: skipped.has("entitlements"), grants: skipped.has("grants") };
};

/** Entitlements, then grants, of each resource of one page, from where `at` says. */
async function* walkResources(
  syncer: ResourceSyncer,
  resources: readonly Resource[],
  at: SyncPosition,
  nextList: SyncPosition,
  t: number,
  batcher: Batcher,
  flush: () => Generator<SyncResponseInit>,
  count: OktaCallCounter | undefined,
  ctx: HandlerContext,
  look: Lookahead,
): AsyncGenerator<SyncResponseInit> {
  for (let i = at.resourceIndex; i < resources.length; i++) {
    const resource = resources[i]!;
    const skips = skipsOf(resource);
    const here = i === at.resourceIndex ? at : { ...at, stage: "entitlements" as const, resourceIndex: i, subCursor: null, offset: 0 };
    const afterResource: SyncPosition = i + 1 < resources.length ? { ...at, stage: "entitlements", resourceIndex: i + 1, subCursor: null, offset: 0 } : nextList;
    const grantsStart: SyncPosition = { ...here, stage: "grants", subCursor: null, offset: 0 };
    if (here.stage === "entitlements" && !skips.entitlements) {
      const fetch = (c: Cursor | undefined) => look.take(t, resource, "entitlements", c, () => fetchCounted(count, () => syncer.entitlements(resource, c, ctx)));
      yield* walkListing("entitlements", here, grantsStart, t, fetch, fitEntitlement, batcher, flush);
    }
    if (!skips.grants) {
      const from = here.stage === "grants" ? here : grantsStart;
      const fetch = (c: Cursor | undefined) => look.take(t, resource, "grants", c, () => fetchCounted(count, () => syncer.grants(resource, c, ctx)));
      yield* walkListing("grants", from, afterResource, t, fetch, fitGrant, batcher, flush);
    } else if (batcher.pending()) {
      batcher.moveTo(afterResource);
    }
  }
}

/** One sub-listing (a resource's entitlements or grants), page by page, from `from` to `end`. */
async function* walkListing<T extends Entitlement | Grant>(
  kind: "entitlements" | "grants",
  from: SyncPosition,
  end: SyncPosition,
  t: number,
  fetch: (cursor: Cursor | undefined) => Promise<CountedPage<T>>,
  fit: (item: T) => T,
  batcher: Batcher,
  flush: () => Generator<SyncResponseInit>,
): AsyncGenerator<SyncResponseInit> {
  let sub = from.subCursor;
  let offset = from.offset;
  // As for the resource listing: each position carries the history from before its page.
  let history = sub === null ? EMPTY_HISTORY : historyFrom(from.subHistory);
  for (;;) {
    const { page, endpoint } = await fetch(sub ?? undefined);
    const before = history;
    history = advanceListing(before, sub ?? undefined, page.cursor, endpoint ?? `the ${kind} listing`);
    const items = page.items;
    const pageEnd: SyncPosition = page.cursor === undefined ? end : { ...from, stage: kind, subCursor: page.cursor, subHistory: history, offset: 0 };
    const inPage: SyncPosition = { ...from, stage: kind, subCursor: sub, subHistory: before };
    const encoded = encodeItems(SyncBatchSchema.field[kind], items.slice(offset).map(fit));
    for (let k = offset; k < items.length; k++) {
      const item = encoded[k - offset]!;
      if (!batcher.fits(kind, t, item)) yield* flush();
      if (k + 1 < items.length) batcher.add(kind, t, item, inPage, k + 1);
      else batcher.add(kind, t, item, pageEnd);
    }
    if (batcher.pending()) batcher.moveTo(pageEnd);
    if (page.cursor === undefined) return;
    sub = page.cursor;
    offset = 0;
  }
}


interface PendingBatch {
  readonly kind: Kind;
  readonly typeIndex: number;
  readonly items: EncodedItem<Resource | Entitlement | Grant>[];
  readonly after: SyncPosition;
}

type Item = EncodedItem<Resource | Entitlement | Grant>;

interface Batcher {
  /** Whether `item` can join the pending batch; when not, the caller flushes first. */
  fits(kind: Kind, typeIndex: number, item: Item): boolean;
  /**
   * Adds an item; the position after it is `after`, or `after` at item `offset` of its page. The
   * position is built only for a batch's last item, not for each item.
   */
  add(kind: Kind, typeIndex: number, item: Item, after: SyncPosition, offset?: number): void;
  /** The position after the pending items moved forward over work that produced nothing. */
  moveTo(after: SyncPosition): void;
  pending(): boolean;
  take(): PendingBatch | undefined;
}

/**
 * Coalesces encoded items of one kind into batches of at most `size` items and ~1 MiB. The items come
 * encoded once (encoded-items.ts): the bytes that size the batch are the bytes sent.
 */
function createBatcher(size: number): Batcher {
  let kind: Kind | undefined;
  let typeIndex = 0;
  let items: Item[] = [];
  let bytes = 0;
  let after: SyncPosition | undefined;
  let afterOffset: number | undefined;
  return {
    fits: (k, t, item) => items.length === 0 || (k === kind && t === typeIndex && items.length < size && bytes + item.wireBytes <= MAX_BATCH_ITEM_BYTES),
    add(k, t, item, next, offset) {
      kind = k;
      typeIndex = t;
      items.push(item);
      bytes += item.wireBytes;
      after = next;
      afterOffset = offset;
    },
    moveTo(next) {
      after = next;
      afterOffset = undefined;
    },
    pending: () => items.length > 0,
    take() {
      if (items.length === 0 || kind === undefined || after === undefined) return undefined;
      const batch = { kind, typeIndex, items, after: afterOffset === undefined ? after : { ...after, offset: afterOffset } };
      items = [];
      bytes = 0;
      return batch;
    },
  };
}

const FIELD_OF = { resources: SyncBatchSchema.field.resources.number, entitlements: SyncBatchSchema.field.entitlements.number, grants: SyncBatchSchema.field.grants.number } as const;
const PHASE_OF = { resources: SyncPhase.RESOURCES, entitlements: SyncPhase.ENTITLEMENTS, grants: SyncPhase.GRANTS } as const;
const kindIndex = (kind: Kind) => (kind === "resources" ? 0 : kind === "entitlements" ? 1 : 2);

function coverageReport(def: ConnectorDefinition, fromSyncers: { resourceTypeId: string; gaps: readonly CoverageGap[] }[]) {
  const gaps = [
    ...fromSyncers.flatMap((c) => c.gaps.map((gap) => ({ resourceTypeId: c.resourceTypeId, gap }))),
    ...(def.configurationGaps ?? []),
  ].map(({ resourceTypeId, gap }) => ({
    resourceTypeId,
    scope: gap.scope === "resources" ? CoverageScope.RESOURCES : gap.scope === "entitlements" ? CoverageScope.ENTITLEMENTS : CoverageScope.GRANTS,
    reason: gap.reason === "missing-permission" ? CoverageReason.MISSING_PERMISSION : gap.reason === "disabled-by-flag" ? CoverageReason.DISABLED_BY_FLAG : CoverageReason.FILTERED,
    detail: gap.detail,
    missingOktaRole: gap.missingOktaRole ?? "",
    flag: gap.flag ?? "",
  }));
  return { complete: gaps.every((g) => g.reason !== CoverageReason.MISSING_PERMISSION), gaps };
}

