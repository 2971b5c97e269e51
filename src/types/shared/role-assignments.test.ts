import { describe, expect, it } from "vitest";
import type { SyncOptions } from "../../config/config.js";
import { OktaError, type OktaRoleAssignment } from "../../okta/index.js";
import { createRoleAssignmentsSource } from "./role-assignments.js";

const page = <T>(items: T[]) => ({ items, after: undefined });
const assignment = (type: string, assignmentType: string): OktaRoleAssignment => ({ id: `ra-${type}`, type, label: type, status: "ACTIVE", assignmentType }) as OktaRoleAssignment;
const gone = (what: string) => new OktaError({ kind: "not-found", status: 404, message: `Not found: ${what}` });

describe("the admin-role index", () => {
  it("treats a principal deleted between the listing and the read of its roles as holding none, and reads the rest", async () => {
    const source = createRoleAssignmentsSource({
      roles: {
        listRoleAssigneeUsers: async () => page([{ id: "00uKept" }, { id: "00uGone" }]),
        listUserRoles: async (id: string) => {
          if (id === "00uGone") throw gone(id);
          return page([assignment("SUPER_ADMIN", "USER")]);
        },
        listGroupRoles: async (id: string) => {
          if (id === "00gGone") throw gone(id);
          return page([assignment("HELP_DESK_ADMIN", "GROUP")]);
        },
      } as never,
      groups: { listGroups: async () => page([{ id: "00gKept", type: "OKTA_GROUP" }, { id: "00gGone", type: "OKTA_GROUP" }]) } as never,
      users: { getUser: async () => ({}) } as never,
      options: { syncCustomRoles: false, filterEmailDomains: [], skipAppGroups: false } as unknown as SyncOptions,
    });
    const index = await source.load({ signal: new AbortController().signal });
    expect(index.standard.get("SUPER_ADMIN")?.users).toEqual(["00uKept"]);
    expect(index.standard.get("HELP_DESK_ADMIN")?.groups).toEqual(["00gKept"]);
  });

  it("still fails on anything else", async () => {
    const source = createRoleAssignmentsSource({
      roles: {
        listRoleAssigneeUsers: async () => page([{ id: "00u1" }]),
        listUserRoles: async () => {
          throw new OktaError({ kind: "forbidden", status: 403, message: "no" });
        },
        listGroupRoles: async () => page([]),
      } as never,
      groups: { listGroups: async () => page([]) } as never,
      users: { getUser: async () => ({}) } as never,
      options: { syncCustomRoles: false, filterEmailDomains: [], skipAppGroups: false } as unknown as SyncOptions,
    });
    await expect(source.load({ signal: new AbortController().signal })).rejects.toThrow("no");
  });
});
