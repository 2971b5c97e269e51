import { describe, expect, it } from "vitest";
import { entitlementId, grantId } from "./ids.js";

// Examples as baton-okta v0.5.x emits them for the same org objects.
describe("ids", () => {
  it.each([
    ["group membership", "group", "00g1abcdEFGH", "member", "group:00g1abcdEFGH:member"],
    ["app access", "app", "0oa9xyz", "access", "app:0oa9xyz:access"],
    ["standard role", "role", "SUPER_ADMIN", "assigned", "role:SUPER_ADMIN:assigned"],
    ["custom role", "custom-role", "cr0abc", "assigned", "custom-role:cr0abc:assigned"],
  ])("builds the %s entitlement id", (_name, type, id, slug, expected) => {
    expect(entitlementId(type, id, slug)).toBe(expected);
  });

  it.each([
    ["a user in a group", "group:00g1:member", "user", "00u2", "group:00g1:member:user:00u2"],
    ["a group assigned to an app", "app:0oa1:access", "group", "00g3", "app:0oa1:access:group:00g3"],
    ["a role held by a group", "role:ORG_ADMIN:assigned", "group", "00g4", "role:ORG_ADMIN:assigned:group:00g4"],
  ])("builds the grant id of %s", (_name, ent, type, id, expected) => {
    expect(grantId(ent, type, id)).toBe(expected);
  });
});
