import { describe, expect, it } from "vitest";
import { V1IdentifierSchema } from "../../../gen/c1/connector/v2/annotation_v1_identifier_pb.js";
import { pick } from "../../protocol/annotations.js";
import { customRoleEntitlementOf, customRoleResourceOf } from "./custom-role-mappers.js";

// ConductorOne maps a resource's history through its V1 id, so ours must be baton-okta's byte for
// byte: custom roles are built like standard roles there, `role:{id}` (baton-okta.md §3).
describe("custom role V1 identifiers", () => {
  const resource = customRoleResourceOf({ id: "cr0Yq6IJxGIr0ouum0g3", label: "Help Desk Lite", description: "Reset passwords" });

  it("the resource's V1Identifier is role:{cr0…}, as baton-okta's", () => {
    expect(pick(resource.annotations, V1IdentifierSchema)?.id).toBe("role:cr0Yq6IJxGIr0ouum0g3");
  });

  it("the assigned entitlement's V1Identifier is role:{cr0…} too", () => {
    expect(pick(customRoleEntitlementOf(resource).annotations, V1IdentifierSchema)?.id).toBe("role:cr0Yq6IJxGIr0ouum0g3");
  });
});
