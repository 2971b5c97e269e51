import { describe, expect, it } from "vitest";
import { advanceCursor, cursorFromJson, cursorToJson, type EventCursor, isBeyondRetention, MAX_SEEN, nextRead, startCursor } from "./event-cursor.js";
import type { LogEntry, LogPage } from "./event-feed.js";
import { derivePageTokenKey, encodePageToken } from "./page-token.js";

const OVERLAP = 1_000;
const entry = (uuid: string, published: number): LogEntry => ({ uuid, eventType: "group.user_membership.add", published, events: [], wholeTypes: [], principalReads: [], unscoped: false });
const uuids = (entries: readonly LogEntry[]) => entries.map((e) => e.uuid);

/** Runs one read of `page` from `cursor` at time `now`. */
function step(cursor: EventCursor, now: number, page: LogPage) {
  const query = nextRead(cursor, now, 100);
  return { query, ...advanceCursor(cursor, query, page, OVERLAP) };
}

describe("event cursor", () => {
  it("re-reads the overlap window and drops what it delivered, keeping an event that became visible late", () => {
    const first = step(startCursor(0), 2_500, { entries: [entry("a", 1_000), entry("b", 2_000)] });
    expect(uuids(first.fresh)).toEqual(["a", "b"]);
    // The next read starts an overlap before the previous read's end, not at its newest event.
    const second = step(first.next, 5_000, { entries: [entry("late", 1_800), entry("b", 2_000), entry("d", 3_000), entry("e", 4_500)] });
    expect(second.query.since).toBe(1_500);
    expect(uuids(second.fresh)).toEqual(["late", "d", "e"]);
    // And a third read that sees all of them again delivers nothing twice.
    const third = step(second.next, 5_200, { entries: [entry("e", 4_500)] });
    expect(second.next.pos).toBe(4_000);
    expect(third.fresh).toEqual([]);
  });

  it("drops a uuid repeated within one page", () => {
    const { fresh } = step(startCursor(0), 2_000, { entries: [entry("a", 1_000), entry("a", 1_000)] });
    expect(uuids(fresh)).toEqual(["a"]);
  });

  it("continues a read in progress with Okta's after and the same end, without since", () => {
    const first = step(startCursor(100), 9_000, { entries: [entry("a", 1_000)], after: "1000_1" });
    expect(first.query).toEqual({ since: 100, until: 9_000, limit: 100 });
    expect(first.next.read).toEqual({ after: "1000_1", until: 9_000 });
    expect(first.next.pos).toBe(100);
    const second = step(first.next, 20_000, { entries: [entry("b", 2_000)] });
    expect(second.query).toEqual({ after: "1000_1", until: 9_000, limit: 100 });
    expect(second.next.read).toBeUndefined();
    expect(second.next.pos).toBe(8_000);
  });

  it("never moves the position back", () => {
    const { next } = step(startCursor(50_000), 50_500, { entries: [] });
    expect(next.pos).toBe(50_000);
  });

  it(`remembers at most ${MAX_SEEN} entries; under a burst the next read starts after the ones it forgot`, () => {
    const burst = Array.from({ length: 300 }, (_, i) => entry(`00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, 10_000 + i));
    const { fresh, next } = step(startCursor(0), 10_400, { entries: burst });
    expect(fresh).toHaveLength(300);
    expect(next.seen).toHaveLength(MAX_SEEN);
    expect(next.pos).toBe(10_000 + 300 - MAX_SEEN);
    const again = step(next, 10_500, { entries: burst.filter((e) => e.published >= next.pos) });
    expect(again.fresh).toEqual([]);
  });

  it("fits baton's 4096-byte cursor limit when full, signed, with a read in progress far from its start", () => {
    const burst = Array.from({ length: MAX_SEEN }, (_, i) => entry(`uuid-${i}`, 600_000_000 + i * 7_919));
    const { next } = step(startCursor(0), 700_000_000, { entries: burst, after: "1764892800000_123456789" });
    const token = encodePageToken(derivePageTokenKey("https://example.okta.com", "secret"), "event-feed\nbaton_feed_event", cursorToJson(next));
    expect(token.length).toBeLessThanOrEqual(4096);
  });

  it("round-trips through JSON and refuses a wrong shape", () => {
    const { next } = step(startCursor(0), 9_000, { entries: [entry("a", 1_000), entry("b", 8_500)], after: "x_1" });
    expect(cursorFromJson(JSON.parse(JSON.stringify(cursorToJson(next))))).toEqual(next);
    expect(cursorFromJson({ p: 1, h: "abc", t: [1] })).toBeUndefined();
    expect(cursorFromJson({ p: "1", h: "", t: [] })).toBeUndefined();
    expect(cursorFromJson(null)).toBeUndefined();
  });

  it("is beyond retention only when its position is older than the log keeps", () => {
    expect(isBeyondRetention(startCursor(1_000), 1_000 + 90, 100)).toBe(false);
    expect(isBeyondRetention(startCursor(1_000), 1_000 + 101, 100)).toBe(true);
  });
});
