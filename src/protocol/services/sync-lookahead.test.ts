import { setTimeout as sleep } from "node:timers/promises";
import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { type Grant, GrantSchema } from "../../../gen/c1/connector/v2/grant_pb.js";
import { type Resource, ResourceSchema } from "../../../gen/c1/connector/v2/resource_pb.js";
import type { Cursor, Page, ResourceSyncer, SyncCallContext } from "../resource-syncer.js";
import type { SyncPosition } from "./sync-cursor.js";
import { type CountedPage, createLookahead, type Listing, type LookaheadLimits } from "./sync-lookahead.js";

/**
 * A type of `resources` resources on one page, each with `grantPages` pages of `perPage` grants and
 * no entitlements. Every fetch takes a few ms; the syncer counts its calls and the most in flight.
 */
function slowType(resources: number, grantPages: number, perPage: number) {
  const seen = { calls: 0, inFlight: 0, maxInFlight: 0, byKey: new Map<string, number>() };
  const call = async <T>(key: string, page: () => Page<T>): Promise<Page<T>> => {
    seen.calls++;
    seen.byKey.set(key, (seen.byKey.get(key) ?? 0) + 1);
    seen.inFlight++;
    seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
    try {
      await sleep(2);
      return page();
    } finally {
      seen.inFlight--;
    }
  };
  const ids = Array.from({ length: resources }, (_, i) => `r${i}`);
  const syncer = {
    resourceType: { id: "thing" },
    list: (_parent: unknown, _cursor: Cursor | undefined) => call("list", () => ({ items: ids.map((id) => create(ResourceSchema, { id: { resourceType: "thing", resource: id } })) })),
    entitlements: async () => ({ items: [] }),
    grants: (resource: Resource, cursor: Cursor | undefined) =>
      call(`${resource.id!.resource}/${String(cursor ?? 0)}`, () => {
        const n = Number(cursor ?? 0);
        const items = Array.from({ length: perPage }, (_, k) => create(GrantSchema, { id: `${resource.id!.resource}:${n}:${k}` }));
        return { items, cursor: n + 1 < grantPages ? n + 1 : undefined };
      }),
  } as unknown as ResourceSyncer;
  return { syncer, seen, ids };
}

const START: SyncPosition = { syncId: "s", startedAt: 0, typeIndex: 0, listCursor: null, stage: "resources", resourceIndex: 0, subCursor: null, offset: 0, counts: {} };
const LIMITS: LookaheadLimits = { inFlight: 4, listings: 6, items: 100, pagesPerListing: 8, nearest: 1, nearestPages: 2, typesAhead: 2 };

function lookaheadOver(syncer: ResourceSyncer, options: { headroom?: () => boolean; signal?: AbortSignal } = {}) {
  return createLookahead(
    { syncers: [syncer], walks: () => ({ resources: true, children: true }), skipsOf: () => ({ entitlements: true, grants: false }), start: START },
    { ctx: { signal: options.signal ?? new AbortController().signal }, count: undefined, oktaHeadroom: options.headroom, limits: LIMITS },
  );
}

/** Takes every page in the stream's order, as runSync would; `live` fetches what the look-ahead lacks. */
async function drain(syncer: ResourceSyncer, look: ReturnType<typeof lookaheadOver>): Promise<string[]> {
  const counted = <T>(p: Promise<Page<T>>): Promise<CountedPage<T>> => p.then((page) => ({ page, endpoint: undefined }));
  const got: string[] = [];
  const list = await look.take(0, undefined, "resources" as Listing, undefined, () => counted(syncer.list(undefined, undefined, { signal: new AbortController().signal })));
  for (const resource of list.page.items) {
    for (let cursor: Cursor | undefined; ; ) {
      const c = cursor;
      const { page } = await look.take<Grant>(0, resource, "grants", c, () => counted(syncer.grants(resource, c, { signal: new AbortController().signal })));
      got.push(...page.items.map((g) => g.id));
      if (page.cursor === undefined) break;
      cursor = page.cursor;
    }
  }
  return got;
}

