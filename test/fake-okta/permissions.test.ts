import { describe, expect, it } from "vitest";
import { decideAccess, scopeAllows, type AccessRule, type AdminLevel } from "./permissions.js";

const read: AccessRule = { capability: "read", scope: "okta.users.read" };
const list: AccessRule = { capability: "read", scope: "okta.users.read", emptyForNoRole: true };
const assign: AccessRule = { capability: "assign", scope: "okta.groups.manage" };
const rolesRead: AccessRule = { capability: "roles-read", scope: "okta.roles.read" };
const admin: AccessRule = { capability: "admin", scope: "okta.users.manage" };

describe("permission table (issue #3 §4)", () => {
  it.each<[AdminLevel, AccessRule, string]>([
    ["read_only", read, "allow"],
    ["read_only", assign, "forbidden"],
    ["read_only", rolesRead, "forbidden"],
    ["read_only", admin, "forbidden"],
    ["app_group_admin", read, "allow"],
    ["app_group_admin", assign, "allow"],
    ["app_group_admin", rolesRead, "forbidden"],
    ["app_group_admin", admin, "forbidden"],
    ["super_admin", rolesRead, "allow"],
    ["super_admin", admin, "allow"],
    ["no_role", list, "empty"],
    ["no_role", read, "forbidden"],
  ])("%s on %o → %s (SSWS)", (level, rule, expected) => {
    expect(decideAccess(level, null, rule)).toBe(expected);
  });

  it("refuses an OAuth token without the endpoint's scope whatever its role", () => {
    expect(decideAccess("super_admin", ["okta.groups.read"], read)).toBe("missing-scope");
    expect(decideAccess("super_admin", ["okta.users.read"], read)).toBe("allow");
  });

  it("lets a .manage scope cover the matching .read scope, and nothing else", () => {
    expect(scopeAllows(["okta.users.manage"], "okta.users.read")).toBe(true);
    expect(scopeAllows(["okta.users.manage"], "okta.groups.read")).toBe(false);
    expect(scopeAllows(["okta.users.read"], "okta.users.manage")).toBe(false);
  });
});
