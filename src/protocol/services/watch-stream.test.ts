import { create } from "@bufbuild/protobuf";
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { EventSchema } from "../../../gen/c1/connector/v2/event_feed_pb.js";
import { type Resource, ResourceTypeSchema } from "../../../gen/c1/connector/v2/resource_pb.js";
import { ResyncReason } from "../../../gen/oktaconnector/v1/stream_pb.js";
import { newResource, resourceId } from "../builders.js";
import { ConnectorError } from "../errors.js";
import type { EventFeedSource, LogEntry, LogPageQuery, TypeReread } from "../event-feed.js";
import { derivePageTokenKey } from "../page-token.js";
import type { ResourceSyncer } from "../resource-syncer.js";
import { createSyncerRegistry } from "../syncer-registry.js";
import { encodeWatchCursor, watchCursorAt } from "../watch-cursor.js";
import type { ConnectorDefinition } from "./connector-definition.js";
import { runWatch } from "./watch-stream.js";

const KEY = derivePageTokenKey("https://example.okta.com", "secret");
const USER = create(ResourceTypeSchema, { id: "user", displayName: "User" });
const MINUTE = 60_000;

/** A connector over one `user` type whose users are `users` (mutable), and a log of `entries` (mutable). */
function fixture(options: { rereads?: TypeReread[] } = {}) {
  const users = new Map<string, string>([["u1", "Ada"]]);
  const entries: LogEntry[] = [];
  const reads: LogPageQuery[] = [];
  const syncer: ResourceSyncer = {
    resourceType: USER,
    list: async () => ({ items: [...users].map(([id, name]) => newResource({ type: USER, id, displayName: name })) }),
    entitlements: async () => ({ items: [] }),
    grants: async () => ({ items: [] }),
    get: async (id) => {
      const name = users.get(id.resource);
      if (name === undefined) throw new ConnectorError("not-found", `user ${id.resource} not found`);
      return newResource({ type: USER, id: id.resource, displayName: name });
    },
  };
  const feed: EventFeedSource = {
    feedId: "baton_feed_event",
    supportedEventTypes: [],
    retentionMs: 90 * 86_400_000,
    overlapMs: MINUTE,
    rereads: options.rereads ?? [],
    async readPage(query) {
      reads.push(query);
      return { entries: entries.filter((e) => (query.since === undefined || e.published >= query.since) && e.published <= query.until) };
    },
  };
  const def = {
    registry: createSyncerRegistry([syncer]),
    pageTokenKey: KEY,
    syncFingerprint: "fp",
    provisioning: false,
    eventFeed: feed,
    metadata: async () => {
      throw new Error("unused");
    },
    validate: async () => undefined,
  } as ConnectorDefinition;
  return { def, users, entries, reads };
}

const changed = (uuid: string, userId: string, published = Date.now()): LogEntry => ({
  uuid,
  eventType: "user.account.update_profile",
  published,
  events: [create(EventSchema, { id: uuid, event: { case: "resourceChangeEvent", value: { resourceId: resourceId("user", userId) } } })],
  wholeTypes: [],
  principalReads: [],
  unscoped: false,
});

function watch(def: ConnectorDefinition, request: Partial<Parameters<typeof runWatch>[1]> = {}) {
  const abort = new AbortController();
  const cursor = request.cursor ?? encodeWatchCursor(KEY, "fp", watchCursorAt(Date.now(), MINUTE));
  const stream = runWatch(def, { cursor, pollInterval: durationFromMs(250), heartbeatInterval: durationFromMs(1_000), ...request }, { signal: abort.signal } as HandlerContext);
  return { stream, abort };
}

