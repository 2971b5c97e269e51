import { createHash } from "node:crypto";
import { ConnectorError } from "./errors.js";
import type { Cursor } from "./resource-syncer.js";

/**
 * Catches a listing whose next links go round in a circle (Okta answering page A with a link to B,
 * and B with a link back to A). Okta's layer already refuses a next link that repeats the cursor just
 * sent; a longer circle looks like progress to it and would be followed for ever.
 *
 * The paged RPCs are stateless, so the memory of a listing must travel in its page token, and it must
 * stay small however long the listing is. It holds two things, each a short digest of a cursor:
 * - the last {@link RECENT_CURSORS} cursors, which catches any circle of up to that many pages at
 *   its first repeat;
 * - one checkpoint, moved forward at steps 1, 2, 4, 8, … (Brent's cycle detection), which catches a
 *   circle of any length: once the gap between checkpoints exceeds the circle, the walk comes back to
 *   the checkpoint within one more lap. A listing that loops is so refused within about three times
 *   (pages before the circle + its length) calls, whatever its size.
 * A repeat is only possible when Okta misbehaves: a cursor is the position after a page, and a
 * well-behaved listing never returns to a position it left.
 */
export interface ListingHistory {
  /** Digests of the most recent cursors, oldest first. */
  readonly recent: readonly string[];
  /** The checkpoint's digest; "" before the first step. */
  readonly mark: string;
  /** Steps between the checkpoint moves; doubles at each move. */
  readonly span: number;
  /** Steps since the checkpoint moved. */
  readonly steps: number;
}

export const RECENT_CURSORS = 16;

export const EMPTY_HISTORY: ListingHistory = { recent: [], mark: "", span: 1, steps: 0 };

/** A short digest of a cursor: 72 bits, so two different cursors of one listing never meet. */
export function cursorDigest(cursor: Cursor | undefined): string {
  return createHash("sha256").update(JSON.stringify(cursor ?? null)).digest().subarray(0, 9).toString("base64url");
}

/** Whether `cursor` was already reached in the listing `history` describes. */
export function isRepeat(history: ListingHistory, cursor: Cursor | undefined): boolean {
  const digest = cursorDigest(cursor);
  return digest === history.mark || history.recent.includes(digest);
}

/** The history after the listing reached `cursor` (the position a request was made from). */
export function recordCursor(history: ListingHistory, cursor: Cursor | undefined): ListingHistory {
  const digest = cursorDigest(cursor);
  const recent = [...history.recent, digest].slice(-RECENT_CURSORS);
  const steps = history.steps + 1;
  if (history.mark === "" || steps >= history.span) return { recent, mark: digest, span: history.mark === "" ? 1 : history.span * 2, steps: 0 };
  return { recent, mark: history.mark, span: history.span, steps };
}

/**
 * Records that a page was read from `sent` and pointed on to `next`. Throws an unavailable error naming
 * `endpoint` when `next` is a position the listing already reached: resumable, since the engine can ask
 * again from its last stored cursor once Okta pages normally.
 */
export function advanceListing(history: ListingHistory, sent: Cursor | undefined, next: Cursor | undefined, endpoint: string): ListingHistory {
  const after = recordCursor(history, sent);
  if (next !== undefined && isRepeat(after, next)) throw listingLoopError(endpoint);
  return after;
}

/** The failure of a listing whose next links go round in a circle: UNAVAILABLE, resumable. */
export function listingLoopError(endpoint: string): ConnectorError {
  return new ConnectorError("unavailable", `Okta's paging of ${endpoint} loops: a next link leads back to a page this listing already read`);
}

/** Reads a history carried in a token; anything malformed counts as a fresh start (the token is signed). */
export function historyFrom(value: unknown): ListingHistory {
  const h = value as Partial<ListingHistory> | null | undefined;
  if (
    h === null || typeof h !== "object" || !Array.isArray(h.recent) || !h.recent.every((d) => typeof d === "string") ||
    typeof h.mark !== "string" || !Number.isInteger(h.span) || !Number.isInteger(h.steps)
  ) {
    return EMPTY_HISTORY;
  }
  return { recent: h.recent.slice(-RECENT_CURSORS), mark: h.mark, span: Math.max(1, h.span!), steps: Math.max(0, h.steps!) };
}
