import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOkta, type FakeOkta, type GroundTruth } from "./index.js";
import { call, listAll } from "./test-support.js";

const code = (body: unknown): string | undefined => (body as { errorCode?: string } | undefined)?.errorCode;

describe("memberships, app assignments and roles", () => {
  let fake: FakeOkta;
  let truth: GroundTruth;
  let counter = 0;

  beforeAll(async () => {
    fake = await startFakeOkta({ seed: 61, users: 120 });
    truth = await fake.groundTruth();
  });
  afterAll(async () => fake?.close());

  async function newGroup(): Promise<string> {
    counter++;
    const res = await call(fake, "POST", "/api/v1/groups", { body: { profile: { name: `Assignments ${counter}`, description: "test" } } });
    expect(res.status).toBe(200);
    return (res.body as { id: string }).id;
  }
  const activeUser = (skip = 0): string => truth.users.filter((u) => u.status === "ACTIVE")[skip]?.id ?? "";

  it("makes membership PUT and DELETE idempotent (204 twice) and logs only real changes", async () => {
    const groupId = await newGroup();
    const userId = activeUser();
    const before = fake.org.log.lastSeq();
    const statuses = [];
    for (const method of ["PUT", "PUT", "DELETE", "DELETE"]) statuses.push((await call(fake, method, `/api/v1/groups/${groupId}/users/${userId}`)).status);
    expect(statuses).toEqual([204, 204, 204, 204]);
    expect(fake.org.log.events().filter((e) => e.seq > before).map((e) => e.eventType)).toEqual(["group.user_membership.add", "group.user_membership.remove"]);
  });

  it("refuses to unassign a group-derived app user with 403 E0000046, and keeps a direct+group user as GROUP", async () => {
    const groupId = await newGroup();
    const app = truth.apps.find((a) => a.status === "ACTIVE") ?? truth.apps[0];
    const [viaGroup, both] = [activeUser(1), activeUser(2)];
    for (const userId of [viaGroup, both]) await call(fake, "PUT", `/api/v1/groups/${groupId}/users/${userId}`);
    await call(fake, "PUT", `/api/v1/apps/${app?.id}/groups/${groupId}`, { body: { priority: 0 } });
    await call(fake, "POST", `/api/v1/apps/${app?.id}/users`, { body: { id: both, scope: "USER" } });
    const scopeOf = async (userId: string) => ((await call(fake, "GET", `/api/v1/apps/${app?.id}/users/${userId}`)).body as { scope: string }).scope;
    expect([await scopeOf(viaGroup), await scopeOf(both)]).toEqual(["GROUP", "USER"]);

    const refused = await call(fake, "DELETE", `/api/v1/apps/${app?.id}/users/${viaGroup}`);
    expect([refused.status, code(refused.body)]).toEqual([403, "E0000046"]);
    expect((refused.body as { errorCauses: unknown[] }).errorCauses).toHaveLength(1);
    expect((await call(fake, "DELETE", `/api/v1/apps/${app?.id}/users/${both}`)).status).toBe(204);
    expect(await scopeOf(both)).toBe("GROUP");

    expect((await call(fake, "DELETE", `/api/v1/apps/${app?.id}/groups/${groupId}`)).status).toBe(204);
    expect((await call(fake, "GET", `/api/v1/apps/${app?.id}/users/${viaGroup}`)).status).toBe(404);
    expect((await call(fake, "DELETE", `/api/v1/apps/${app?.id}/groups/${groupId}`)).status).toBe(404);
  });

  it("refuses to assign an app to a DEPROVISIONED user (403 E0000117)", async () => {
    const gone = truth.users.find((u) => u.status === "DEPROVISIONED")?.id;
    const res = await call(fake, "POST", `/api/v1/apps/${truth.apps[0]?.id}/users`, { body: { id: gone } });
    expect([res.status, code(res.body)]).toEqual([403, "E0000117"]);
  });

  it("follows app users and group assignments across pages, equal to the ground truth", async () => {
    for (const app of truth.apps.slice(0, 5)) {
      const { items } = await listAll<{ id: string; scope: string }>(fake, `/api/v1/apps/${app.id}/users?limit=7`);
      expect(items.map((u) => [u.id, u.scope])).toEqual(app.users.map((u) => [u.userId, u.scope]));
    }
  });

  it("assigns, lists, gets and removes standard roles; a duplicate is 409 E0000090", async () => {
    const userId = activeUser(5);
    const first = await call(fake, "POST", `/api/v1/users/${userId}/roles`, { body: { type: "HELP_DESK_ADMIN" } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ type: "HELP_DESK_ADMIN", label: "Help Desk Administrator", assignmentType: "USER", status: "ACTIVE" });
    const again = await call(fake, "POST", `/api/v1/users/${userId}/roles`, { body: { type: "HELP_DESK_ADMIN" } });
    expect([again.status, code(again.body)]).toEqual([409, "E0000090"]);
    const id = (first.body as { id: string }).id;
    expect((await call(fake, "GET", `/api/v1/users/${userId}/roles/${id}`)).status).toBe(200);
    const holders = (await call(fake, "GET", "/api/v1/iam/assignees/users")).body as { value: { id: string }[] };
    expect(holders.value.map((v) => v.id)).toContain(userId);
    expect((await call(fake, "DELETE", `/api/v1/users/${userId}/roles/${id}`)).status).toBe(204);
    expect((await call(fake, "DELETE", `/api/v1/users/${userId}/roles/${id}`)).status).toBe(404);
    expect(fake.org.log.events().slice(-2).map((e) => [e.eventType, e.debugData])).toEqual([
      ["user.account.privilege.grant", { privilegeGranted: "Help Desk Administrator" }],
      ["user.account.privilege.revoke", { privilegeRevoked: "Help Desk Administrator" }],
    ]);
  });

  it("shows a group's roles on its members' role lists with assignmentType GROUP", async () => {
    const groupId = await newGroup();
    const userId = activeUser(6);
    await call(fake, "PUT", `/api/v1/groups/${groupId}/users/${userId}`);
    const assigned = await call(fake, "POST", `/api/v1/groups/${groupId}/roles`, { body: { type: "REPORT_ADMIN" } });
    expect(assigned.status).toBe(200);
    const roles = (await call(fake, "GET", `/api/v1/users/${userId}/roles`)).body as { id: string; assignmentType: string; _links: { assignee: { href: string } } }[];
    const fromGroup = roles.find((r) => r.id === (assigned.body as { id: string }).id);
    expect(fromGroup?.assignmentType).toBe("GROUP");
    expect(fromGroup?._links.assignee.href).toBe(`${fake.url}/api/v1/groups/${groupId}`);
  });

  it("assigns a custom role over a resource set, which shows as a binding member, and bindings can be written", async () => {
    const userId = activeUser(7);
    const set = truth.resourceSets[0];
    const role = truth.customRoles[truth.customRoles.length - 1];
    const res = await call(fake, "POST", `/api/v1/users/${userId}/roles`, { body: { type: "CUSTOM", role: role?.id, "resource-set": set?.id } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ type: "CUSTOM", role: role?.id, "resource-set": set?.id });
    const memberId = (res.body as { id: string }).id;
    const members = (await call(fake, "GET", `/api/v1/iam/resource-sets/${set?.id}/bindings/${role?.id}/members`)).body as { members: { id: string; _links: { self: { href: string } } }[] };
    expect(members.members.find((m) => m.id === memberId)?._links.self.href).toBe(`${fake.url}/api/v1/users/${userId}`);

    const groupId = await newGroup();
    const patch = await call(fake, "PATCH", `/api/v1/iam/resource-sets/${set?.id}/bindings/${role?.id}/members`, { body: { additions: [`${fake.url}/api/v1/groups/${groupId}`] } });
    expect(patch.status).toBe(200);
    const groupRoles = (await call(fake, "GET", `/api/v1/groups/${groupId}/roles`)).body as { type: string; role: string }[];
    expect(groupRoles).toMatchObject([{ type: "CUSTOM", role: role?.id }]);
    expect((await call(fake, "DELETE", `/api/v1/iam/resource-sets/${set?.id}/bindings/${role?.id}/members/${memberId}`)).status).toBe(204);
    expect(((await call(fake, "GET", `/api/v1/users/${userId}/roles`)).body as unknown[]).filter((r) => (r as { id: string }).id === memberId)).toEqual([]);
  });

  it("pages IAM wrappers through _links.next in the body", async () => {
    const seen: string[] = [];
    let next: string | undefined = "/api/v1/iam/assignees/users?limit=2";
    let pages = 0;
    while (next) {
      const body = (await call(fake, "GET", next)).body as { value: { id: string }[]; _links: { next?: { href: string } } };
      seen.push(...body.value.map((v) => v.id));
      next = body._links.next?.href;
      pages++;
    }
    expect(pages).toBeGreaterThan(2);
    expect(new Set(seen).size).toBe(seen.length);
    const roles = (await call(fake, "GET", "/api/v1/iam/roles?limit=1")).body as { roles: unknown[]; _links: { next?: { href: string } } };
    expect(roles.roles).toHaveLength(1);
    expect(roles._links.next?.href).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/iam\/roles\?limit=1&after=cr0/);
  });

  it("keeps every query parameter in absolute Link headers", async () => {
    const res = await call(fake, "GET", `/api/v1/users?search=${encodeURIComponent('status eq "ACTIVE"')}&limit=3&sortBy=profile.lastName`);
    const link = res.headers.get("link") ?? "";
    expect(link).toContain(`<${fake.url}/api/v1/users?search=status%20eq%20%22ACTIVE%22&limit=3&sortBy=profile.lastName>; rel="self"`);
    expect(link).toMatch(new RegExp(`<${fake.url}/api/v1/users\\?search=status%20eq%20%22ACTIVE%22&limit=3&sortBy=profile.lastName&after=00u\\w+>; rel="next"`));
    const { items } = await listAll<{ profile: { lastName: string } }>(fake, `/api/v1/users?search=${encodeURIComponent('status eq "ACTIVE"')}&limit=3&sortBy=profile.lastName`);
    const names = items.map((u) => u.profile.lastName.toLowerCase());
    expect(names).toEqual([...names].sort());
  });

  it("creates, renames and deletes an OKTA_GROUP; a deleted group leaves its app assignments", async () => {
    const groupId = await newGroup();
    const app = truth.apps[2];
    await call(fake, "PUT", `/api/v1/apps/${app?.id}/groups/${groupId}`);
    const dup = await call(fake, "POST", "/api/v1/groups", { body: { profile: { name: `Assignments ${counter}` } } });
    expect([dup.status, code(dup.body)]).toEqual([400, "E0000001"]);
    expect((await call(fake, "PUT", `/api/v1/groups/${groupId}`, { body: { profile: { name: `Renamed ${groupId}` } } })).status).toBe(200);
    expect((await call(fake, "DELETE", `/api/v1/groups/${groupId}`)).status).toBe(204);
    expect((await call(fake, "GET", `/api/v1/groups/${groupId}`)).status).toBe(404);
    expect((await call(fake, "GET", `/api/v1/apps/${app?.id}/groups/${groupId}`)).status).toBe(404);
    const everyone = await call(fake, "DELETE", `/api/v1/groups/${fake.org.groups.everyone().id}`);
    expect([everyone.status, code(everyone.body)]).toEqual([403, "E0000006"]);
  });
});