async function refusal(run: () => Promise<unknown>): Promise<ConnectError> {
  try {
    await run();
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("expected a refusal");
}

describe("Watch", () => {
  it("sends the fresh state of what an entry names, then heartbeats, with a cursor on every message", async () => {
    const { def, users, entries } = fixture();
    users.set("u1", "Ada Lovelace");
    entries.push(changed("e1", "u1"));
    const { stream, abort } = watch(def);
    const first = (await stream.next()).value!;
    expect(first.event?.case).toBe("change");
    const change = first.event!.value as { resources: { resource?: Resource }[]; logEntries: { uuid: string }[]; reason: string };
    expect(change.resources.map((r) => r.resource?.displayName)).toEqual(["Ada Lovelace"]);
    expect(change.logEntries.map((e) => e.uuid)).toEqual(["e1"]);
    expect(change.reason).toBe("user.account.update_profile");
    const second = (await stream.next()).value!;
    expect(second.event?.case).toBe("heartbeat");
    expect(typeof first.cursor === "string" && first.cursor !== "" && second.cursor !== "").toBe(true);
    abort.abort();
  });

  it("resumed from a message's cursor, does not send an entry again; a resource gone from Okta comes without its row", async () => {
    const { def, users, entries } = fixture();
    entries.push(changed("e1", "u1"));
    const first = watch(def);
    const cursor = (await first.stream.next()).value!.cursor!;
    first.abort.abort();
    users.delete("u1");
    entries.push(changed("e2", "u1"));
    const second = watch(def, { cursor });
    const next = (await second.stream.next()).value!;
    const value = next.event!.value as { resources: { resource?: Resource; resourceId?: { resource: string } }[]; logEntries: { uuid: string }[] };
    expect(value.logEntries.map((e) => e.uuid)).toEqual(["e2"]);
    expect(value.resources.map((r) => [r.resourceId?.resource, r.resource])).toEqual([["u1", undefined]]);
    second.abort.abort();
  });

  it("re-reads the types Okta does not always log on its timer", async () => {
    const { def } = fixture({ rereads: [{ resourceTypeId: "user", why: "some user changes are not logged", when: "timer" }] });
    const cursor = encodeWatchCursor(KEY, "fp", { ...watchCursorAt(Date.now(), MINUTE), sweptAt: Date.now() - 10_000 });
    const { stream, abort } = watch(def, { cursor, sweepInterval: durationFromMs(5_000) });
    const message = (await stream.next()).value!;
    const value = message.event!.value as { types: { resourceTypeId: string; resources: unknown[] }[]; reason: string };
    expect(value.types.map((t) => [t.resourceTypeId, t.resources.length])).toEqual([["user", 1]]);
    expect(value.reason).toBe("timed re-read of user (changes Okta does not log)");
    abort.abort();
  });

  it("asks for a full sync when an entry changed something it cannot place, when the cursor is past retention, or when entries could be missed", async () => {
    const unscoped = fixture();
    unscoped.entries.push({ ...changed("e1", "u1"), events: [], unscoped: true, eventType: "iam.resourceset.bindings.add" });
    const a = (await watch(unscoped.def).stream.next()).value!;
    expect(a.event).toMatchObject({ case: "resyncRequired", value: { reason: ResyncReason.UNSCOPED_CHANGE } });
    expect((a.event!.value as { detail: string }).detail).toMatch(/iam\.resourceset\.bindings\.add.*run a full Sync/);

    const old = fixture();
    const expired = encodeWatchCursor(KEY, "fp", watchCursorAt(Date.now() - 91 * 86_400_000, MINUTE));
    const b = watch(old.def, { cursor: expired });
    expect((await b.stream.next()).value!.event).toMatchObject({ case: "resyncRequired", value: { reason: ResyncReason.RETENTION_EXPIRED } });
    expect((await b.stream.next()).done).toBe(true);
    expect(old.reads).toEqual([]);

    const busy = fixture();
    const now = Date.now();
    for (let i = 0; i < 4_100; i++) busy.entries.push(changed(`e${i}`, "u1", now - 30_000 + i));
    const c = (await watch(busy.def).stream.next()).value!;
    expect(c.event).toMatchObject({ case: "resyncRequired", value: { reason: ResyncReason.GAP } });
  });

  it("refuses bad input naming the field: no cursor, a tampered one, another configuration's, an interval out of bounds", async () => {
    const { def } = fixture();
    const first = async (request: Partial<Parameters<typeof runWatch>[1]>) => (await watch(def, request).stream.next()).value;
    const empty = await refusal(() => first({ cursor: "" }));
    expect([empty.code, empty.rawMessage]).toEqual([Code.InvalidArgument, expect.stringMatching(/^cursor: is required/)]);
    const tampered = await refusal(() => first({ cursor: "AAAA" + encodeWatchCursor(KEY, "fp", watchCursorAt(Date.now(), MINUTE)).slice(4) }));
    expect([tampered.code, tampered.rawMessage.startsWith("cursor:")]).toEqual([Code.InvalidArgument, true]);
    const foreign = await refusal(() => first({ cursor: encodeWatchCursor(KEY, "other-flags", watchCursorAt(Date.now(), MINUTE)) }));
    expect([foreign.code, foreign.rawMessage]).toEqual([Code.FailedPrecondition, expect.stringMatching(/^cursor: was made by a connector with another org or configuration/)]);
    const tooFast = await refusal(() => first({ heartbeatInterval: durationFromMs(10) }));
    expect([tooFast.code, tooFast.rawMessage]).toEqual([Code.InvalidArgument, "heartbeat_interval: 10 ms is outside 1000 ms to 300000 ms"]);
    const poll = await refusal(() => first({ pollInterval: durationFromMs(86_400_000) }));
    expect(poll.rawMessage).toMatch(/^poll_interval: /);
  });
});
