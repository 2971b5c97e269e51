import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOkta, type AdminLevel, type FakeOkta } from "./index.js";
import { call, collect, sdkOAuthClient } from "./test-support.js";

// Issue #3 §4: each credential's capabilities. Write cases use fresh objects so their order does not matter.
describe("permissions per credential", () => {
  let fake: FakeOkta;
  let userId: string;
  let groupId: string;
  let appGroupId: string;
  let appId: string;
  let deviceId: string;
  let clientId: string;
  let apiTokenId: string;

  beforeAll(async () => {
    fake = await startFakeOkta({ seed: 21, users: 80 });
    const truth = await fake.groundTruth();
    userId = truth.users.find((u) => u.status === "ACTIVE")?.id ?? "";
    groupId = truth.groups.find((g) => g.type === "OKTA_GROUP")?.id ?? "";
    appGroupId = truth.groups.find((g) => g.type === "APP_GROUP")?.id ?? "";
    appId = truth.apps.find((a) => a.status === "ACTIVE")?.id ?? "";
    deviceId = truth.devices[0]?.id ?? "";
    clientId = truth.apps.find((a) => a.applicationType === "service")?.clientId ?? "";
    apiTokenId = truth.apiTokens[0]?.id ?? "";
  });
  afterAll(async () => fake?.close());

  const cases: { name: string; method: string; path: () => string; body?: () => unknown; expect: Record<AdminLevel, number> }[] = [
    { name: "list users", method: "GET", path: () => "/api/v1/users", expect: { read_only: 200, app_group_admin: 200, super_admin: 200, no_role: 200 } },
    { name: "get a user", method: "GET", path: () => `/api/v1/users/${userId}`, expect: { read_only: 200, app_group_admin: 200, super_admin: 200, no_role: 403 } },
    { name: "list a group's members", method: "GET", path: () => `/api/v1/groups/${groupId}/users`, expect: { read_only: 200, app_group_admin: 200, super_admin: 200, no_role: 403 } },
    { name: "list an app's users", method: "GET", path: () => `/api/v1/apps/${appId}/users`, expect: { read_only: 200, app_group_admin: 200, super_admin: 200, no_role: 403 } },
    { name: "read the System Log", method: "GET", path: () => "/api/v1/logs", expect: { read_only: 200, app_group_admin: 200, super_admin: 200, no_role: 403 } },
    { name: "list a user's roles", method: "GET", path: () => `/api/v1/users/${userId}/roles`, expect: { read_only: 403, app_group_admin: 403, super_admin: 200, no_role: 403 } },
    { name: "list a user's MFA factors", method: "GET", path: () => `/api/v1/users/${userId}/factors`, expect: { read_only: 200, app_group_admin: 200, super_admin: 200, no_role: 403 } },
    { name: "list devices", method: "GET", path: () => "/api/v1/devices?expand=user", expect: { read_only: 200, app_group_admin: 200, super_admin: 200, no_role: 200 } },
    { name: "list a device's users", method: "GET", path: () => `/api/v1/devices/${deviceId}/users`, expect: { read_only: 200, app_group_admin: 200, super_admin: 200, no_role: 403 } },
    { name: "list API tokens", method: "GET", path: () => "/api/v1/api-tokens", expect: { read_only: 200, app_group_admin: 403, super_admin: 200, no_role: 403 } },
    { name: "read an API token", method: "GET", path: () => `/api/v1/api-tokens/${apiTokenId}`, expect: { read_only: 200, app_group_admin: 403, super_admin: 200, no_role: 403 } },
    { name: "list group rules", method: "GET", path: () => "/api/v1/groups/rules", expect: { read_only: 200, app_group_admin: 200, super_admin: 200, no_role: 403 } },
    { name: "list custom roles", method: "GET", path: () => "/api/v1/iam/roles", expect: { read_only: 403, app_group_admin: 403, super_admin: 200, no_role: 403 } },
    { name: "list a client app's roles", method: "GET", path: () => `/oauth2/v1/clients/${clientId}/roles`, expect: { read_only: 403, app_group_admin: 403, super_admin: 200, no_role: 403 } },
    { name: "assign a client app a role", method: "POST", path: () => `/oauth2/v1/clients/${clientId}/roles`, body: () => ({ type: "WORKFLOWS_ADMIN" }), expect: { read_only: 403, app_group_admin: 403, super_admin: 200, no_role: 403 } },
    { name: "list role holders", method: "GET", path: () => "/api/v1/iam/assignees/users", expect: { read_only: 403, app_group_admin: 403, super_admin: 200, no_role: 403 } },
    { name: "add a group member", method: "PUT", path: () => `/api/v1/groups/${groupId}/users/${userId}`, expect: { read_only: 403, app_group_admin: 204, super_admin: 204, no_role: 403 } },
    { name: "assign a group to an app", method: "PUT", path: () => `/api/v1/apps/${appId}/groups/${groupId}`, body: () => ({}), expect: { read_only: 403, app_group_admin: 200, super_admin: 200, no_role: 403 } },
    { name: "create a group", method: "POST", path: () => "/api/v1/groups", body: () => ({ profile: { name: `perm-${Math.random()}` } }), expect: { read_only: 403, app_group_admin: 403, super_admin: 200, no_role: 403 } },
    { name: "suspend a user", method: "POST", path: () => `/api/v1/users/${userId}/lifecycle/suspend`, expect: { read_only: 403, app_group_admin: 403, super_admin: 200, no_role: 403 } },
  ];

  for (const level of ["read_only", "app_group_admin", "no_role", "super_admin"] as const) {
    it(`${level}: ${cases.map((c) => `${c.name} → ${c.expect[level]}`).join(", ")}`, async () => {
      const got: Record<string, number> = {};
      for (const c of cases) {
        const res = await call(fake, c.method, c.path(), { level, ...(c.body ? { body: c.body() } : {}) });
        got[c.name] = res.status;
        if (res.status === 403) expect(res.body).toMatchObject({ errorCode: "E0000006", errorCauses: [] });
      }
      expect(got).toEqual(Object.fromEntries(cases.map((c) => [c.name, c.expect[level]])));
    });
  }

  it("gives no_role an empty first page on the top-level lists, like an OAuth app without an admin role", async () => {
    for (const path of ["/api/v1/users", "/api/v1/groups", "/api/v1/apps", "/api/v1/devices"]) {
      const res = await call(fake, "GET", path, { level: "no_role" });
      expect([res.status, res.body]).toEqual([200, []]);
    }
  });

  it("refuses a restricted user's factors to admins below super_admin (403 E0000006), and a deleted user's with 404", async () => {
    const truth = await fake.groundTruth();
    const [restricted, doomed] = truth.users.filter((u) => u.id !== userId && u.factors.length > 0);
    fake.org.factors.restrict(restricted!.id);
    const got = await Promise.all((["read_only", "app_group_admin", "super_admin"] as const).map(async (level) => (await call(fake, "GET", `/api/v1/users/${restricted!.id}/factors`, { level })).status));
    expect(got).toEqual([403, 403, 200]);
    await call(fake, "DELETE", `/api/v1/users/${doomed!.id}`);
    await call(fake, "DELETE", `/api/v1/users/${doomed!.id}`);
    const gone = await call(fake, "GET", `/api/v1/users/${doomed!.id}/factors`, { level: "read_only" });
    expect([gone.status, (gone.body as { errorCode?: string }).errorCode]).toEqual([404, "E0000007"]);
  });

  it("refuses membership writes on APP_GROUP and BUILT_IN groups even to a super admin", async () => {
    const everyone = fake.org.groups.everyone().id;
    for (const id of [appGroupId, everyone]) {
      for (const method of ["PUT", "DELETE"]) {
        const res = await call(fake, method, `/api/v1/groups/${id}/users/${userId}`);
        expect([res.status, (res.body as { errorCode?: string }).errorCode]).toEqual([403, "E0000006"]);
      }
    }
  });

  it("answers 401 E0000011 to a missing, unknown or malformed credential", async () => {
    for (const authorization of [null, "SSWS not-a-token", "Bearer undefined", "DPoP abc", "Basic dXNlcjpwdw==", "SSWS"]) {
      const res = await call(fake, "GET", "/api/v1/users", { authorization });
      expect([res.status, (res.body as { errorCode?: string }).errorCode], String(authorization)).toEqual([401, "E0000011"]);
    }
    const bearer = await call(fake, "GET", "/api/v1/users", { authorization: "Bearer undefined" });
    expect(bearer.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });
});

describe("OAuth service apps (private_key_jwt + DPoP) through the Node SDK", () => {
  let fake: FakeOkta;
  beforeAll(async () => {
    fake = await startFakeOkta({ seed: 22, users: 30 });
  });
  afterAll(async () => fake?.close());

  it("lets the read-only app list users with okta.users.read, through the token endpoint and the DPoP nonce", async () => {
    const client = sdkOAuthClient(fake, "read_only", ["okta.users.read"]);
    const users = await collect(await client.userApi.listUsers({ limit: 10 }));
    expect(users.length).toBe((await fake.groundTruth()).users.filter((u) => u.status !== "DEPROVISIONED").length);
    const log = fake.requestLog();
    expect(log.filter((e) => e.bucket === "token").map((e) => e.status)).toEqual([400, 200]);
    expect(log.filter((e) => e.bucket === "users").every((e) => e.level === "read_only" && e.status === 200)).toBe(true);
  });

  it("refuses an endpoint outside the token's scopes with 403 E0000006 and insufficient_scope", async () => {
    const client = sdkOAuthClient(fake, "super_admin", ["okta.users.read"]);
    const error = await collect(await client.groupApi.listGroups({})).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 403, errorCode: "E0000006" });
    expect((error as { headers: Headers }).headers.get("www-authenticate")).toContain('scope="okta.groups.read"');
  });

  it("bounds an app by its admin role as well: read-only cannot write a membership even with the scope granted", async () => {
    const truth = await fake.groundTruth();
    const groupId = truth.groups.find((g) => g.type === "OKTA_GROUP")?.id ?? "";
    const userId = truth.users.find((u) => u.status === "ACTIVE")?.id ?? "";
    const admin = sdkOAuthClient(fake, "app_group_admin", ["okta.groups.manage"]);
    await admin.groupApi.assignUserToGroup({ groupId, userId });
    expect(fake.org.groups.isMember(fake.org.group(groupId), fake.org.user(userId))).toBe(true);
    const reader = sdkOAuthClient(fake, "read_only", ["okta.groups.read"]);
    const refused = await reader.groupApi.unassignUserFromGroup({ groupId, userId }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 403, errorCode: "E0000006" });
  });

  it("gives the no-role app 200 [] on GET /api/v1/users", async () => {
    const client = sdkOAuthClient(fake, "no_role", ["okta.users.read"]);
    expect(await collect(await client.userApi.listUsers({}))).toEqual([]);
  });
});
