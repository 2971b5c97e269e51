import type { Event } from "../../../gen/c1/connector/v2/event_feed_pb.js";
import type { EventType } from "../../../gen/c1/connector/v2/event_feed_pb.js";
import type { PrincipalRead, TypeReread } from "../../protocol/event-feed.js";

/** An actor or target of a System Log event (okta-api.md §1.5): `type` is User, UserGroup, AppInstance, … */
export interface OktaLogTarget {
  id: string;
  type: string;
  alternateId?: string | null;
  displayName?: string | null;
  [key: string]: unknown;
}

/** A System Log event (`GET /api/v1/logs`), with the fields the feed reads. */
export interface OktaLogEvent {
  uuid: string;
  published: string;
  eventType: string;
  actor?: OktaLogTarget | null;
  target?: OktaLogTarget[] | null;
  outcome?: { result?: string | null; reason?: string | null } | null;
  debugContext?: { debugData?: Record<string, unknown> | null } | null;
  [key: string]: unknown;
}

/** The body of a baton event (its oneof), without the id and time the feed fills in from the Okta event. */
export type EventBody = Event["event"];

/**
 * What one resource type reads from the System Log: the Okta event types that change what a sync of
 * it holds, and how each maps to baton events whose ids are the ids the type's sync emits. A type
 * declares it in its descriptor (`events`), beside its mappers.
 */
export interface TypeEventMapping {
  /** Okta event types this mapping reads (`group.user_membership.add`, …). */
  readonly oktaEventTypes: readonly string[];
  /** The baton event kinds it can produce, for ListEventFeeds. */
  readonly kinds: readonly EventType[];
  /** The events for one Okta event of one of `oktaEventTypes`; none when it does not say enough. */
  map(event: OktaLogEvent): EventBody[];
  /** Types Watch must re-read whole for these events or on a timer, since the log cannot scope their changes. */
  readonly rereads?: readonly TypeReread[];
  /** The principals whose holdings of a type Watch re-reads from their side for this event (PrincipalRead). */
  principalReads?(event: OktaLogEvent): readonly PrincipalRead[];
  /** Event types that only report a use (a sign-in) and change nothing a sync holds. */
  readonly usageEventTypes?: readonly string[];
}

/** The event's first target of `type` (Okta lists User before UserGroup, AppInstance, …). */
export function targetOf(event: OktaLogEvent, type: string): OktaLogTarget | undefined {
  return (event.target ?? []).find((t) => t.type === type && typeof t.id === "string" && t.id !== "");
}

/** A target's display name, falling back to its id (targets of deleted objects may lack one). */
export function nameOf(target: OktaLogTarget): string {
  return target.displayName || target.alternateId || target.id;
}
