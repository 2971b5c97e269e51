import { describe, expect, it } from "vitest";
import { pathTemplate } from "./okta-spans.js";

describe("pathTemplate: span names stay low-cardinality", () => {
  it.each([
    ["/api/v1/users", "/api/v1/users"],
    ["/api/v1/users/00u1a2b3c4d5e6f7g8h9", "/api/v1/users/{id}"],
    ["/api/v1/groups/00g1abcdEFGH2345/users", "/api/v1/groups/{id}/users"],
    ["/api/v1/apps/0oa9zyxw8765vuts/groups", "/api/v1/apps/{id}/groups"],
    ["/api/v1/users/00u1abcd2345/lifecycle/deactivate", "/api/v1/users/{id}/lifecycle/deactivate"],
    ["/api/v1/iam/resource-sets/iamoJDFKaJxGIr0oamd9g/bindings/cr0Yq6IJxGIr0ouum0g3/members", "/api/v1/iam/resource-sets/{id}/bindings/{id}/members"],
    ["/api/v1/users/00u1abcd2345/roles/ra1b2c3d4e5f6", "/api/v1/users/{id}/roles/{id}"],
    // A role type is a fixed name, not an id: it keeps its value.
    ["/api/v1/iam/roles/SUPER_ADMIN", "/api/v1/iam/roles/SUPER_ADMIN"],
    ["/oauth2/v1/token", "/oauth2/v1/token"],
  ])("%s → %s", (path, template) => {
    expect(pathTemplate(path)).toBe(template);
  });
});
