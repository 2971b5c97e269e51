import { describe, expect, it } from "vitest";
import { GrantExpandableSchema } from "../../../gen/c1/connector/v2/annotation_grant_pb.js";
import { V1IdentifierSchema } from "../../../gen/c1/connector/v2/annotation_v1_identifier_pb.js";
import { pick } from "../../protocol/annotations.js";
import { bindingGrantOf, bindingIdPartsOf, bindingMemberEntitlementOf, bindingResourceOf, principalOf } from "./resourceset-binding-mappers.js";

describe("resource set binding mappers", () => {
  const resource = bindingResourceOf("iam1set", "EU apps", "cr0help");
  const entitlement = bindingMemberEntitlementOf(resource);

  it("a binding's id is baton-okta's {set}:{custom role}", () => {
    expect(resource.id).toMatchObject({ resourceType: "resourceset-binding", resource: "iam1set:cr0help" });
    expect(pick(resource.annotations, V1IdentifierSchema)?.id).toBe("iam1set:cr0help");
    expect(entitlement.id).toBe("resourceset-binding:iam1set:cr0help:member");
    expect(pick(entitlement.annotations, V1IdentifierSchema)?.id).toBe("membership:iam1set:cr0help");
  });

  it("a group member's grant expands to the group's members; a user's does not", () => {
    const byGroup = bindingGrantOf(entitlement, "iam1set", "cr0help", { type: "group", id: "00g1eng" });
    expect(byGroup.id).toBe("resourceset-binding:iam1set:cr0help:member:group:00g1eng");
    expect(pick(byGroup.annotations, GrantExpandableSchema)?.entitlementIds).toEqual(["group:00g1eng:member"]);
    expect(pick(byGroup.annotations, V1IdentifierSchema)?.id).toBe("grant:membership:iam1set:cr0help:00g1eng");
    expect(pick(bindingGrantOf(entitlement, "iam1set", "cr0help", { type: "user", id: "00u1ada" }).annotations, GrantExpandableSchema)).toBeUndefined();
  });

  it("reads the member from its self link, and nothing from a link that names no user, group or client", () => {
    expect(principalOf({ id: "irb1", _links: { self: { href: "https://x.okta.com/api/v1/users/00u1ada" } } })).toEqual({ type: "user", id: "00u1ada" });
    expect(principalOf({ id: "irb2", _links: { self: { href: "https://x.okta.com/api/v1/groups/00g1eng?x=1" } } })).toEqual({ type: "group", id: "00g1eng" });
    expect(principalOf({ id: "irb3", _links: { self: { href: "https://x.okta.com/api/v1/apps/0oa1" } } })).toBeUndefined();
  });

  it("reads a service app member from a client link, and grants the binding to it by client id", () => {
    expect(principalOf({ id: "irb4", _links: { self: { href: "https://x.okta.com/oauth2/v1/clients/0oa1svc" } } })).toEqual({ type: "service-app", id: "0oa1svc" });
    expect(entitlement.grantableTo.map((t) => t.id)).toEqual(["user", "group", "service-app"]);
    const grant = bindingGrantOf(entitlement, "iam1set", "cr0help", { type: "service-app", id: "0oa1svc" });
    expect(grant.id).toBe("resourceset-binding:iam1set:cr0help:member:service-app:0oa1svc");
    expect(pick(grant.annotations, GrantExpandableSchema)).toBeUndefined();
  });
});

describe("bindingIdPartsOf", () => {
  it.each([
    ["iamoJDFKaJxGIr0oamd9g:cr0Yq6IJxGIr0ouum0g3", { setId: "iamoJDFKaJxGIr0oamd9g", roleId: "cr0Yq6IJxGIr0ouum0g3" }],
    ["iamoJDFKaJxGIr0oamd9g", undefined],
    ["iamoJDFKaJxGIr0oamd9g:", undefined],
    [":cr0Yq6IJxGIr0ouum0g3", undefined],
    ["iam1:cr01:extra", undefined],
    ["", undefined],
  ])("%j → %j", (id, expected) => {
    expect(bindingIdPartsOf(id)).toEqual(expected);
  });

  it("reads back the id bindingResourceOf builds", () => {
    const resource = bindingResourceOf("iamoJDFKaJxGIr0oamd9g", "Finance apps", "cr0Yq6IJxGIr0ouum0g3");
    expect(bindingIdPartsOf(resource.id!.resource)).toEqual({ setId: "iamoJDFKaJxGIr0oamd9g", roleId: "cr0Yq6IJxGIr0ouum0g3" });
  });
});
