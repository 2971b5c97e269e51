import { describe, expect, it } from "vitest";
import type { OktaLogEvent } from "../shared/system-log.js";
import { resourceSetBindingEvents } from "./resourceset-binding-events.js";
import { bindingGrantOf, bindingMemberEntitlementOf, bindingResourceOf } from "./resourceset-binding-mappers.js";

const set = { id: "iamXyZ123abc456", type: "RESOURCE_SET", alternateId: "Tier 2", displayName: "Tier 2" };
const role = { id: "cr0Abc123def456", type: "CUSTOM_ROLE", alternateId: "Helpdesk", displayName: "Helpdesk" };
const binding = { id: "irb1a2b3c4d5e6", type: "BINDING", alternateId: `${set.id}:${role.id}`, displayName: "Tier 2" };
const user = { id: "00u1a2b3c4D5e6F7g8h9", type: "User", alternateId: "ada@example.com", displayName: "Ada Lovelace" };
const group = { id: "00g1a2b3c4D5e6F7g8h9", type: "UserGroup", alternateId: "unknown", displayName: "Engineering" };
const logEvent = (eventType: string, target: OktaLogEvent["target"]): OktaLogEvent => ({ uuid: "u-1", published: "2026-12-04T10:00:00.000Z", eventType, target });
const idOf = (value: unknown) => {
  const v = value as { entitlement: { id: string }; principal: { id: { resourceType: string; resource: string } } };
  return `${v.entitlement.id}:${v.principal.id.resourceType}:${v.principal.id.resource}`;
};
/** The grant id the binding's sync lists, built by its own mappers. */
const synced = (principal: { type: string; id: string }) => bindingGrantOf(bindingMemberEntitlementOf(bindingResourceOf(set.id, "Tier 2", role.id)), set.id, role.id, principal).id;

describe("custom role binding System Log events", () => {
  it.each([
    ["iam.resourceset.bindings.add", user, "user", "createGrantEvent"],
    ["iam.resourceset.bindings.delete", group, "group", "createRevokeEvent"],
  ] as const)("%s naming the role, the set and a %s → %s of the binding member grant the sync lists, and a ResourceChange of the custom role and of the set", (eventType, principal, type, kind) => {
    const bodies = resourceSetBindingEvents.map(logEvent(eventType, [role, set, binding, principal]));
    expect(bodies.map((b) => b.case)).toEqual([kind, "resourceChangeEvent", "resourceChangeEvent"]);
    expect(idOf(bodies[0]?.value)).toBe(synced({ type, id: principal.id }));
    // The custom role's holders and the set's bindings change with the member: a targeted sync must re-read both.
    expect(bodies[1]?.value).toMatchObject({ resourceId: { resourceType: "custom-role", resource: role.id } });
    expect(bodies[2]?.value).toMatchObject({ resourceId: { resourceType: "resource-set", resource: set.id } });
  });

  it.each(resourceSetBindingEvents.oktaEventTypes)("%s naming only the resource set → ResourceChange of the resource set", (eventType) => {
    const bodies = resourceSetBindingEvents.map(logEvent(eventType, [{ ...set, type: "ResourceSet" }]));
    expect(bodies.map((b) => b.case)).toEqual(["resourceChangeEvent"]);
    expect(bodies[0]?.value).toMatchObject({ resourceId: { resourceType: "resource-set", resource: set.id } });
  });
});
