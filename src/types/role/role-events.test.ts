import { describe, expect, it } from "vitest";
import type { OktaLogEvent } from "../shared/system-log.js";
import { roleGrantOf } from "../shared/role-grants.js";
import { roleEvents } from "./role-events.js";
import { roleEntitlementOf, roleResourceOf } from "./role-mappers.js";

const user = { id: "00u1a2b3c4D5e6F7g8h9", type: "User", alternateId: "ada@example.com", displayName: "Ada Lovelace" };
const group = { id: "00g1a2b3c4D5e6F7g8h9", type: "UserGroup", alternateId: "unknown", displayName: "Engineering" };
const client = { id: "0oa9z8y7x6W5v4U3t2s1", type: "AppInstance", alternateId: "Robot", displayName: "Robot" };
const logEvent = (eventType: string, target: OktaLogEvent["target"], debugData: Record<string, string>): OktaLogEvent => ({
  uuid: "u-1", published: "2026-12-04T10:00:00.000Z", eventType, target, debugContext: { debugData },
});
const idOf = (value: unknown) => {
  const v = value as { entitlement: { id: string }; principal: { id: { resourceType: string; resource: string } } };
  return `${v.entitlement.id}:${v.principal.id.resourceType}:${v.principal.id.resource}`;
};
/** The grant id the role's sync lists, built by its own mappers. */
const synced = (roleType: string, label: string, principal: { type: string; id: string }) =>
  roleGrantOf(roleEntitlementOf(roleResourceOf(roleType, label)), principal, `role:${roleType}`).id;

describe("admin role System Log events", () => {
  it.each([
    ["user.account.privilege.grant", user, { privilegeGranted: "Super Administrator" }, "createGrantEvent", synced("SUPER_ADMIN", "Super Administrator", { type: "user", id: user.id })],
    ["user.account.privilege.revoke", user, { privilegeRevoked: "Help Desk Administrator" }, "createRevokeEvent", synced("HELP_DESK_ADMIN", "Help Desk Administrator", { type: "user", id: user.id })],
    ["group.privilege.grant", group, { privilegeGranted: "Read-only Administrator" }, "createGrantEvent", synced("READ_ONLY_ADMIN", "Read-only Administrator", { type: "group", id: group.id })],
    ["group.privilege.revoke", group, { privilegeRevoked: "Application Administrator" }, "createRevokeEvent", synced("APP_ADMIN", "Application Administrator", { type: "group", id: group.id })],
    ["app.oauth2.client.privilege.grant", client, { privilegeGranted: "Report Administrator" }, "createGrantEvent", synced("REPORT_ADMIN", "Report Administrator", { type: "service-app", id: client.id })],
  ] as const)("%s → %s with the grant id the sync lists", (eventType, target, debugData, kind, grantId) => {
    const bodies = roleEvents.map(logEvent(eventType, [target], debugData));
    expect(bodies).toHaveLength(1);
    expect(bodies[0]?.case).toBe(kind);
    expect(idOf(bodies[0]?.value)).toBe(grantId);
  });

  it("finds the role type from its label whatever the case, and maps each of several joined labels", () => {
    const bodies = roleEvents.map(logEvent("user.account.privilege.grant", [user], { privilegeGranted: "super administrator, Organizational Administrator" }));
    expect(bodies.map((b) => idOf(b.value))).toEqual([`role:SUPER_ADMIN:assigned:user:${user.id}`, `role:ORG_ADMIN:assigned:user:${user.id}`]);
  });

  it("maps a custom role's label to nothing: the event does not name the resource set the binding needs", () => {
    expect(roleEvents.map(logEvent("user.account.privilege.grant", [user], { privilegeGranted: "Helpdesk Tier 2" }))).toEqual([]);
  });

  it("takes the role type from a ROLE target when the event names one, whatever its label", () => {
    const roleTarget = { id: "WORKFLOWS_ADMIN", type: "ROLE", alternateId: "WORKFLOWS_ADMIN", displayName: "Workflows Administrator" };
    const bodies = roleEvents.map(logEvent("group.privilege.grant", [group, roleTarget], { privilegeGranted: "Workflows Administrator" }));
    expect(bodies.map((b) => idOf(b.value))).toEqual([`role:WORKFLOWS_ADMIN:assigned:group:${group.id}`]);
    expect(bodies[0]?.value).toMatchObject({ entitlement: { displayName: "Workflows Administrator Role Member" } });
  });

  it("maps a privilege event naming a CUSTOM_ROLE target to nothing", () => {
    const custom = { id: "cr0Abc123def456", type: "CUSTOM_ROLE", alternateId: "Super Administrator", displayName: "Super Administrator" };
    expect(roleEvents.map(logEvent("user.account.privilege.grant", [user, custom], { privilegeGranted: "Super Administrator" }))).toEqual([]);
  });
});
