import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { type Event, EventSchema, EventType } from "../../../gen/c1/connector/v2/event_feed_pb.js";
import { fetchPage, isOktaError, type OktaClient } from "../../okta/index.js";
import { ConnectorError } from "../../protocol/errors.js";
import { type EventFeedSource, LEGACY_EVENT_FEED_ID, type LogEntry } from "../../protocol/event-feed.js";
import type { OktaLogEvent, TypeEventMapping } from "./system-log.js";

/** Okta keeps System Log events for 90 days (okta-api.md §1.5). */
export const SYSTEM_LOG_RETENTION_MS = 90 * 86_400_000;
/** How far each read reaches back before the last one's end, for events that became visible late. */
export const SYSTEM_LOG_OVERLAP_MS = 60_000;

/**
 * The connector's one event feed: Okta's System Log, read through the connector's client (so in the
 * `logs` rate-limit bucket, paced and retried like every call) with GET only. Each read is bounded
 * (`since` and `until`, ascending), so Okta's last page has no next link; a polling read (no `until`)
 * always has one and would never say it ended (okta-api.md §1.5). The query asks only for the event
 * types some enabled type maps, so a page is not spent on sign-on noise.
 *
 * The feed keeps baton's legacy id: baton-okta serves its feed under it, and an engine that sends no
 * `event_feed_id` means it.
 */
export function createSystemLogFeed(client: OktaClient, mappings: readonly TypeEventMapping[]): EventFeedSource {
  const byOktaType = new Map<string, TypeEventMapping[]>();
  for (const mapping of mappings) for (const type of mapping.oktaEventTypes) byOktaType.set(type, [...(byOktaType.get(type) ?? []), mapping]);
  const filter = [...byOktaType.keys()].map((type) => `eventType eq "${type}"`).join(" or ");
  const kinds = new Set(mappings.flatMap((m) => m.kinds));
  return {
    feedId: LEGACY_EVENT_FEED_ID,
    supportedEventTypes: [EventType.USAGE, EventType.RESOURCE_CHANGE, EventType.CREATE_GRANT, EventType.CREATE_REVOKE].filter((k) => kinds.has(k)),
    retentionMs: SYSTEM_LOG_RETENTION_MS,
    overlapMs: SYSTEM_LOG_OVERLAP_MS,
    rereads: mappings.flatMap((m) => m.rereads ?? []),
    async readPage(query, ctx) {
      // Okta's `since` and `after` are exclusive: a continued read sends the rest of the query without `since`.
      const params = {
        filter,
        sortOrder: "ASCENDING",
        until: new Date(query.until).toISOString(),
        ...(query.after === undefined && query.since !== undefined ? { since: new Date(query.since).toISOString() } : {}),
      };
      const page = await fetchPage<OktaLogEvent>(client, "/api/v1/logs", params, { after: query.after, limit: query.limit, signal: ctx.signal }).catch((error: unknown) => {
        // An OAuth app's token lacks okta.logs.read unless --okta-scopes asks for it; say so rather than a bare 403.
        if (isOktaError(error) && error.kind === "forbidden") {
          throw new ConnectorError("forbidden", "reading Okta's System Log (GET /api/v1/logs) needs an admin role that reads reports and, for an OAuth app, the okta.logs.read scope (add it to --okta-scopes); Okta answered 403", { cause: error });
        }
        throw error;
      });
      return { entries: page.items.map((event) => entryOf(event, byOktaType)), after: page.after };
    },
  };
}

/** One log event as a feed entry: its baton events, each with the Okta uuid as id (suffixed when one event maps to several). */
export function entryOf(event: OktaLogEvent, byOktaType: ReadonlyMap<string, readonly TypeEventMapping[]>): LogEntry {
  const published = Date.parse(event.published);
  // A failed or denied attempt changed nothing.
  const succeeded = (event.outcome?.result ?? "SUCCESS") === "SUCCESS";
  const mappings = succeeded ? (byOktaType.get(event.eventType) ?? []) : [];
  const bodies = mappings.flatMap((m) => m.map(event));
  const events: Event[] = bodies.map((body, i) =>
    create(EventSchema, { id: bodies.length === 1 ? event.uuid : `${event.uuid}:${i}`, occurredAt: timestampFromMs(published), event: body }),
  );
  const wholeTypes = mappings.flatMap((m) => (m.rereads ?? []).filter((r) => r.when !== "timer").map((r) => r.resourceTypeId));
  const principalReads = mappings.flatMap((m) => m.principalReads?.(event) ?? []);
  const usage = mappings.some((m) => m.usageEventTypes?.includes(event.eventType));
  const unscoped = mappings.length > 0 && bodies.length === 0 && wholeTypes.length === 0 && principalReads.length === 0 && !usage;
  return { uuid: event.uuid, eventType: event.eventType, published, events, wholeTypes, principalReads, unscoped };
}
