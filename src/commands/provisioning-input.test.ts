import { describe, expect, it } from "vitest";
import { validateConnectorAddress } from "./connector-input.js";
import { parseEntitlementId, parseGrantId, parsePrincipal } from "./provisioning-input.js";

describe("parseEntitlementId", () => {
  it.each([
    ["group:00g1abc:member", { resourceType: "group", resource: "00g1abc", slug: "member" }],
    ["role:SUPER_ADMIN:assigned", { resourceType: "role", resource: "SUPER_ADMIN", slug: "assigned" }],
    // A binding's resource id holds a colon of its own: the type is before the first, the slug after the last.
    ["resourceset-binding:iam1abc:cr01abc:member", { resourceType: "resourceset-binding", resource: "iam1abc:cr01abc", slug: "member" }],
  ])("splits %s", (id, parts) => {
    expect(parseEntitlementId("entitlement", id)).toEqual({ id, ...parts });
  });

  it.each(["", "group", "group:00g1", ":00g1:member", "group::member", "group:00g1:"])("refuses %j naming the flag", (id) => {
    expect(() => parseEntitlementId("entitlement", id)).toThrow(/^--entitlement: /);
  });
});

describe("parseGrantId", () => {
  it("takes the principal from the last two parts and the entitlement from the rest", () => {
    expect(parseGrantId("grant", "resourceset-binding:iam1:cr01:member:group:00g9")).toEqual({
      id: "resourceset-binding:iam1:cr01:member:group:00g9",
      entitlement: { id: "resourceset-binding:iam1:cr01:member", resourceType: "resourceset-binding", resource: "iam1:cr01", slug: "member" },
      principalType: "group",
      principalId: "00g9",
    });
  });

  it.each(["group:00g1:member", "group:00g1:member:user:", "user:00u1"])("refuses %j naming the flag", (id) => {
    expect(() => parseGrantId("grant", id)).toThrow(/^--grant: /);
  });
});

describe("parsePrincipal and validateConnectorAddress", () => {
  it("reads TYPE:ID", () => {
    expect(parsePrincipal("principal", "user:00u1")).toEqual({ resourceType: "user", resource: "00u1" });
    expect(() => parsePrincipal("principal", "00u1")).toThrow(/^--principal: "00u1" is not TYPE:ID/);
  });

  it.each(["127.0.0.1:50051", "http://localhost:9", "unix:///run/x.sock"])("accepts %s", (address) => {
    expect(validateConnectorAddress(address)).toBe(address);
  });

  it.each([undefined, "", "unix://relative", "http://host:1/path"])("refuses %j", (address) => {
    expect(() => validateConnectorAddress(address)).toThrow(/^--connector: /);
  });
});
