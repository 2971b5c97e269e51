import type { Event, EventType } from "../../gen/c1/connector/v2/event_feed_pb.js";
import type { SyncCallContext } from "./resource-syncer.js";

/**
 * The connector's event feed as the protocol layer sees it: a log read in windows of publish time.
 * The protocol layer owns the cursor (position, overlap, dedup, retention); the source only reads one
 * page of the log and maps each entry to baton events.
 */

/** baton-sdk's legacy feed id: what an empty `event_feed_id` means (events-and-posture.md §1). */
export const LEGACY_EVENT_FEED_ID = "baton_feed_event";

/** One log entry: its id and publish time, and the baton events it maps to (none for some entries). */
export interface LogEntry {
  readonly uuid: string;
  /** Epoch ms. */
  readonly published: number;
  readonly events: readonly Event[];
}

/**
 * One page of a bounded read: `since` starts a new read, `after` continues one (they are exclusive,
 * as Okta's `since` and `after` are), `until` bounds it so that the read ends.
 */
export interface LogPageQuery {
  readonly since?: number | undefined;
  readonly after?: string | undefined;
  readonly until: number;
  readonly limit: number;
}

export interface LogPage {
  readonly entries: readonly LogEntry[];
  /** Continues the same read; undefined when the read is finished. */
  readonly after?: string | undefined;
}

export interface EventFeedSource {
  readonly feedId: string;
  readonly supportedEventTypes: readonly EventType[];
  /** How long the log keeps entries; a position older than this cannot be read without loss. */
  readonly retentionMs: number;
  /** How far back each read starts before the position, to catch entries that became visible late. */
  readonly overlapMs: number;
  readPage(query: LogPageQuery, ctx: SyncCallContext): Promise<LogPage>;
}
