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
  /** Okta's event type (`group.user_membership.add`). */
  readonly eventType: string;
  /** Epoch ms. */
  readonly published: number;
  readonly events: readonly Event[];
  /**
   * For Watch: resource types to re-read whole for this entry (its type's changes are not always
   * logged, or not named precisely), and whether it changed something that neither its events nor
   * those types scope (a successful change the mapping could not read).
   */
  readonly wholeTypes: readonly string[];
  /**
   * For Watch: principals whose holdings of a type are read from their side for this entry (a user's
   * admin roles), instead of the entitlement's resource its grant events name.
   */
  readonly principalReads: readonly PrincipalRead[];
  readonly unscoped: boolean;
}

export interface PrincipalRead {
  readonly principal: { readonly resourceType: string; readonly resource: string };
  readonly resourceTypeId: string;
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
  /** Types Watch re-reads whole, and when (system-log.ts TypeReread). */
  readonly rereads: readonly TypeReread[];
}

/**
 * A resource type that Watch must re-read whole, because the log cannot scope its changes:
 * - "event": its events do not name what changed precisely enough, so each is scoped to the whole type;
 * - "timer": Okta leaves some of its changes out of the log, so only a re-read on a timer finds them;
 * - "both".
 */
export interface TypeReread {
  readonly resourceTypeId: string;
  readonly why: string;
  readonly when: "event" | "timer" | "both";
  /** Only the resources themselves go stale unlogged (a count they carry), not their entitlements and grants. */
  readonly resourcesOnly?: boolean;
}