describe("the sync look-ahead", () => {
  it("runs ahead of a stream that does not read only as far as its bounds: fetches in flight, listings and items held", async () => {
    const { syncer, seen } = slowType(50, 5, 10);
    const look = lookaheadOver(syncer);
    // The stream takes the resource page, then stops reading.
    await look.take(0, undefined, "resources", undefined, () => Promise.reject(new Error("the look-ahead fetches the first page")));
    await sleep(200);
    const callsWhilePaused = seen.calls;
    const held = look.state();
    await sleep(100);
    expect(seen.calls).toBe(callsWhilePaused);
    expect(seen.maxInFlight).toBeLessThanOrEqual(LIMITS.inFlight);
    // Beyond the item bound: at most one page per fetch in flight when it filled, and the nearest
    // listings' pages (10 items each).
    const beyond = (LIMITS.inFlight + LIMITS.nearest * LIMITS.nearestPages) * 10;
    expect(held.heldItems).toBeLessThanOrEqual(LIMITS.items + beyond);
    expect(held.heldItems).toBeGreaterThan(0);
    // 50 resources × 5 pages would be 250 calls; the bounds stop it long before.
    expect(callsWhilePaused).toBeLessThanOrEqual(1 + (LIMITS.items + beyond) / 10);
    look.close();
  });

  it("hands the stream every page in order, each fetched once, with several fetches in flight", async () => {
    const { syncer, seen } = slowType(30, 3, 10);
    const look = lookaheadOver(syncer);
    const got = await drain(syncer, look);
    look.close();
    const want = Array.from({ length: 30 }, (_, r) => Array.from({ length: 3 }, (_, n) => Array.from({ length: 10 }, (_, k) => `r${r}:${n}:${k}`))).flat(2);
    expect(got).toEqual(want);
    expect(seen.calls).toBe(1 + 30 * 3);
    expect([...seen.byKey.values()].every((n) => n === 1)).toBe(true);
    expect(seen.maxInFlight).toBeGreaterThan(1);
    expect(look.state().started).toBe(look.state().taken);
  });

  it("starts nothing ahead while Okta has no headroom: the stream's own reads go one at a time", async () => {
    const { syncer, seen } = slowType(10, 2, 10);
    const look = lookaheadOver(syncer, { headroom: () => false });
    const got = await drain(syncer, look);
    look.close();
    expect(got).toHaveLength(10 * 2 * 10);
    expect(seen.maxInFlight).toBe(1);
  });

  describe("a later type's first page, read far ahead", () => {
    /**
     * Type 0 is a listing read page after page (like the users); type 1's first page fans out into
     * `reads` requests, awaiting whenWanted before each (like the admin-role index).
     */
    function serialThenFanOut(pages: number, reads: number) {
      const fanOut = { lists: 0, reads: 0 };
      const serial = {
        resourceType: { id: "serial" },
        list: async (_parent: unknown, cursor: Cursor | undefined) => {
          await sleep(30);
          const n = Number(cursor ?? 0);
          return { items: [create(ResourceSchema, { id: { resourceType: "serial", resource: `s${n}` } })], cursor: n + 1 < pages ? n + 1 : undefined };
        },
      } as unknown as ResourceSyncer;
      const fanning = {
        resourceType: { id: "fan" },
        list: async (_parent: unknown, _cursor: Cursor | undefined, ctx: SyncCallContext) => {
          fanOut.lists++;
          for (let i = 0; i < reads; i++) {
            await ctx.whenWanted?.();
            await sleep(10);
            fanOut.reads++;
          }
          return { items: [create(ResourceSchema, { id: { resourceType: "fan", resource: "f0" } })] };
        },
      } as unknown as ResourceSyncer;
      const look = createLookahead(
        { syncers: [serial, fanning], walks: () => ({ resources: true, children: false }), skipsOf: () => ({ entitlements: true, grants: true }), start: START },
        { ctx: { signal: new AbortController().signal }, count: undefined, limits: { ...LIMITS, typesAhead: 0 } },
      );
      const takeSerial = (cursor: Cursor | undefined) =>
        look.take<Resource>(0, undefined, "resources", cursor, () => Promise.reject(new Error("the look-ahead reads the serial listing")));
      return { look, fanOut, takeSerial, fanning };
    }

    it("is read while the stream waits on a listing read page after page, and handed to the stream when it gets there", async () => {
      const { look, fanOut, takeSerial, fanning } = serialThenFanOut(10, 20);
      for (let cursor: Cursor | undefined = undefined, first = true; first || cursor !== undefined; first = false) {
        cursor = (await takeSerial(cursor)).page.cursor;
      }
      // 10 serial pages of 30 ms: time enough for 20 reads of 10 ms, beyond `typesAhead`.
      expect(fanOut.reads).toBe(20);
      const page = await look.take<Resource>(1, undefined, "resources", undefined, () => fanning.list(undefined, undefined, { signal: new AbortController().signal }).then((p) => ({ page: p as Page<Resource>, endpoint: undefined })));
      expect(page.page.items.map((r) => r.id?.resource)).toEqual(["f0"]);
      expect(fanOut.lists).toBe(1);
      look.close();
    });

    it("waits while the stream waits for nothing from Okta (its client stopped reading), and goes on once it does", async () => {
      const { look, fanOut, takeSerial, fanning } = serialThenFanOut(3, 40);
      let cursor = (await takeSerial(undefined)).page.cursor;
      await sleep(150);
      const whileStopped = fanOut.reads;
      await sleep(200);
      // Reads already past the gate end; no new one starts while the stream waits for no page.
      expect(fanOut.reads).toBe(whileStopped);
      expect(whileStopped).toBeLessThan(40);
      // The serial pages were read ahead meanwhile: taking them waits for nothing, and the reads stay parked.
      for (; cursor !== undefined; ) cursor = (await takeSerial(cursor)).page.cursor;
      expect(fanOut.reads).toBe(whileStopped);
      // The stream now waits for the far page itself: its reads go on to the end, and it is read once.
      const page = await look.take<Resource>(1, undefined, "resources", undefined, () => fanning.list(undefined, undefined, { signal: new AbortController().signal }).then((p) => ({ page: p as Page<Resource>, endpoint: undefined })));
      expect(page.page.items.map((r) => r.id?.resource)).toEqual(["f0"]);
      expect([fanOut.reads, fanOut.lists]).toEqual([40, 1]);
      look.close();
    });
  });

  it("starts no fetch once the stream's signal aborts", async () => {
    const { syncer, seen } = slowType(50, 5, 10);
    const abort = new AbortController();
    const look = lookaheadOver(syncer, { signal: abort.signal });
    await look.take(0, undefined, "resources", undefined, () => Promise.reject(new Error("unused")));
    abort.abort();
    const atAbort = seen.calls;
    await sleep(100);
    // Fetches already sent may end; none starts after the abort.
    expect(seen.calls).toBe(atAbort);
    look.close();
  });
});
