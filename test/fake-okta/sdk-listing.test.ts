import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOkta, type FakeOkta, type GroundTruth } from "./index.js";
import { collect, sdkClient } from "./test-support.js";

// Issue #3 "Done when": an org of 1,000 users, listed completely by the official Node SDK across pages,
// equals the ground truth. Every list uses a page size below the item count, so paging is exercised.
describe("the Okta Node SDK lists the whole org (1,000 users) and it equals the ground truth", () => {
  let fake: FakeOkta;
  let truth: GroundTruth;
  let client: ReturnType<typeof sdkClient>;

  beforeAll(async () => {
    fake = await startFakeOkta({ seed: 1129, users: 1000 });
    truth = await fake.groundTruth();
    client = sdkClient(fake);
  });
  afterAll(async () => fake?.close());

  const afterOf = (href: string | undefined): string | undefined => (href ? new URL(href).searchParams.get("after") ?? undefined : undefined);

  it("lists every user, every status included, with search=status pr", async () => {
    fake.resetStats();
    const users = await collect(await client.userApi.listUsers({ search: "status pr", limit: 200 }));
    expect(users.map((u) => u.id)).toEqual(truth.users.map((u) => u.id));
    expect(fake.stats().routes["GET /api/v1/users"]?.calls).toBe(5);
    const byId = new Map(truth.users.map((u) => [u.id, u]));
    for (const user of users) {
      const expected = byId.get(user.id as string);
      expect(user.status).toBe(expected?.status);
      expect(user.created?.toISOString()).toBe(expected?.created);
      expect(user.lastLogin ? user.lastLogin.toISOString() : null).toBe(expected?.lastLogin);
      const profile = user.profile as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(expected?.profile ?? {})) expect(profile[key], `${user.id} profile.${key}`).toEqual(value);
    }
    expect(new Set(users.map((u) => u.status)).size).toBe(8);
  });

  it("leaves DEPROVISIONED users out of a plain list, as Okta does", async () => {
    const users = await collect(await client.userApi.listUsers({ limit: 150 }));
    expect(users.map((u) => u.id)).toEqual(truth.users.filter((u) => u.status !== "DEPROVISIONED").map((u) => u.id));
  });

  it("lists every group with stats, and every group's members", async () => {
    const groups = await collect(await client.groupApi.listGroups({ expand: "stats", limit: 7 }));
    expect(groups.map((g) => [g.id, g.type, g.profile?.name])).toEqual(truth.groups.map((g) => [g.id, g.type, g.name]));
    for (const group of groups) {
      const expected = truth.groups.find((g) => g.id === group.id);
      const stats = (group._embedded as Record<string, { usersCount?: number }> | undefined)?.["stats"];
      expect(stats?.usersCount).toBe(expected?.memberIds.length);
      const members = await collect(await client.groupApi.listGroupUsers({ groupId: group.id as string, limit: 200 }));
      expect(members.map((m) => m.id), group.profile?.name).toEqual(expected?.memberIds);
    }
  });

  it("lists every app, its users with their scope, and its group assignments", async () => {
    const apps = await collect(await client.applicationApi.listApplications({ limit: 4 }));
    // Application is a base class in the SDK; `name` lives on its sign-on-mode subclasses (SDK issue #387).
    expect(apps.map((a) => [a.id, a.label, (a as unknown as { name?: string }).name, a.status, a.signOnMode])).toEqual(truth.apps.map((a) => [a.id, a.label, a.name, a.status, a.signOnMode]));
    for (const app of apps) {
      const expected = truth.apps.find((a) => a.id === app.id);
      expect(app.features ?? []).toEqual(expected?.features);
      const appUsers = await collect(await client.applicationApi.listApplicationUsers({ appId: app.id as string, limit: 200 }));
      expect(appUsers.map((u) => [u.id, u.scope]), app.label).toEqual(expected?.users.map((u) => [u.userId, u.scope]));
      const groups = await collect(await client.applicationApi.listApplicationGroupAssignments({ appId: app.id as string }));
      expect(groups.map((g) => [g.id, g.priority])).toEqual(expected?.groups.map((g) => [g.groupId, g.priority]));
    }
  });

  it("pages /iam/assignees/users by hand through _links.next, and each user's roles match", async () => {
    const ids: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await client.roleAssignmentApi.listUsersWithRoleAssignments({ limit: 3, ...(after ? { after } : {}) });
      ids.push(...(page.value ?? []).map((v) => v.id as string));
      after = afterOf(page._links?.next?.href);
      pages++;
    } while (after);
    const holders = new Set([
      ...truth.roleAssignments.filter((a) => a.assigneeType === "USER").map((a) => a.assigneeId),
      ...truth.bindings.flatMap((b) => b.members.filter((m) => m.assigneeType === "USER").map((m) => m.assigneeId)),
    ]);
    expect(new Set(ids)).toEqual(holders);
    expect(pages).toBeGreaterThan(1);
    for (const userId of ids) {
      const roles = await collect(await client.roleAssignmentApi.listAssignedRolesForUser({ userId }));
      const own = roles.filter((r) => r.assignmentType === "USER").map((r) => r.id).sort();
      const expected = [
        ...truth.roleAssignments.filter((a) => a.assigneeId === userId).map((a) => a.id),
        ...truth.bindings.flatMap((b) => b.members.filter((m) => m.assigneeId === userId).map((m) => m.id)),
      ].sort();
      expect(own).toEqual(expected);
    }
  });

  it("lists every group's own role assignments", async () => {
    for (const group of truth.groups) {
      const roles = await collect(await client.roleAssignmentApi.listGroupAssignedRoles({ groupId: group.id }));
      const expected = [
        ...truth.roleAssignments.filter((a) => a.assigneeId === group.id).map((a) => [a.id, a.type]),
        ...truth.bindings.flatMap((b) => b.members.filter((m) => m.assigneeId === group.id).map((m) => [m.id, "CUSTOM"])),
      ];
      expect(roles.map((r) => [r.id, r.type])).toEqual(expected);
    }
  });

  it("lists custom roles, resource sets, their bindings and binding members", async () => {
    const roles = await client.customRoleApi.listRoles({});
    expect(roles.roles?.map((r) => [r.id, r.label])).toEqual(truth.customRoles.map((r) => [r.id, r.label]));
    const sets = await client.resourceSetApi.listResourceSets({});
    // The SDK maps the JSON key "resource-sets" to the property resource_sets.
    expect(sets.resource_sets?.map((s) => s.id)).toEqual(truth.resourceSets.map((s) => s.id));
    for (const set of truth.resourceSets) {
      const bindings = await client.resourceSetApi.listBindings({ resourceSetId: set.id });
      const expected = truth.bindings.filter((b) => b.resourceSetId === set.id);
      expect(bindings.roles?.map((r) => r.id)).toEqual(expected.map((b) => b.roleId));
      for (const binding of expected) {
        const members = await client.resourceSetApi.listMembersOfBinding({ resourceSetId: set.id, roleIdOrLabel: binding.roleId });
        const hrefs = members.members?.map((m) => [m.id, m._links?.self?.href]);
        expect(hrefs).toEqual(binding.members.map((m) => [m.id, `${fake.url}${m.assigneeType === "USER" ? "/api/v1/users" : m.assigneeType === "GROUP" ? "/api/v1/groups" : "/oauth2/v1/clients"}/${m.assigneeId}`]));
      }
    }
  });
});
