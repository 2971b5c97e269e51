import { describe, expect, it } from "vitest";
import { V1IdentifierSchema } from "../../../gen/c1/connector/v2/annotation_v1_identifier_pb.js";
import { pick } from "../../protocol/annotations.js";
import { KNOWN_ROLES, roleEntitlementOf, roleResourceOf } from "./role-mappers.js";

describe("role mappers", () => {
  const resource = roleResourceOf("SUPER_ADMIN", KNOWN_ROLES["SUPER_ADMIN"]!);

  it("a standard role is keyed by its role type, with baton-okta's V1 id role:{type}", () => {
    expect(resource.id).toMatchObject({ resourceType: "role", resource: "SUPER_ADMIN" });
    expect(resource.displayName).toBe("Super Administrator");
    expect(pick(resource.annotations, V1IdentifierSchema)?.id).toBe("role:SUPER_ADMIN");
  });

  it("its entitlement is role:{type}:assigned, grantable to users, groups and OAuth service apps", () => {
    const entitlement = roleEntitlementOf(resource);
    expect(entitlement.id).toBe("role:SUPER_ADMIN:assigned");
    expect(entitlement.displayName).toBe("Super Administrator Role Member");
    expect(entitlement.grantableTo.map((t) => t.id)).toEqual(["user", "group", "service-app"]);
    expect(pick(entitlement.annotations, V1IdentifierSchema)?.id).toBe("role:SUPER_ADMIN");
  });
});
