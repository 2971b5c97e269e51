import { describe, expect, it } from "vitest";
import { advanceListing, EMPTY_HISTORY, historyFrom, type ListingHistory, RECENT_CURSORS } from "./listing-loop.js";
import { isKindedError } from "./errors.js";
import type { Cursor } from "./resource-syncer.js";

/**
 * Walks a listing whose next links are given by `next` (Okta's `after` values), carrying the history
 * through JSON as a page token would, and returns how many pages were read before the loop was
 * refused (or undefined when the listing ended).
 */
function walk(next: (after: string | undefined) => string | undefined, maxPages = 100_000): { pages: number; error?: Error; largest: number } {
  let history: ListingHistory = EMPTY_HISTORY;
  let sent: Cursor | undefined;
  let largest = 0;
  for (let pages = 1; pages <= maxPages; pages++) {
    const after = next(sent === undefined ? undefined : (sent as { after: string }).after);
    const cursor = after === undefined ? undefined : { after };
    try {
      history = historyFrom(JSON.parse(JSON.stringify(advanceListing(history, sent, cursor, "GET /api/v1/users"))));
    } catch (error) {
      return { pages, error: error as Error, largest };
    }
    largest = Math.max(largest, JSON.stringify(history).length);
    if (cursor === undefined) return { pages, largest };
    sent = cursor;
  }
  throw new Error("the walk neither ended nor was refused");
}

/** A listing of `lead` pages and then a circle of `lap` pages: after=p1 … p(lead), c0 … c(lap-1), c0 … */
function circle(lead: number, lap: number) {
  return (after: string | undefined): string => {
    if (after === undefined) return lead > 0 ? "p1" : "c0";
    if (after.startsWith("p")) {
      const i = Number(after.slice(1));
      return i < lead ? `p${i + 1}` : "c0";
    }
    return `c${(Number(after.slice(1)) + 1) % lap}`;
  };
}

describe("listing loop detection", () => {
  it("refuses next links A -> B -> A on the third page, as unavailable naming the endpoint", () => {
    const result = walk((after) => (after === undefined ? "A" : after === "A" ? "B" : "A"));
    expect(result.pages).toBe(3);
    expect(isKindedError(result.error) && result.error.kind).toBe("unavailable");
    expect(result.error?.message).toBe("Okta's paging of GET /api/v1/users loops: a next link leads back to a page this listing already read");
  });

  it.each([
    ["a circle of 2 after 0 pages", 0, 2],
    ["a circle of 16 after 3 pages", 3, RECENT_CURSORS],
    ["a circle of 17 after 0 pages", 0, RECENT_CURSORS + 1],
    ["a circle of 100 after 1,000 pages", 1_000, 100],
    ["a circle of 5,000 after 10 pages", 10, 5_000],
    ["a circle of 3,000 after 20,000 pages", 20_000, 3_000],
  ])("refuses %s within three times its pages", (_name, lead, lap) => {
    const result = walk(circle(lead, lap));
    expect(result.error).toBeDefined();
    expect(result.pages).toBeGreaterThan(lead + 1);
    expect(result.pages).toBeLessThanOrEqual(3 * (lead + lap) + 2);
  });

  it("a circle of up to 16 pages is refused at its first repeat", () => {
    for (let lap = 2; lap <= RECENT_CURSORS; lap++) expect(walk(circle(5, lap)).pages).toBe(5 + lap + 1);
  });

  it("lets a long listing with no repeat run to its end, with a history of bounded size", () => {
    const result = walk((after) => (after === undefined ? "x0" : Number(after.slice(1)) < 19_999 ? `x${Number(after.slice(1)) + 1}` : undefined));
    expect(result.error).toBeUndefined();
    expect(result.pages).toBe(20_001);
    expect(result.largest).toBeLessThan(400);
  });

  it("reads a missing or malformed history as a fresh start", () => {
    for (const value of [undefined, null, 3, "x", { recent: "no" }, { recent: [1], mark: "", span: 1, steps: 0 }]) expect(historyFrom(value)).toEqual(EMPTY_HISTORY);
  });
});
