import { timestampMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import { EventService } from "../../../gen/c1/connector/v2/event_feed_pb.js";
import { connectErrorFrom } from "../errors.js";
import { advanceCursor, cursorFromJson, cursorToJson, type EventCursor, isBeyondRetention, nextRead, startCursor } from "../event-cursor.js";
import { type EventFeedSource, LEGACY_EVENT_FEED_ID } from "../event-feed.js";
import { truncateUtf8 } from "../limits.js";
import { decodeCursorAndHistory } from "../paging.js";
import { encodePageToken } from "../page-token.js";
import { invalid } from "../validate-request.js";
import type { ConnectorDefinition } from "./connector-definition.js";

/** baton-sdk v0.25.0's PGV limits on ListEventsRequest. */
const MAX_EVENTS_PAGE_SIZE = 1000;
const MAX_CURSOR_BYTES = 4096;
/** What an unset page_size means: baton's CLI asks for 100 a page. */
const DEFAULT_EVENTS_PAGE_SIZE = 100;
/** Without start_at or a cursor the feed starts where Okta's own default window does: 7 days back. */
const DEFAULT_LOOKBACK_MS = 7 * 86_400_000;

/**
 * EventService over the connector's feed (ListEventFeeds, ListEvents). The cursor is the protocol
 * layer's (event-cursor.ts), signed like page tokens and scoped to the feed, so it carries the read
 * position, the overlap memory and any read in progress across restarts without server state.
 */
export function createEventService(def: ConnectorDefinition, now: () => number = Date.now): ServiceImpl<typeof EventService> {
  const feed = def.eventFeed;
  return {
    listEventFeeds() {
      return { list: feed ? [{ id: feed.feedId, supportedEventTypes: [...feed.supportedEventTypes] }] : [] };
    },
    async listEvents(req, ctx) {
      if (!feed) throw new ConnectError("this connector offers no event feeds (ListEventFeeds is empty)", Code.Unimplemented);
      const feedId = req.eventFeedId === "" ? LEGACY_EVENT_FEED_ID : req.eventFeedId;
      if (feedId !== feed.feedId) {
        throw new ConnectError(`event_feed_id: no event feed "${truncateUtf8(feedId, 256)}"; ListEventFeeds names "${feed.feedId}"`, Code.NotFound);
      }
      if (req.pageSize > MAX_EVENTS_PAGE_SIZE) throw invalid("page_size", `${req.pageSize} exceeds ${MAX_EVENTS_PAGE_SIZE}`);
      const limit = req.pageSize === 0 ? DEFAULT_EVENTS_PAGE_SIZE : req.pageSize;
      const scope = `event-feed\n${feed.feedId}`;
      const at = now();
      const cursor = req.cursor !== "" ? decodeEventCursor(def, scope, req.cursor) : startCursor(req.startAt ? Number(timestampMs(req.startAt)) : at - DEFAULT_LOOKBACK_MS);
      checkRetention(feed, cursor, at, req.cursor !== "" ? "cursor" : "start_at");
      const query = nextRead(cursor, at, limit);
      // A start in the future has nothing to read yet; Okta would refuse since > until.
      const page = query.since !== undefined && query.since >= query.until ? { entries: [] } : await read(feed, query, ctx);
      const { fresh, next } = advanceCursor(cursor, query, page, feed.overlapMs);
      return {
        events: fresh.flatMap((entry) => entry.events),
        cursor: encodePageToken(def.pageTokenKey, scope, cursorToJson(next)),
        hasMore: next.read !== undefined,
      };
    },
  };
}

function decodeEventCursor(def: ConnectorDefinition, scope: string, token: string): EventCursor {
  if (token.length > MAX_CURSOR_BYTES) throw invalid("cursor", `is ${token.length} bytes, more than ${MAX_CURSOR_BYTES}`);
  const cursor = cursorFromJson(decodeCursorAndHistory(def.pageTokenKey, scope, token, "cursor").cursor);
  if (!cursor) throw invalid("cursor", "is not a cursor this connector version reads; start again from start_at");
  return cursor;
}

function checkRetention(feed: EventFeedSource, cursor: EventCursor, at: number, field: string): void {
  if (!isBeyondRetention(cursor, at, feed.retentionMs)) return;
  const days = Math.round(feed.retentionMs / 86_400_000);
  throw new ConnectError(
    `${field}: position ${new Date(cursor.pos).toISOString()} is older than the System Log's ${days}-day retention; events since then are gone, so a full sync is needed before reading the feed again`,
    Code.FailedPrecondition,
  );
}

async function read(feed: EventFeedSource, query: Parameters<EventFeedSource["readPage"]>[0], ctx: HandlerContext) {
  try {
    return await feed.readPage(query, { signal: ctx.signal });
  } catch (error) {
    if (ctx.signal.aborted && ctx.signal.reason instanceof ConnectError) throw ctx.signal.reason;
    throw connectErrorFrom(error);
  }
}
