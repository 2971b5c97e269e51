import { createHash } from "node:crypto";
import type { LogEntry, LogPage, LogPageQuery } from "./event-feed.js";

/**
 * The state an event-feed cursor carries between ListEvents calls, and how one page moves it.
 *
 * A log like Okta's System Log makes entries visible after they are published, not always in order
 * (events-and-posture.md §4), so a reader that only follows the newest position would miss late
 * arrivals. Each new read therefore starts `overlapMs` before the end of the previous one, and the
 * entries delivered since that point are remembered (as short hashes of their uuids) so the re-read
 * drops them. The memory is bounded (MAX_SEEN) so the cursor fits baton's 4096 bytes: under a burst
 * the oldest remembered entries are forgotten and the re-read starts just after them, which narrows
 * the overlap for that burst instead of repeating events.
 */

/** How many delivered entries a cursor remembers; sized so the signed cursor stays under 4096 bytes. */
export const MAX_SEEN = 128;

/** A remembered entry: a hash of its uuid and its publish time as an offset from `pos`. */
interface Seen {
  readonly hash: string;
  readonly published: number;
}

export interface EventCursor {
  /** Epoch ms where the next new read starts; every entry published at or after it that was delivered is in `seen`. */
  readonly pos: number;
  readonly seen: readonly Seen[];
  /** A bounded read still in progress: Okta's `after` and the read's fixed end. */
  readonly read?: { readonly after: string; readonly until: number } | undefined;
}

/** A cursor for a feed starting at `startMs` (ListEvents' start_at). */
export function startCursor(startMs: number): EventCursor {
  return { pos: startMs, seen: [] };
}

/** The next page to read: continue the read in progress, or start a new one from `pos` up to `now`. */
export function nextRead(cursor: EventCursor, now: number, limit: number): LogPageQuery {
  return cursor.read ? { after: cursor.read.after, until: cursor.read.until, limit } : { since: cursor.pos, until: now, limit };
}

/** Whether the cursor's position is older than the log keeps: reading on would skip what was dropped. */
export function isBeyondRetention(cursor: EventCursor, now: number, retentionMs: number): boolean {
  return cursor.pos < now - retentionMs;
}

/**
 * Applies one page read with `query`: returns the entries not delivered before, and the cursor after
 * them. When the read is finished, the next one starts `overlapMs` before its end.
 */
export function advanceCursor(
  cursor: EventCursor,
  query: LogPageQuery,
  page: LogPage,
  overlapMs: number,
  maxSeen: number = MAX_SEEN,
): { fresh: LogEntry[]; next: EventCursor; narrowed: boolean } {
  const known = new Set(cursor.seen.map((s) => s.hash));
  const fresh: LogEntry[] = [];
  const seen = [...cursor.seen];
  for (const entry of page.entries) {
    const hash = hashOf(entry.uuid);
    if (known.has(hash)) continue;
    known.add(hash);
    fresh.push(entry);
    seen.push({ hash, published: entry.published });
  }
  seen.sort((a, b) => a.published - b.published);
  const pos = page.after === undefined ? Math.max(cursor.pos, query.until - overlapMs) : cursor.pos;
  const read = page.after === undefined ? undefined : { after: page.after, until: query.until };
  const next = bounded({ pos, seen: seen.filter((s) => s.published >= pos), read }, maxSeen);
  return { fresh, next, narrowed: next.pos > pos };
}

/** Forgets the oldest entries past MAX_SEEN; the next read then starts after them (see the module comment). */
function bounded(cursor: EventCursor, maxSeen: number): EventCursor {
  if (cursor.seen.length <= maxSeen) return cursor;
  let pos = cursor.pos;
  let seen = cursor.seen;
  while (seen.length > maxSeen) {
    // Forget whole milliseconds: a read starting at `pos` must find every entry of its first ms remembered.
    pos = Math.max(pos, seen[0]!.published + 1);
    const cut = pos;
    seen = seen.filter((s) => s.published >= cut);
  }
  return { ...cursor, pos, seen };
}

/** 11 base64url characters (66 bits) of the uuid's SHA-256: collisions are negligible at MAX_SEEN entries. */
function hashOf(uuid: string): string {
  return createHash("sha256").update(uuid).digest("base64url").slice(0, 11);
}

/** The cursor as compact JSON for a signed token: hashes concatenated, publish times as offsets from `pos`. */
export function cursorToJson(cursor: EventCursor): unknown {
  return {
    p: cursor.pos,
    h: cursor.seen.map((s) => s.hash).join(""),
    t: cursor.seen.map((s) => s.published - cursor.pos),
    ...(cursor.read ? { a: cursor.read.after, u: cursor.read.until } : {}),
  };
}

/** Reads a cursor written by cursorToJson; undefined when the shape is wrong (the token was signed, so only a bug or an old version gets here). */
export function cursorFromJson(value: unknown): EventCursor | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { p, h, t, a, u } = value as { p?: unknown; h?: unknown; t?: unknown; a?: unknown; u?: unknown };
  if (typeof p !== "number" || typeof h !== "string" || !Array.isArray(t) || h.length !== t.length * 11) return undefined;
  if (!t.every((x) => typeof x === "number")) return undefined;
  const seen = (t as number[]).map((offset, i) => ({ hash: h.slice(i * 11, i * 11 + 11), published: p + offset }));
  if (a === undefined) return { pos: p, seen };
  if (typeof a !== "string" || typeof u !== "number") return undefined;
  return { pos: p, seen, read: { after: a, until: u } };
}
