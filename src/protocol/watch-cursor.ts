import { Code, ConnectError } from "@connectrpc/connect";
import { cursorFromJson, cursorToJson, type EventCursor, startCursor } from "./event-cursor.js";
import { decodePageToken, encodePageToken, inspectPageToken, PageTokenError, type PageTokenKey } from "./page-token.js";
import { invalid } from "./validate-request.js";

/**
 * Where a Watch stream stands: the System Log read position (the event feed's cursor, with its overlap
 * memory) and when the types whose changes Okta does not always log were last re-read whole.
 *
 * It is signed like the page tokens and scoped to the sync fingerprint (the org and every setting that
 * changes what a sync holds), since what a change re-reads depends on which types are enabled: a
 * cursor from another configuration is refused rather than applied to a snapshot it does not match.
 */
export interface WatchCursor {
  readonly log: EventCursor;
  /** Epoch ms of the last whole re-read of the unlogged types. */
  readonly sweptAt: number;
}

/**
 * How many delivered log entries a Watch cursor remembers in the overlap window. Unlike the event
 * feed's cursor it has no 4096-byte limit, so it can remember a busy minute; more than this in one
 * window is a gap (the read would narrow the overlap), and Watch then asks for a full sync.
 */
export const WATCH_MAX_SEEN = 4000;

/** The cursor a Sync summary hands out: the log from the sync's start, less the overlap, and roles read at the start. */
export function watchCursorAt(syncStartedAt: number, overlapMs: number): WatchCursor {
  return { log: startCursor(syncStartedAt - overlapMs), sweptAt: syncStartedAt };
}

const scopeOf = (fingerprint: string) => `watch/v1/${fingerprint}`;

export function encodeWatchCursor(key: PageTokenKey, fingerprint: string, cursor: WatchCursor): string {
  return encodePageToken(key, scopeOf(fingerprint), { l: cursorToJson(cursor.log), s: cursor.sweptAt });
}

/**
 * The cursor of a WatchRequest. One made with another configuration is FAILED_PRECONDITION (the snapshot
 * it belongs to holds other data: sync again); a malformed or altered one is INVALID_ARGUMENT naming `cursor`.
 */
export function decodeWatchCursor(key: PageTokenKey, fingerprint: string, token: string): WatchCursor {
  if (token === "") throw invalid("cursor", "is required: start from the watch_cursor of a Sync summary");
  let raw: { l?: unknown; s?: unknown } | null;
  try {
    raw = decodePageToken(key, scopeOf(fingerprint), token) as { l?: unknown; s?: unknown } | null;
  } catch (error) {
    if (!(error instanceof PageTokenError)) throw error;
    const seen = inspectPageToken(token)?.scope;
    if (error.problem === "scope" && typeof seen === "string" && seen.startsWith("watch/")) {
      throw new ConnectError(
        "cursor: was made by a connector with another org or configuration (flags that change what is synced); run a full Sync with this one and watch from its summary's watch_cursor",
        Code.FailedPrecondition,
      );
    }
    throw invalid("cursor", `${error.message.replace(/^page_token /, "")}; pass the watch_cursor of a Sync summary or the cursor of a WatchResponse`);
  }
  const log = raw && typeof raw === "object" ? cursorFromJson(raw.l) : undefined;
  if (!log || typeof raw?.s !== "number") throw invalid("cursor", "is not a watch cursor this connector version reads; run a full Sync and watch from its summary's watch_cursor");
  return { log, sweptAt: raw.s };
}
