import { describe, expect, it } from "vitest";
import type { OktaLogEvent } from "../shared/system-log.js";
import { groupEvents } from "./group-events.js";
import { groupResourceOf, memberEntitlementOf, membershipGrantOf } from "./group-mappers.js";

const user = { id: "00u1a2b3c4D5e6F7g8h9", type: "User", alternateId: "ada@example.com", displayName: "Ada Lovelace" };
const group = { id: "00g1a2b3c4D5e6F7g8h9", type: "UserGroup", alternateId: "unknown", displayName: "Engineering" };
const logEvent = (eventType: string, target: OktaLogEvent["target"]): OktaLogEvent => ({ uuid: "u-1", published: "2026-12-04T10:00:00.000Z", eventType, target });

/** The id the group's sync emits for that membership, built by the sync's own mappers. */
const syncedGrantId = memberEntitlementOf(groupResourceOf({ id: group.id, type: "OKTA_GROUP", profile: { name: "Engineering" } }));
const grantIdInSync = membershipGrantOf(syncedGrantId, group.id, user.id).id;

describe("group System Log events", () => {
  it.each([
    ["group.user_membership.add", "createGrantEvent"],
    ["group.user_membership.remove", "createRevokeEvent"],
  ])("%s → %s of the membership grant the sync lists", (eventType, kind) => {
    const [body, ...rest] = groupEvents.map(logEvent(eventType, [user, group]));
    expect(rest).toEqual([]);
    expect(body?.case).toBe(kind);
    const value = body!.value as { entitlement: { id: string }; principal: { id: { resourceType: string; resource: string } } };
    expect(`${value.entitlement.id}:${value.principal.id.resourceType}:${value.principal.id.resource}`).toBe(grantIdInSync);
    expect(grantIdInSync).toBe(`group:${group.id}:member:user:${user.id}`);
  });

  it.each(["group.lifecycle.create", "group.lifecycle.delete", "group.profile.update"])("%s → ResourceChange of the group", (eventType) => {
    const [body] = groupEvents.map(logEvent(eventType, [group]));
    expect(body?.case).toBe("resourceChangeEvent");
    expect(body?.value).toMatchObject({ resourceId: { resourceType: "group", resource: group.id } });
  });

  it("maps nothing when a membership event lacks its user", () => {
    expect(groupEvents.map(logEvent("group.user_membership.add", [group]))).toEqual([]);
  });
});
