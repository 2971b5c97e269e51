import { describe, expect, it } from "vitest";
import { EntitlementImmutableSchema } from "../../../gen/c1/connector/v2/annotation_entitlement_pb.js";
import { GroupTraitSchema } from "../../../gen/c1/connector/v2/annotation_trait_pb.js";
import { V1IdentifierSchema } from "../../../gen/c1/connector/v2/annotation_v1_identifier_pb.js";
import type { OktaGroup } from "../../okta/index.js";
import { pick } from "../../protocol/annotations.js";
import { groupResourceOf, memberEntitlementOf, membershipGrantOf } from "./group-mappers.js";

const group = (type: string, extra: Partial<OktaGroup> = {}): OktaGroup => ({ id: "00g1eng", type, profile: { name: "Engineering", description: "Builders" }, ...extra });

describe("group mappers", () => {
  it("a group keeps Okta's id, baton-okta's source type and its member count", () => {
    const resource = groupResourceOf(group("OKTA_GROUP", { _embedded: { stats: { usersCount: 3 } } }));
    expect(resource.id).toMatchObject({ resourceType: "group", resource: "00g1eng" });
    expect(pick(resource.annotations, GroupTraitSchema)?.profile).toMatchObject({ users_count: 3 });
    expect(resource.profile?.["users_count"]).toBe(3);
    expect(pick(resource.annotations, V1IdentifierSchema)?.id).toBe("00g1eng");
    expect(resource.profile?.["type"]).toBe("OKTA_GROUP");
  });

  it("the member entitlement is group:{id}:member with baton-okta's V1 id, grantable to users", () => {
    const entitlement = memberEntitlementOf(groupResourceOf(group("OKTA_GROUP")));
    expect(entitlement.id).toBe("group:00g1eng:member");
    expect(pick(entitlement.annotations, V1IdentifierSchema)?.id).toBe("membership:00g1eng");
    expect(entitlement.grantableTo.map((t) => t.id)).toEqual(["user"]);
    expect(pick(entitlement.annotations, EntitlementImmutableSchema)).toBeUndefined();
  });

  it("members Okta manages are immutable: Everyone, and app groups naming their source app", () => {
    expect(pick(memberEntitlementOf(groupResourceOf(group("BUILT_IN"))).annotations, EntitlementImmutableSchema)).toBeDefined();
    const imported = memberEntitlementOf(groupResourceOf(group("APP_GROUP", { source: { id: "0oa1ad" } })));
    expect(pick(imported.annotations, EntitlementImmutableSchema)?.sourceId).toBe("0oa1ad");
  });

  it("a membership grant's id and V1 id are baton-okta's", () => {
    const grant = membershipGrantOf(memberEntitlementOf(groupResourceOf(group("OKTA_GROUP"))), "00g1eng", "00u1ada");
    expect(grant.id).toBe("group:00g1eng:member:user:00u1ada");
    expect(pick(grant.annotations, V1IdentifierSchema)?.id).toBe("grant:membership:00g1eng:00u1ada");
  });
});
