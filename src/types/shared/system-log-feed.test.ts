import { describe, expect, it } from "vitest";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { EventType } from "../../../gen/c1/connector/v2/event_feed_pb.js";
import { resourceChange } from "./event-bodies.js";
import type { OktaLogEvent, TypeEventMapping } from "./system-log.js";
import { entryOf } from "./system-log-feed.js";

const byType = (mappings: readonly TypeEventMapping[]) => {
  const map = new Map<string, TypeEventMapping[]>();
  for (const m of mappings) for (const t of m.oktaEventTypes) map.set(t, [...(map.get(t) ?? []), m]);
  return map;
};
/** A mapping that emits one ResourceChange per target (the type folders' mappings are tested beside them). */
const perTarget = (eventType: string): TypeEventMapping => ({
  oktaEventTypes: [eventType],
  kinds: [EventType.RESOURCE_CHANGE],
  map: (event) => (event.target ?? []).map((t) => resourceChange({ id: t.type }, t.id)),
});
const groupEvents = perTarget("group.user_membership.add");
const roleEvents = perTarget("user.account.privilege.grant");

const membership = (outcome?: string): OktaLogEvent => ({
  uuid: "2f9d1c4e-0000-4000-8000-000000000001",
  published: "2026-12-04T10:00:00.123Z",
  eventType: "group.user_membership.add",
  target: [{ id: "00g1", type: "UserGroup", displayName: "Eng" }],
  ...(outcome ? { outcome: { result: outcome } } : {}),
});

describe("System Log entries", () => {
  it("carry the Okta uuid as the event id and the publish time as occurred_at", () => {
    const entry = entryOf(membership(), byType([groupEvents]));
    expect(entry.published).toBe(Date.parse("2026-12-04T10:00:00.123Z"));
    expect(entry.events.map((e) => e.id)).toEqual(["2f9d1c4e-0000-4000-8000-000000000001"]);
    expect(Number(timestampMs(entry.events[0]!.occurredAt!))).toBe(entry.published);
  });

  it("map a failed attempt to no event, but keep it as an entry so the cursor moves past it", () => {
    const entry = entryOf(membership("FAILURE"), byType([groupEvents]));
    expect(entry.events).toEqual([]);
    expect(entry.uuid).toBe("2f9d1c4e-0000-4000-8000-000000000001");
  });

  it("number the events of one Okta event that maps to several", () => {
    const grant: OktaLogEvent = {
      uuid: "e1", published: "2026-12-04T10:00:00.000Z", eventType: "user.account.privilege.grant",
      target: [{ id: "00u1", type: "User" }, { id: "00u2", type: "User" }], debugContext: { debugData: { privilegeGranted: "Super Administrator, Report Administrator" } },
    };
    expect(entryOf(grant, byType([roleEvents])).events.map((e) => e.id)).toEqual(["e1:0", "e1:1"]);
  });
});
