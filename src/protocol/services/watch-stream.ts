import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { create, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { type Duration, durationMs, timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import {
  PrincipalGrantsSchema,
  type ResourceState,
  ResourceStateSchema,
  ResyncReason,
  type TypeState,
  TypeStateSchema,
  type WatchChange,
  WatchChangeSchema,
  type WatchResponseSchema,
} from "../../../gen/oktaconnector/v1/stream_pb.js";
import { coverageOf } from "../coverage.js";
import { connectErrorFrom } from "../errors.js";
import { advanceCursor, isBeyondRetention, nextRead } from "../event-cursor.js";
import type { EventFeedSource, LogEntry, LogPage } from "../event-feed.js";
import type { ResourceSyncer, SyncCallContext } from "../resource-syncer.js";
import type { ResourceId } from "../../../gen/c1/connector/v2/resource_pb.js";
import { invalid } from "../validate-request.js";
import { decodeWatchCursor, encodeWatchCursor, WATCH_MAX_SEEN, type WatchCursor } from "../watch-cursor.js";
import { isEmptyScope, scopeOfEntries, type WatchScope } from "../watch-scope.js";
import type { ConnectorDefinition, OktaCallTally } from "./connector-definition.js";
import { startInOrder } from "../start-in-order.js";
import { readPrincipalGrants, readResourceState, readTypeState, splitResourceState } from "./watch-reads.js";

type WatchResponseInit = MessageInitShape<typeof WatchResponseSchema>;

/** The bounds and defaults of WatchRequest's intervals, in ms. */
export const WATCH_INTERVALS = {
  heartbeat: { field: "heartbeat_interval", fallback: 10_000, min: 1_000, max: 300_000 },
  poll: { field: "poll_interval", fallback: 2_000, min: 250, max: 300_000 },
  sweep: { field: "sweep_interval", fallback: 300_000, min: 1_000, max: 86_400_000 },
} as const;

/**
 * How many resources of one poll are read at once: enough that a poll touching many resources is not
 * one round trip after another, few enough to leave Okta's concurrency to the syncs.
 */
const READ_CONCURRENCY = 4;
/** A change message stays under 1 MiB, as Sync's batches do. */
const MAX_CHANGE_BYTES = 1024 * 1024 - 16 * 1024;
/** Okta's largest System Log page. */
const LOG_PAGE_LIMIT = 1000;

/**
 * Watch: tails the System Log from a cursor, and for each page of new entries sends the fresh state of
 * what they touched (watch-scope.ts says how a change is scoped, watch-reads.ts how it is read). The
 * types whose changes Okta does not always log are re-read whole on a timer. Every message carries a
 * cursor: all messages of one page carry the position before it, and the last one the position after
 * it, so a resumed stream re-reads at most one page, and re-applying its states changes nothing.
 *
 * At most one poll's reads run ahead of the client: the generator is pulled by the transport, so a
 * paused client stops the log reads, and the Okta reads once that poll's are done.
 */
export async function* runWatch(
  def: ConnectorDefinition,
  req: { cursor: string; heartbeatInterval?: Duration | undefined; pollInterval?: Duration | undefined; sweepInterval?: Duration | undefined },
  ctx: HandlerContext,
): AsyncGenerator<WatchResponseInit> {
  const feed = def.eventFeed;
  if (!feed) throw new ConnectError("this connector has no event feed to watch (the System Log is not available)", Code.Unimplemented);
  const heartbeatMs = intervalOf(WATCH_INTERVALS.heartbeat, req.heartbeatInterval);
  const pollMs = intervalOf(WATCH_INTERVALS.poll, req.pollInterval);
  const sweepMs = intervalOf(WATCH_INTERVALS.sweep, req.sweepInterval);
  const fingerprint = def.syncFingerprint ?? "unbound";
  let cursor = decodeWatchCursor(def.pageTokenKey, fingerprint, req.cursor);
  const encode = (c: WatchCursor) => encodeWatchCursor(def.pageTokenKey, fingerprint, c);
  const callCtx: SyncCallContext = { signal: ctx.signal };

  try {
    // Only the types a sync holds: an unreadable type (missing admin role) is left out of both.
    const coverage = await coverageOf(def.registry, callCtx);
    const syncers = def.registry.syncers.filter((_, i) => !coverage[i]!.gaps.some((g) => g.scope === "resources" && g.reason === "missing-permission"));
    const typeOrder = syncers.map((s) => s.resourceType.id);
    // A type without GetResource can only be re-read whole.
    const wholeOnly = new Set(syncers.filter((s) => !s.get).map((s) => s.resourceType.id));
    const swept = feed.rereads.filter((r) => r.when !== "event" && typeOrder.includes(r.resourceTypeId));
    // A type re-read on the timer for its resources only is re-read that way on an event too.
    const resourcesOnly = new Set(feed.rereads.filter((r) => r.resourcesOnly).map((r) => r.resourceTypeId));
    const readChange = (scope: WatchScope, entries: readonly LogEntry[], reason: string) => readStates(def, syncers, scope, resourcesOnly, entries, reason, callCtx);
    let lastSent = Date.now();

    for (;;) {
      const now = Date.now();
      if (isBeyondRetention(cursor.log, now, feed.retentionMs)) {
        yield resync(encode(cursor), ResyncReason.RETENTION_EXPIRED, `the cursor's position ${new Date(cursor.log.pos).toISOString()} is older than the System Log's ${Math.round(feed.retentionMs / 86_400_000)}-day retention: the changes since then are gone`);
        return;
      }
      const query = nextRead(cursor.log, now, LOG_PAGE_LIMIT);
      const page: LogPage = query.since !== undefined && query.since >= query.until ? { entries: [] } : await feed.readPage(query, callCtx);
      const { fresh, next, narrowed } = advanceCursor(cursor.log, query, page, feed.overlapMs, WATCH_MAX_SEEN);
      if (narrowed) {
        yield resync(encode(cursor), ResyncReason.GAP, `more than ${WATCH_MAX_SEEN} System Log entries within ${feed.overlapMs / 1000} s: an entry that becomes visible late could be missed`);
        return;
      }
      const scope = scopeOfEntries(fresh, typeOrder);
      if (scope.unscoped.length > 0) {
        const types = [...new Set(scope.unscoped.map((e) => e.eventType))].join(", ");
        yield resync(encode(cursor), ResyncReason.UNSCOPED_CHANGE, `Okta logged a change the connector cannot place (${types}): its events do not name what changed`);
        return;
      }
      const widened = widen(scope, wholeOnly, typeOrder);
      const after: WatchCursor = { ...cursor, log: next };
      if (!isEmptyScope(widened)) {
        yield* withCursors(readChange(widened, fresh, reasonOf(fresh)), encode(cursor), encode(after));
        lastSent = Date.now();
      }
      cursor = after;
      // A read with more pages goes on at once; a finished one waits for the next poll.
      if (next.read) continue;
      if (swept.length > 0 && Date.now() - cursor.sweptAt >= sweepMs) {
        const at = Date.now();
        const sweep: WatchScope = { resources: [], types: swept.map((r) => r.resourceTypeId), principals: [], unscoped: [] };
        const done: WatchCursor = { ...cursor, sweptAt: at };
        // The why of each is in docs/events.md; the reason names the types.
        yield* withCursors(readChange(sweep, [], `timed re-read of ${swept.map((r) => r.resourceTypeId).join(", ")} (changes Okta does not log)`), encode(cursor), encode(done));
        // The interval runs from the end of a re-read, so a slow one never leaves the stream re-reading
        // without a pause (nor without heartbeats); the cursor sent keeps its start, which only makes a
        // resumed stream's next re-read come sooner.
        cursor = { ...done, sweptAt: Date.now() };
        lastSent = Date.now();
      }
      if (Date.now() - lastSent >= heartbeatMs) {
        yield { cursor: encode(cursor), event: { case: "heartbeat", value: { logPosition: timestampFromMs(query.until) } } };
        lastSent = Date.now();
      }
      await sleep(pollMs, undefined, { signal: ctx.signal });
    }
  } catch (error) {
    if (ctx.signal.aborted && ctx.signal.reason instanceof ConnectError) throw ctx.signal.reason;
    throw connectErrorFrom(error, { unavailableHint: "resume Watch with the cursor of the last message applied" });
  }
}

function intervalOf(spec: (typeof WATCH_INTERVALS)[keyof typeof WATCH_INTERVALS], given: Duration | undefined): number {
  if (!given) return spec.fallback;
  const ms = durationMs(given);
  if (ms === 0) return spec.fallback;
  if (!(ms >= spec.min && ms <= spec.max)) throw invalid(spec.field, `${ms} ms is outside ${spec.min} ms to ${spec.max} ms`);
  return ms;
}

/** Resources of a type without GetResource are read with their whole type. */
function widen(scope: WatchScope, wholeOnly: ReadonlySet<string>, typeOrder: readonly string[]): WatchScope {
  if (!scope.resources.some((r) => wholeOnly.has(r.resourceType))) return scope;
  const types = new Set([...scope.types, ...scope.resources.filter((r) => wholeOnly.has(r.resourceType)).map((r) => r.resourceType)]);
  return { ...scope, resources: scope.resources.filter((r) => !types.has(r.resourceType)), types: typeOrder.filter((t) => types.has(t)) };
}

function reasonOf(entries: readonly LogEntry[]): string {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e.eventType, (counts.get(e.eventType) ?? 0) + 1);
  return [...counts].map(([type, n]) => (n === 1 ? type : `${type} ×${n}`)).join(", ");
}

function resync(cursor: string, reason: ResyncReason, detail: string): WatchResponseInit {
  return { cursor, event: { case: "resyncRequired", value: { reason, detail: `${detail}; run a full Sync and watch from its summary's watch_cursor` } } };
}

/** Every message but the last carries `before`; the last carries `after`. */
async function* withCursors(changes: AsyncGenerator<WatchChange>, before: string, after: string): AsyncGenerator<WatchResponseInit> {
  let held: WatchChange | undefined;
  for await (const change of changes) {
    if (held) yield { cursor: before, event: { case: "change", value: held } };
    held = change;
  }
  if (held) yield { cursor: after, event: { case: "change", value: held } };
}

/**
 * Reads the scope's states and packs them into change messages under the size limit, in order: whole
 * types first (they are the types a grant event could not place), then single resources in dependency order.
 */
async function* readStates(
  def: ConnectorDefinition,
  syncers: ConnectorDefinition["registry"]["syncers"],
  scope: WatchScope,
  resourcesOnly: ReadonlySet<string>,
  entries: readonly LogEntry[],
  reason: string,
  ctx: SyncCallContext,
): AsyncGenerator<WatchChange> {
  const tally: OktaCallTally = { calls: 0, rateLimited: 0, lastCall: "" };
  // Each change is its own sync for what syncers keep per sync (the admin-role index, the group rules):
  // they are read again, after the entries became visible, rather than served from an older copy.
  ctx = { ...ctx, activeSyncId: `watch-${randomUUID()}` };
  const counted = <T>(run: () => Promise<T>): Promise<T> => (def.countOktaCalls ? def.countOktaCalls(tally, run) : run());
  const byType = new Map(syncers.map((s) => [s.resourceType.id, s]));
  const logEntries = entries.map((e) => ({ uuid: e.uuid, eventType: e.eventType, published: timestampFromMs(e.published) }));
  let change = create(WatchChangeSchema, { logEntries, reason });
  let bytes = toBinary(WatchChangeSchema, change).length;
  let callsSent = 0;
  const take = () => {
    const out = change;
    out.oktaCalls = BigInt(tally.calls - callsSent);
    callsSent = tally.calls;
    change = create(WatchChangeSchema, { reason });
    bytes = 0;
    return out;
  };
  // Whether `size` more bytes overflow a message that already holds something (`pending` items not yet placed in it).
  const full = (size: number, pending = 0) => change.resources.length + change.types.length + change.principalGrants.length + pending > 0 && bytes + size > MAX_CHANGE_BYTES;

  const heldRead = new Set<string>();
  // What `principal` holds on each of `from` that can read it from the principal's side, once per change.
  async function* addHeld(from: readonly ResourceSyncer[], principal: ResourceId): AsyncGenerator<WatchChange> {
    const todo = from.filter((s) => s.grantsHeldBy && !heldRead.has(`${s.resourceType.id}\n${principal.resourceType}\n${principal.resource}`));
    for (const s of todo) heldRead.add(`${s.resourceType.id}\n${principal.resourceType}\n${principal.resource}`);
    for (const held of await counted(() => readPrincipalGrants(todo, principal, ctx))) {
      const size = toBinary(PrincipalGrantsSchema, held).length + 8;
      if (full(size)) yield take();
      change.principalGrants.push(held);
      bytes += size;
    }
  }

  for (const typeId of scope.types) {
    const state: TypeState = await counted(() => readTypeState(byType.get(typeId)!, ctx, resourcesOnly.has(typeId)));
    const parts = state.resources.flatMap((r) => splitResourceState(r, MAX_CHANGE_BYTES / 2));
    const fresh = () => create(TypeStateSchema, { resourceTypeId: typeId, resourcesOnly: state.resourcesOnly });
    let current = fresh();
    for (const part of parts) {
      const size = toBinary(ResourceStateSchema, part).length + 8;
      if (full(size + 64, current.resources.length)) {
        change.types.push(create(TypeStateSchema, { ...current, more: true } as MessageInitShape<typeof TypeStateSchema>));
        yield take();
        current = fresh();
      }
      current.resources.push(part);
      bytes += size;
    }
    change.types.push(current);
    bytes += 64;
  }
  // One poll's resources are read a few at a time (the Okta client paces them), and sent in order.
  const states = startInOrder(scope.resources, READ_CONCURRENCY, (id) => counted(() => readResourceState(byType.get(id.resourceType)!, id, ctx)));
  for (const [i, id] of scope.resources.entries()) {
    const state: ResourceState = await states[i]!;
    for (const part of splitResourceState(state, MAX_CHANGE_BYTES / 2)) {
      const size = toBinary(ResourceStateSchema, part).length + 8;
      if (full(size)) yield take();
      change.resources.push(part);
      bytes += size;
    }
    // A principal may hold grants no logged event names (a new user's Everyone membership). One a sync
    // leaves out still may: a full sync lists a deactivated user's admin roles though not the user
    // (without --sync-deprovisioned-users), and the engine applies these after the removal.
    yield* addHeld(syncers, id);
  }
  for (const { principal, resourceTypeId } of scope.principals) yield* addHeld(syncers.filter((s) => s.resourceType.id === resourceTypeId), principal);
  if (change.resources.length + change.types.length + change.principalGrants.length > 0) yield take();
}
