import { describe, expect, it } from "vitest";
import type { OktaLogEvent } from "../shared/system-log.js";
import { appEvents } from "./app-events.js";
import { accessEntitlementOf, appGroupGrantOf, appUserGrantOf } from "./app-grants.js";
import { appResourceOf } from "./app-mappers.js";

const user = { id: "00u1a2b3c4D5e6F7g8h9", type: "User", alternateId: "ada@example.com", displayName: "Ada Lovelace" };
const group = { id: "00g1a2b3c4D5e6F7g8h9", type: "UserGroup", alternateId: "unknown", displayName: "Engineering" };
const app = { id: "0oa1a2b3c4D5e6F7g8h9", type: "AppInstance", alternateId: "Salesforce", displayName: "Salesforce" };
const logEvent = (eventType: string, target: OktaLogEvent["target"], actor?: OktaLogEvent["actor"]): OktaLogEvent => ({
  uuid: "u-1", published: "2026-12-04T10:00:00.000Z", eventType, target, ...(actor ? { actor } : {}),
});

const entitlement = accessEntitlementOf(appResourceOf({ id: app.id, name: "salesforce", label: "Salesforce", status: "ACTIVE" }));
type GrantBody = { entitlement: { id: string }; principal: { id: { resourceType: string; resource: string } } };
const idOf = (value: unknown) => {
  const v = value as GrantBody;
  return `${v.entitlement.id}:${v.principal.id.resourceType}:${v.principal.id.resource}`;
};

describe("app System Log events", () => {
  it.each([
    ["application.user_membership.add", [user, app], "createGrantEvent", appUserGrantOf(entitlement, app.id, user.id).id],
    ["application.user_membership.remove", [user, app], "createRevokeEvent", appUserGrantOf(entitlement, app.id, user.id).id],
    ["group.application_assignment.add", [group, app], "createGrantEvent", appGroupGrantOf(entitlement, app.id, group.id).id],
    ["group.application_assignment.remove", [group, app], "createRevokeEvent", appGroupGrantOf(entitlement, app.id, group.id).id],
  ] as const)("%s → %s with the grant id the sync lists", (eventType, target, kind, grantId) => {
    const [body, ...rest] = appEvents.map(logEvent(eventType, [...target]));
    // An assignment to a group also changes the group, whose app count moved.
    expect(rest.map((r) => [r.case, (r.value as { resourceId?: { resource: string } }).resourceId?.resource])).toEqual(
      target[0] === group ? [["resourceChangeEvent", group.id]] : [],
    );
    expect(body?.case).toBe(kind);
    expect(idOf(body?.value)).toBe(grantId);
  });

  it.each(["application.lifecycle.create", "application.lifecycle.update", "application.lifecycle.activate", "application.lifecycle.deactivate", "application.lifecycle.delete"])(
    "%s → ResourceChange of the app",
    (eventType) => {
      const [body] = appEvents.map(logEvent(eventType, [app]));
      expect(body?.case).toBe("resourceChangeEvent");
      expect(body?.value).toMatchObject({ resourceId: { resourceType: "app", resource: app.id } });
    },
  );

  it("user.authentication.sso (actor User, target AppInstance) → Usage of the app by the user", () => {
    const [body] = appEvents.map(logEvent("user.authentication.sso", [app], user));
    expect(body?.case).toBe("usageEvent");
    expect(body?.value).toMatchObject({
      targetResource: { id: { resourceType: "app", resource: app.id }, displayName: "Salesforce" },
      actorResource: { id: { resourceType: "user", resource: user.id }, displayName: "Ada Lovelace" },
    });
  });

  it("a sign-in whose actor is not a user maps to nothing", () => {
    expect(appEvents.map(logEvent("user.authentication.sso", [app], { id: "0oaclient", type: "PublicClientApp" }))).toEqual([]);
  });
});
