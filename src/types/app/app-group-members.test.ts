import { describe, expect, it } from "vitest";
import type { OktaAppGroup, OktaUser, Page, PageOptions } from "../../okta/index.js";
import { type AppGroupMembersDeps, createAppGroupMembersSource } from "./app-group-members.js";

/** Okta's answers for one app: its group assignments and each group's members, two per page. */
function fakeOkta(assignments: readonly { id: string; priority: number; type: string }[], members: Record<string, readonly string[]>) {
  const calls: string[] = [];
  const paged = <T>(items: readonly T[], after: string | undefined): Page<T> => {
    const start = after === undefined ? 0 : Number(after);
    return { items: items.slice(start, start + 2), ...(start + 2 < items.length ? { after: String(start + 2) } : {}) };
  };
  const deps: AppGroupMembersDeps = {
    apps: {
      async listAppGroups(appId: string, options: PageOptions & { expandGroup?: boolean } = {}) {
        calls.push(`apps/${appId}/groups`);
        const items = assignments.map((a): OktaAppGroup => ({ id: a.id, priority: a.priority, ...(options.expandGroup ? { _embedded: { group: { id: a.id, type: a.type } } } : {}) }));
        return paged(items, options.after);
      },
    },
    groups: {
      async listGroupMembers(groupId: string, options: PageOptions = {}) {
        calls.push(`groups/${groupId}/users`);
        return paged((members[groupId] ?? []).map((id) => ({ id }) as OktaUser), options.after);
      },
    },
  };
  return { deps, calls };
}

const ctx = { signal: new AbortController().signal };

describe("app group members", () => {
  const assignments = [
    { id: "00gSales", priority: 2, type: "OKTA_GROUP" },
    { id: "00gEveryone", priority: 0, type: "BUILT_IN" },
    { id: "00gEng", priority: 1, type: "OKTA_GROUP" },
    { id: "00gImported", priority: 3, type: "APP_GROUP" },
  ];
  const members = { "00gEng": ["00uA", "00uB", "00uC"], "00gSales": ["00uC"], "00gImported": ["00uD"] };

  it("names every assigned group a user is in, by priority; Everyone holds every user without a listing", async () => {
    const { deps, calls } = fakeOkta(assignments, members);
    const index = await createAppGroupMembersSource(deps).load("0oaApp", ctx);
    expect(index.groupsOf("00uC")).toEqual(["00gEveryone", "00gEng", "00gSales"]);
    expect(index.groupsOf("00uD")).toEqual(["00gEveryone", "00gImported"]);
    expect(index.groupsOf("00uZ")).toEqual(["00gEveryone"]);
    // Two pages of assignments, two of Eng's members, one each for Sales and Imported; none for Everyone.
    expect(calls.sort()).toEqual(["apps/0oaApp/groups", "apps/0oaApp/groups", "groups/00gEng/users", "groups/00gEng/users", "groups/00gImported/users", "groups/00gSales/users"]);
  });

  it("is built once for an app's pages, again when a listing starts afresh, and after drop", async () => {
    const { deps, calls } = fakeOkta(assignments.slice(0, 1), members);
    const source = createAppGroupMembersSource(deps);
    await source.load("0oaApp", ctx, { fresh: true });
    await source.load("0oaApp", ctx);
    expect(calls).toHaveLength(2);
    await source.load("0oaApp", ctx, { fresh: true });
    expect(calls).toHaveLength(4);
    source.drop("0oaApp");
    await source.load("0oaApp", ctx);
    expect(calls).toHaveLength(6);
  });

  it("does not keep a failed build", async () => {
    const { deps } = fakeOkta(assignments, members);
    let fail = true;
    const source = createAppGroupMembersSource({
      ...deps,
      groups: { listGroupMembers: (id, o) => (fail ? Promise.reject(new Error("503")) : deps.groups.listGroupMembers(id, o)) },
    });
    await expect(source.load("0oaApp", ctx)).rejects.toThrow("503");
    fail = false;
    expect((await source.load("0oaApp", ctx)).groupsOf("00uA")).toEqual(["00gEveryone", "00gEng"]);
  });
});
