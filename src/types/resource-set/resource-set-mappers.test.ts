import { describe, expect, it } from "vitest";
import { AppTraitSchema } from "../../../gen/c1/connector/v2/annotation_trait_pb.js";
import { V1IdentifierSchema } from "../../../gen/c1/connector/v2/annotation_v1_identifier_pb.js";
import { pick } from "../../protocol/annotations.js";
import { bindingsEntitlementOf, resourceSetResourceOf } from "./resource-set-mappers.js";

describe("resource set mappers", () => {
  const resource = resourceSetResourceOf({ id: "iam1set", label: "EU apps", description: null });

  it("a resource set keeps Okta's id and, as in baton-okta, carries the APP trait its type does not declare", () => {
    expect(resource.id).toMatchObject({ resourceType: "resource-set", resource: "iam1set" });
    expect(resource.description).toBe("");
    expect(pick(resource.annotations, AppTraitSchema)).toBeDefined();
    expect(pick(resource.annotations, V1IdentifierSchema)?.id).toBe("iam1set");
  });

  it("its bindings entitlement is grantable to custom roles, with baton-okta's V1 id", () => {
    const entitlement = bindingsEntitlementOf(resource);
    expect(entitlement.id).toBe("resource-set:iam1set:bindings");
    expect(entitlement.grantableTo.map((t) => t.id)).toEqual(["custom-role"]);
    expect(pick(entitlement.annotations, V1IdentifierSchema)?.id).toBe("membership:iam1set");
  });
});
