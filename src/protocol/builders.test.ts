import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { EntitlementSchema } from "../../gen/c1/connector/v2/entitlement_pb.js";
import { ResourceSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import { newAssignmentEntitlement, newGrant, resourceId } from "./builders.js";

const group = () => create(ResourceSchema, { id: { resourceType: "group", resource: "00g1abcd" }, displayName: "Engineering" });

describe("newGrant", () => {
  it("embeds the entitlement's id and resource only, with the baton grant id", () => {
    const member = newAssignmentEntitlement(group(), { slug: "member", displayName: "Engineering Group Member", description: "Member of Engineering group in Okta" });
    const grant = newGrant(member, resourceId("user", "00u1abcd"));
    expect(grant.id).toBe("group:00g1abcd:member:user:00u1abcd");
    expect(grant.entitlement).toEqual(create(EntitlementSchema, { id: "group:00g1abcd:member", resource: member.resource }));
    expect(grant.principal?.id).toEqual(resourceId("user", "00u1abcd"));
  });

  // A page of members then holds one embedded entitlement, which the sync encodes once (encoded-items.ts).
  it("gives the grants of one entitlement one embedded entitlement, and a fresh one once the entitlement points elsewhere", () => {
    const member = newAssignmentEntitlement(group(), { slug: "member", displayName: "m", description: "d" });
    const first = newGrant(member, resourceId("user", "00u1abcd"));
    const second = newGrant(member, resourceId("user", "00u2abcd"));
    expect(second.entitlement).toBe(first.entitlement);

    member.resource = group();
    const third = newGrant(member, resourceId("user", "00u3abcd"));
    expect(third.entitlement).not.toBe(first.entitlement);
    expect(third.entitlement?.resource).toBe(member.resource);
    member.id = "group:00g1abcd:other";
    expect(newGrant(member, resourceId("user", "00u3abcd")).entitlement?.id).toBe("group:00g1abcd:other");
  });
});
