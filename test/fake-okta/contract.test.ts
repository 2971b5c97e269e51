import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOkta } from "./index.js";
import { loadOktaSpec, type OktaSpecValidator } from "./openapi.js";

// Every endpoint the simulated org serves is called once with a super-admin SSWS token, and its JSON body is
// checked against the response schema Okta's own OpenAPI spec declares for that operation and status.
const { validator, reason } = loadOktaSpec();

type Json = Record<string, unknown>;
interface Exchange { status: number; contentType: string | null; body: unknown }
type Org = Awaited<ReturnType<typeof startFakeOkta>>;
type Token = keyof Org["tokens"];

const SEED = 20_241_129;
const MEMBER = "/api/v1/groups/{groupId}/users/{userId}";
const APP_USER = "/api/v1/apps/{appId}/users/{userId}";
const APP_GROUP = "/api/v1/apps/{appId}/groups/{groupId}";
const USER_ROLE = "/api/v1/users/{userId}/roles/{roleAssignmentId}";
const GROUP_ROLE = "/api/v1/groups/{groupId}/roles/{roleAssignmentId}";
const CLIENT_ROLES = "/oauth2/v1/clients/{clientId}/roles";
const CLIENT_ROLE = `${CLIENT_ROLES}/{roleAssignmentId}`;
const RESOURCE_SET = "/api/v1/iam/resource-sets/{resourceSetIdOrLabel}";
const BINDING = `${RESOURCE_SET}/bindings/{roleIdOrLabel}`;

describe.skipIf(!validator)(validator ? "fake Okta responses match Okta's OpenAPI spec" : `contract tests skipped: ${reason}`, () => {
  const spec = validator as OktaSpecValidator;
  let org: Org;
  const taken = new Set<string>();

  beforeAll(async () => {
    org = await startFakeOkta({ seed: SEED, users: 60 });
  });
  afterAll(async () => org?.close());

  /** Calls `template` with its `{params}` filled in; JSON bodies are parsed, an empty body is undefined. */
  async function call(method: string, template: string, opts: { params?: Record<string, string>; query?: Record<string, string>; body?: unknown; rawBody?: string; token?: Token; authorization?: string } = {}): Promise<Exchange> {
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(opts.params?.[name] ?? `missing-${name}`));
    const url = new URL(path, org.url);
    for (const [key, value] of Object.entries(opts.query ?? {})) url.searchParams.set(key, value);
    const payload = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    const res = await fetch(url, {
      method,
      headers: {
        Accept: "application/json",
        Authorization: opts.authorization ?? `SSWS ${org.tokens[opts.token ?? "super_admin"]}`,
        ...(payload === undefined ? {} : { "Content-Type": "application/json" }),
      },
      ...(payload === undefined ? {} : { body: payload }),
    });
    const text = await res.text();
    return { status: res.status, contentType: res.headers.get("content-type"), body: text === "" ? undefined : (JSON.parse(text) as unknown) };
  }

  /** Asserts the status, then the body against the operation's declared response (and the JSON content type). */
  function expectConforms(method: string, template: string, exchange: Exchange, status: number): void {
    expect(exchange.status, JSON.stringify(exchange.body)).toBe(status);
    if (exchange.body !== undefined) expect(exchange.contentType ?? "").toMatch(/^application\/json/);
    expect(spec.validateResponse(method, template, status, exchange.body).errors).toEqual([]);
  }

  /**
   * Okta answers the lifecycle operations the spec declares without content (deactivate, suspend,
   * unsuspend, unlock) with `200 {}`, so an empty object is accepted there as well as an empty body.
   */
  function expectConformsOrEmptyObject(method: string, template: string, exchange: Exchange, status: number): void {
    if (isObject(exchange.body) && Object.keys(exchange.body).length === 0) {
      expect(exchange.status).toBe(status);
      expectConforms(method, template, { ...exchange, body: undefined }, status);
    } else {
      expectConforms(method, template, exchange, status);
    }
  }

  async function list(template: string, query: Record<string, string> = {}, params: Record<string, string> = {}): Promise<Json[]> {
    const res = await call("GET", template, { query, params });
    expectConforms("GET", template, res, 200);
    return res.body as Json[];
  }

  /** A seeded user in `status` that no other test has used (lifecycle tests change state). */
  async function freshUser(status: string, exclude: ReadonlySet<string> = new Set()): Promise<Json> {
    const users = await list("/api/v1/users", { filter: `status eq "${status}"`, limit: "200" });
    const user = users.find((candidate) => !taken.has(String(candidate["id"])) && !exclude.has(String(candidate["id"])));
    if (!user) throw new Error(`seed ${SEED} has no unused ${status} user`);
    taken.add(String(user["id"]));
    return user;
  }

  /** Arranges state for a test: checks only the status, since that endpoint's shape has its own test. */
  async function arrange(method: string, template: string, opts: Parameters<typeof call>[2] = {}, status = 200): Promise<unknown> {
    const res = await call(method, template, opts);
    expect(res.status, `${method} ${template} while arranging: ${JSON.stringify(res.body)}`).toBe(status);
    return res.body;
  }

  let counter = 0;
  function uniqueName(purpose: string): string {
    counter += 1;
    return `contract-${purpose}-${counter}`;
  }

  async function newGroupId(): Promise<string> {
    const group = await arrange("POST", "/api/v1/groups", { body: { profile: { name: uniqueName("group"), description: "contract test" } } });
    return String((group as Json)["id"]);
  }

  async function newStagedUser(): Promise<Json> {
    const login = `${uniqueName("user")}@example.com`;
    const profile = { firstName: "Contract", lastName: "Test", email: login, login };
    return (await arrange("POST", "/api/v1/users", { query: { activate: "false" }, body: { profile } })) as Json;
  }

  async function activeAppId(): Promise<string> {
    const apps = (await arrange("GET", "/api/v1/apps", { query: { filter: 'status eq "ACTIVE"' } })) as Json[];
    if (!apps[0]) throw new Error(`seed ${SEED} has no ACTIVE app`);
    return String(apps[0]["id"]);
  }

  async function appWithGroupAssignment(): Promise<{ appId: string; groupId: string }> {
    for (const app of (await arrange("GET", "/api/v1/apps", { query: { limit: "200" } })) as Json[]) {
      const [assignment] = (await arrange("GET", "/api/v1/apps/{appId}/groups", { params: { appId: String(app["id"]) } })) as Json[];
      if (assignment) return { appId: String(app["id"]), groupId: String(assignment["id"]) };
    }
    throw new Error(`seed ${SEED} has no app assigned to a group`);
  }

  async function roleHolderIds(): Promise<Set<string>> {
    const assignees = (await arrange("GET", "/api/v1/iam/assignees/users", { query: { limit: "100" } })) as Json;
    return new Set((assignees["value"] as Json[]).map((assignee) => String(assignee["id"])));
  }

  async function newUserRole(): Promise<{ userId: string; roleAssignmentId: string }> {
    const userId = String((await freshUser("ACTIVE", await roleHolderIds()))["id"]);
    const role = await arrange("POST", "/api/v1/users/{userId}/roles", { params: { userId }, body: { type: "READ_ONLY_ADMIN" } }, 201);
    return { userId, roleAssignmentId: String((role as Json)["id"]) };
  }

  async function newGroupRole(): Promise<{ groupId: string; roleAssignmentId: string }> {
    const groupId = await newGroupId();
    const role = await arrange("POST", "/api/v1/groups/{groupId}/roles", { params: { groupId }, body: { type: "GROUP_MEMBERSHIP_ADMIN" } });
    return { groupId, roleAssignmentId: String((role as Json)["id"]) };
  }

  async function seededBinding(): Promise<{ resourceSetIdOrLabel: string; roleIdOrLabel: string }> {
    const sets = (await arrange("GET", "/api/v1/iam/resource-sets")) as Json;
    for (const set of sets["resource-sets"] as Json[]) {
      const resourceSetIdOrLabel = String(set["id"]);
      const [binding] = ((await arrange("GET", `${RESOURCE_SET}/bindings`, { params: { resourceSetIdOrLabel } })) as Json)["roles"] as Json[];
      if (binding) return { resourceSetIdOrLabel, roleIdOrLabel: String(binding["id"]) };
    }
    throw new Error(`seed ${SEED} has no resource set with a binding`);
  }

  describe("org", () => {
    it("GET /api/v1/org", async () => {
      expectConforms("GET", "/api/v1/org", await call("GET", "/api/v1/org"), 200);
    });
  });

  describe("users", () => {
    it("GET /api/v1/users", async () => {
      expect((await list("/api/v1/users", { limit: "200" })).length).toBeGreaterThan(0);
    });

    it("GET /api/v1/users with search, filter and q", async () => {
      expect((await list("/api/v1/users", { search: 'status eq "ACTIVE"' })).length).toBeGreaterThan(0);
      expect((await list("/api/v1/users", { search: "status pr" })).length).toBeGreaterThan(0);
      expect((await list("/api/v1/users", { filter: 'status eq "SUSPENDED"' })).length).toBeGreaterThan(0);
      const names = (await list("/api/v1/users", { limit: "200" })).map((user) => (user["profile"] as Json)["firstName"]);
      const firstName = names.find((name): name is string => typeof name === "string" && name.length >= 3) ?? "";
      expect((await list("/api/v1/users", { q: firstName.slice(0, 3) })).length).toBeGreaterThan(0);
    });

    it("GET /api/v1/users/{id} by id and by login", async () => {
      const [user] = await list("/api/v1/users", { limit: "1" });
      const login = String((user?.["profile"] as Json)["login"]);
      for (const id of [String(user?.["id"]), login]) {
        expectConforms("GET", "/api/v1/users/{id}", await call("GET", "/api/v1/users/{id}", { params: { id } }), 200);
      }
    });

    it("POST /api/v1/users (create)", async () => {
      const login = `${uniqueName("created")}@example.com`;
      const profile = { firstName: "Zoë", lastName: "Ørsted", email: login, login, employeeNumber: "E-1001" };
      const res = await call("POST", "/api/v1/users", { query: { activate: "false" }, body: { profile } });
      expectConforms("POST", "/api/v1/users", res, 200);
      expect((res.body as Json)["status"]).toBe("STAGED");
    });

    it("POST /api/v1/users/{id} (partial update)", async () => {
      const user = await freshUser("ACTIVE");
      const res = await call("POST", "/api/v1/users/{id}", { params: { id: String(user["id"]) }, body: { profile: { nickName: "Contract" } } });
      expectConforms("POST", "/api/v1/users/{id}", res, 200);
    });

    it("POST /api/v1/users/{id}/lifecycle/activate", async () => {
      const user = await newStagedUser();
      const template = "/api/v1/users/{id}/lifecycle/activate";
      const res = await call("POST", template, { params: { id: String(user["id"]) }, query: { sendEmail: "false" } });
      expectConforms("POST", template, res, 200);
    });

    it("POST /api/v1/users/{id}/lifecycle/deactivate", async () => {
      const template = "/api/v1/users/{id}/lifecycle/deactivate";
      const user = await freshUser("ACTIVE");
      expectConformsOrEmptyObject("POST", template, await call("POST", template, { params: { id: String(user["id"]) } }), 200);
    });

    it("POST /api/v1/users/{id}/lifecycle/suspend", async () => {
      const template = "/api/v1/users/{id}/lifecycle/suspend";
      const user = await freshUser("ACTIVE");
      expectConformsOrEmptyObject("POST", template, await call("POST", template, { params: { id: String(user["id"]) } }), 200);
    });

    it("POST /api/v1/users/{id}/lifecycle/unsuspend", async () => {
      const template = "/api/v1/users/{id}/lifecycle/unsuspend";
      const user = await freshUser("SUSPENDED");
      expectConformsOrEmptyObject("POST", template, await call("POST", template, { params: { id: String(user["id"]) } }), 200);
    });

    it("POST /api/v1/users/{id}/lifecycle/reactivate", async () => {
      const template = "/api/v1/users/{id}/lifecycle/reactivate";
      const user = await freshUser("PROVISIONED");
      const res = await call("POST", template, { params: { id: String(user["id"]) }, query: { sendEmail: "false" } });
      expectConforms("POST", template, res, 200);
    });

    it("POST /api/v1/users/{id}/lifecycle/unlock", async () => {
      const template = "/api/v1/users/{id}/lifecycle/unlock";
      const user = await freshUser("LOCKED_OUT");
      expectConformsOrEmptyObject("POST", template, await call("POST", template, { params: { id: String(user["id"]) } }), 200);
    });

    it("DELETE /api/v1/users/{id}", async () => {
      const user = await freshUser("DEPROVISIONED");
      expectConforms("DELETE", "/api/v1/users/{id}", await call("DELETE", "/api/v1/users/{id}", { params: { id: String(user["id"]) } }), 204);
    });
  });

  describe("groups", () => {
    it("GET /api/v1/groups?expand=stats", async () => {
      const groups = await list("/api/v1/groups", { expand: "stats", limit: "200" });
      expect(groups.map((group) => group["type"])).toEqual(expect.arrayContaining(["OKTA_GROUP", "APP_GROUP", "BUILT_IN"]));
      expect(groups.every((group) => isObject((group["_embedded"] as Json | undefined)?.["stats"]))).toBe(true);
    });

    it("GET /api/v1/groups/{groupId}", async () => {
      const [group] = await list("/api/v1/groups", { limit: "1" });
      const res = await call("GET", "/api/v1/groups/{groupId}", { params: { groupId: String(group?.["id"]) } });
      expectConforms("GET", "/api/v1/groups/{groupId}", res, 200);
    });

    it("POST /api/v1/groups", async () => {
      const res = await call("POST", "/api/v1/groups", { body: { profile: { name: uniqueName("created"), description: "contract test" } } });
      expectConforms("POST", "/api/v1/groups", res, 200);
    });

    it("PUT /api/v1/groups/{groupId}", async () => {
      const groupId = await newGroupId();
      const res = await call("PUT", "/api/v1/groups/{groupId}", { params: { groupId }, body: { profile: { name: uniqueName("replaced"), description: "replaced" } } });
      expectConforms("PUT", "/api/v1/groups/{groupId}", res, 200);
    });

    it("DELETE /api/v1/groups/{groupId}", async () => {
      const groupId = await newGroupId();
      expectConforms("DELETE", "/api/v1/groups/{groupId}", await call("DELETE", "/api/v1/groups/{groupId}", { params: { groupId } }), 204);
    });

    it("GET /api/v1/groups/{groupId}/users", async () => {
      const groups = await arrange("GET", "/api/v1/groups", { query: { expand: "stats", limit: "200" } }) as Json[];
      const populated = groups.find((group) => Number(((group["_embedded"] as Json)["stats"] as Json)["usersCount"]) > 0);
      expect((await list("/api/v1/groups/{groupId}/users", {}, { groupId: String(populated?.["id"]) })).length).toBeGreaterThan(0);
    });

    it("PUT /api/v1/groups/{groupId}/users/{userId}", async () => {
      const params = { groupId: await newGroupId(), userId: String((await freshUser("ACTIVE"))["id"]) };
      expectConforms("PUT", MEMBER, await call("PUT", MEMBER, { params }), 204);
      expect(await list("/api/v1/groups/{groupId}/users", {}, { groupId: params.groupId })).toHaveLength(1);
    });

    it("DELETE /api/v1/groups/{groupId}/users/{userId}", async () => {
      const params = { groupId: await newGroupId(), userId: String((await freshUser("ACTIVE"))["id"]) };
      await arrange("PUT", MEMBER, { params }, 204);
      expectConforms("DELETE", MEMBER, await call("DELETE", MEMBER, { params }), 204);
      expect(await list("/api/v1/groups/{groupId}/users", {}, { groupId: params.groupId })).toHaveLength(0);
    });
  });

  describe("apps", () => {
    it("GET /api/v1/apps with a status filter", async () => {
      const apps = await list("/api/v1/apps", { limit: "200" });
      expect(new Set(apps.map((app) => app["signOnMode"])).size).toBeGreaterThan(1);
      expect((await list("/api/v1/apps", { filter: 'status eq "INACTIVE"' })).length).toBeGreaterThan(0);
    });

    it("GET /api/v1/apps/{appId}", async () => {
      const appId = await activeAppId();
      expectConforms("GET", "/api/v1/apps/{appId}", await call("GET", "/api/v1/apps/{appId}", { params: { appId } }), 200);
    });

    it("GET /api/v1/apps/{appId}/users", async () => {
      expect((await list("/api/v1/apps/{appId}/users", {}, { appId: await activeAppId() })).length).toBeGreaterThan(0);
    });

    it("GET /api/v1/apps/{appId}/users/{userId}", async () => {
      const appId = await activeAppId();
      const [appUser] = await arrange("GET", "/api/v1/apps/{appId}/users", { params: { appId } }) as Json[];
      expectConforms("GET", APP_USER, await call("GET", APP_USER, { params: { appId, userId: String(appUser?.["id"]) } }), 200);
    });

    it("POST /api/v1/apps/{appId}/users", async () => {
      const appId = await activeAppId();
      const user = await freshUser("ACTIVE");
      const body = { id: user["id"], scope: "USER", credentials: { userName: (user["profile"] as Json)["login"] } };
      expectConforms("POST", "/api/v1/apps/{appId}/users", await call("POST", "/api/v1/apps/{appId}/users", { params: { appId }, body }), 200);
    });

    it("DELETE /api/v1/apps/{appId}/users/{userId}", async () => {
      const appId = await activeAppId();
      const user = await freshUser("ACTIVE");
      const body = { id: user["id"], scope: "USER", credentials: { userName: (user["profile"] as Json)["login"] } };
      await arrange("POST", "/api/v1/apps/{appId}/users", { params: { appId }, body });
      expectConforms("DELETE", APP_USER, await call("DELETE", APP_USER, { params: { appId, userId: String(user["id"]) } }), 204);
    });

    it("GET /api/v1/apps/{appId}/groups", async () => {
      const { appId } = await appWithGroupAssignment();
      expect((await list("/api/v1/apps/{appId}/groups", {}, { appId })).length).toBeGreaterThan(0);
    });

    it("GET /api/v1/apps/{appId}/groups/{groupId}", async () => {
      const params = await appWithGroupAssignment();
      expectConforms("GET", APP_GROUP, await call("GET", APP_GROUP, { params }), 200);
    });

    it("PUT /api/v1/apps/{appId}/groups/{groupId}", async () => {
      const params = { appId: await activeAppId(), groupId: await newGroupId() };
      expectConforms("PUT", APP_GROUP, await call("PUT", APP_GROUP, { params, body: {} }), 200);
    });

    it("DELETE /api/v1/apps/{appId}/groups/{groupId}", async () => {
      const params = { appId: await activeAppId(), groupId: await newGroupId() };
      await arrange("PUT", APP_GROUP, { params, body: {} });
      expectConforms("DELETE", APP_GROUP, await call("DELETE", APP_GROUP, { params }), 204);
    });
  });

  describe("roles", () => {
    it("GET /api/v1/iam/assignees/users", async () => {
      const res = await call("GET", "/api/v1/iam/assignees/users");
      expectConforms("GET", "/api/v1/iam/assignees/users", res, 200);
      expect(((res.body as Json)["value"] as Json[]).length).toBeGreaterThan(0);
    });

    it("GET /api/v1/users/{userId}/roles for every seeded role holder", async () => {
      for (const userId of await roleHolderIds()) {
        expect((await list("/api/v1/users/{userId}/roles", {}, { userId })).length).toBeGreaterThan(0);
      }
    });

    it("POST /api/v1/users/{userId}/roles", async () => {
      const userId = String((await freshUser("ACTIVE", await roleHolderIds()))["id"]);
      const res = await call("POST", "/api/v1/users/{userId}/roles", { params: { userId }, body: { type: "READ_ONLY_ADMIN" } });
      expectConforms("POST", "/api/v1/users/{userId}/roles", res, 201);
      // The list also shows roles the user holds through groups (assignmentType GROUP), as Okta's does.
      const roles = await list("/api/v1/users/{userId}/roles", {}, { userId });
      expect(roles.filter((r) => (r as Json)["assignmentType"] === "USER")).toHaveLength(1);
    });

    it("GET /api/v1/users/{userId}/roles/{roleAssignmentId}", async () => {
      const params = await newUserRole();
      expectConforms("GET", USER_ROLE, await call("GET", USER_ROLE, { params }), 200);
    });

    it("DELETE /api/v1/users/{userId}/roles/{roleAssignmentId}", async () => {
      const params = await newUserRole();
      expectConforms("DELETE", USER_ROLE, await call("DELETE", USER_ROLE, { params }), 204);
    });

    it("GET /api/v1/groups/{groupId}/roles", async () => {
      const { groupId } = await newGroupRole();
      expect(await list("/api/v1/groups/{groupId}/roles", {}, { groupId })).toHaveLength(1);
    });

    it("POST /api/v1/groups/{groupId}/roles", async () => {
      const groupId = await newGroupId();
      const res = await call("POST", "/api/v1/groups/{groupId}/roles", { params: { groupId }, body: { type: "GROUP_MEMBERSHIP_ADMIN" } });
      // The spec declares both a 200 carrying the assignment and a bare 201; the Node SDK reads the body, so
      // the simulator answers 200 with it.
      expectConforms("POST", "/api/v1/groups/{groupId}/roles", res, 200);
    });

    it("GET /api/v1/groups/{groupId}/roles/{roleAssignmentId}", async () => {
      const params = await newGroupRole();
      expectConforms("GET", GROUP_ROLE, await call("GET", GROUP_ROLE, { params }), 200);
    });

    it("DELETE /api/v1/groups/{groupId}/roles/{roleAssignmentId}", async () => {
      const params = await newGroupRole();
      expectConforms("DELETE", GROUP_ROLE, await call("DELETE", GROUP_ROLE, { params }), 204);
    });

    it("GET /api/v1/iam/roles", async () => {
      const res = await call("GET", "/api/v1/iam/roles");
      expectConforms("GET", "/api/v1/iam/roles", res, 200);
      expect(((res.body as Json)["roles"] as Json[]).length).toBeGreaterThan(0);
    });

    it("GET /api/v1/iam/resource-sets", async () => {
      const res = await call("GET", "/api/v1/iam/resource-sets");
      expectConforms("GET", "/api/v1/iam/resource-sets", res, 200);
      expect(((res.body as Json)["resource-sets"] as Json[]).length).toBeGreaterThan(0);
    });

    it("GET /api/v1/iam/resource-sets/{resourceSetIdOrLabel}", async () => {
      const { resourceSetIdOrLabel } = await seededBinding();
      expectConforms("GET", RESOURCE_SET, await call("GET", RESOURCE_SET, { params: { resourceSetIdOrLabel } }), 200);
    });

    it("GET /api/v1/iam/resource-sets/{resourceSetIdOrLabel}/bindings", async () => {
      const { resourceSetIdOrLabel } = await seededBinding();
      const res = await call("GET", `${RESOURCE_SET}/bindings`, { params: { resourceSetIdOrLabel } });
      expectConforms("GET", `${RESOURCE_SET}/bindings`, res, 200);
      expect(((res.body as Json)["roles"] as Json[]).length).toBeGreaterThan(0);
    });

    it("GET /api/v1/iam/resource-sets/{resourceSetIdOrLabel}/bindings/{roleIdOrLabel}", async () => {
      const params = await seededBinding();
      expectConforms("GET", BINDING, await call("GET", BINDING, { params }), 200);
    });

    it("GET /api/v1/iam/resource-sets/{resourceSetIdOrLabel}/bindings/{roleIdOrLabel}/members", async () => {
      const params = await seededBinding();
      const res = await call("GET", `${BINDING}/members`, { params });
      expectConforms("GET", `${BINDING}/members`, res, 200);
      expect(((res.body as Json)["members"] as Json[]).length).toBeGreaterThan(0);
    });
  });

  describe("MFA factors", () => {
    it("GET /api/v1/users/{userId}/factors: every factor type and status the org enrols", async () => {
      const truth = await org.groundTruth();
      const enrolled = truth.users.filter((u) => u.factors.length > 0);
      const types = new Set<string>();
      const statuses = new Set<string>();
      for (const user of enrolled) {
        const factors = await list("/api/v1/users/{userId}/factors", {}, { userId: user.id });
        expect(factors.map((f) => f["id"])).toEqual(user.factors.map((f) => f.id));
        for (const f of factors) [types.add(String(f["factorType"])), statuses.add(String(f["status"]))];
      }
      expect(statuses).toEqual(new Set(["ACTIVE", "PENDING_ACTIVATION"]));
      expect(types.size).toBeGreaterThanOrEqual(5);
      const bare = truth.users.find((u) => u.factors.length === 0 && u.status === "ACTIVE");
      expect(await list("/api/v1/users/{userId}/factors", {}, { userId: bare!.id })).toEqual([]);
    });

    it("GET /api/v1/users/{userId}/factors/{factorId}", async () => {
      const user = (await org.groundTruth()).users.find((u) => u.factors.length > 0)!;
      const res = await call("GET", "/api/v1/users/{userId}/factors/{factorId}", { params: { userId: user.id, factorId: user.factors[0]!.id } });
      expectConforms("GET", "/api/v1/users/{userId}/factors/{factorId}", res, 200);
    });
  });

  describe("client app roles", () => {
    /** The seeded API Services apps' client ids, from the app listing (application_type "service"). */
    async function serviceClientIds(): Promise<string[]> {
      const apps = await list("/api/v1/apps", { limit: "200" });
      return apps
        .filter((a) => a["signOnMode"] === "OPENID_CONNECT" && ((a["settings"] as Json)["oauthClient"] as Json)["application_type"] === "service")
        .map((a) => String(((a["credentials"] as Json)["oauthClient"] as Json)["client_id"]));
    }

    it("GET /oauth2/v1/clients/{clientId}/roles: standard and custom roles, assignmentType CLIENT", async () => {
      const ids = await serviceClientIds();
      expect(ids.length).toBeGreaterThanOrEqual(4);
      const all: Json[] = [];
      for (const clientId of ids) {
        const res = await call("GET", CLIENT_ROLES, { params: { clientId } });
        expectConforms("GET", CLIENT_ROLES, res, 200);
        all.push(...(res.body as Json[]));
      }
      expect(new Set(all.map((r) => r["assignmentType"]))).toEqual(new Set(["CLIENT"]));
      expect(all.some((r) => r["type"] === "CUSTOM" && typeof r["resource-set"] === "string")).toBe(true);
      expect(all.some((r) => r["type"] === "SUPER_ADMIN")).toBe(true);
    });

    it("POST, GET and DELETE /oauth2/v1/clients/{clientId}/roles[/{roleAssignmentId}]", async () => {
      const [clientId] = await serviceClientIds();
      const created = await call("POST", CLIENT_ROLES, { params: { clientId: clientId! }, body: { type: "HELP_DESK_ADMIN" } });
      expectConforms("POST", CLIENT_ROLES, created, 200);
      const params = { clientId: clientId!, roleAssignmentId: String((created.body as Json)["id"]) };
      expectConforms("GET", CLIENT_ROLE, await call("GET", CLIENT_ROLE, { params }), 200);
      // Okta refuses a second assignment of the same standard role (409 E0000090), as for users.
      expect((await call("POST", CLIENT_ROLES, { params: { clientId: clientId! }, body: { type: "HELP_DESK_ADMIN" } })).status).toBe(409);
      expectConforms("DELETE", CLIENT_ROLE, await call("DELETE", CLIENT_ROLE, { params }), 204);
      expect((await call("GET", CLIENT_ROLE, { params })).status).toBe(404);
    });

    it("answers 404 for a client id no app has", async () => {
      expectConforms("GET", CLIENT_ROLES, await call("GET", CLIENT_ROLES, { params: { clientId: "0oanosuchclient00000" } }), 404);
    });
  });

  describe("devices", () => {
    it("GET /api/v1/devices with expand=user", async () => {
      const devices = await list("/api/v1/devices", { expand: "user", limit: "200" });
      expect(devices.length).toBeGreaterThan(0);
      const users = devices.flatMap((d) => ((d["_embedded"] as Json)["users"] as Json[]));
      expect(users.length).toBeGreaterThan(0);
    });

    it("GET /api/v1/devices/{deviceId}", async () => {
      const [device] = await list("/api/v1/devices", { limit: "1" });
      expectConforms("GET", "/api/v1/devices/{deviceId}", await call("GET", "/api/v1/devices/{deviceId}", { params: { deviceId: String(device?.["id"]) } }), 200);
    });

    it("GET /api/v1/devices/{deviceId}/users", async () => {
      const devices = await list("/api/v1/devices", { expand: "user" });
      const used = devices.find((d) => ((d["_embedded"] as Json)["users"] as Json[]).length > 0);
      const res = await call("GET", "/api/v1/devices/{deviceId}/users", { params: { deviceId: String(used?.["id"]) } });
      expectConforms("GET", "/api/v1/devices/{deviceId}/users", res, 200);
      expect((res.body as Json[]).length).toBeGreaterThan(0);
    });
  });

  describe("group rules", () => {
    it("GET /api/v1/groups/rules with expand=groupIdToGroupNameMap", async () => {
      const rules = await list("/api/v1/groups/rules", { expand: "groupIdToGroupNameMap", limit: "200" });
      expect(rules.length).toBeGreaterThan(2);
      expect(new Set(rules.map((r) => r["status"]))).toEqual(new Set(["ACTIVE", "INACTIVE"]));
      const names = (rules[0]?.["_embedded"] as Json)["groupIdToGroupNameMap"] as Json;
      expect(Object.keys(names)).toEqual(((rules[0]?.["actions"] as Json)["assignUserToGroups"] as Json)["groupIds"]);
    });

    it("GET /api/v1/groups/rules/{groupRuleId}", async () => {
      const [rule] = await list("/api/v1/groups/rules", { limit: "1" });
      expectConforms("GET", "/api/v1/groups/rules/{groupRuleId}", await call("GET", "/api/v1/groups/rules/{groupRuleId}", { params: { groupRuleId: String(rule?.["id"]) } }), 200);
    });
  });

  describe("api tokens", () => {
    it("GET /api/v1/api-tokens, paged by Link", async () => {
      const first = await call("GET", "/api/v1/api-tokens", { query: { limit: "2" } });
      expectConforms("GET", "/api/v1/api-tokens", first, 200);
      expect((first.body as Json[]).length).toBe(2);
      const rest = await list("/api/v1/api-tokens", { limit: "200", after: String((first.body as Json[])[1]?.["id"]) });
      expect(rest.length).toBeGreaterThan(0);
      // Every token window the generator uses must pass Okta's TimeDuration.
      const windows = new Set([...(first.body as Json[]), ...rest].map((t) => t["tokenWindow"]));
      expect(windows.size).toBeGreaterThan(1);
    });

    it("GET /api/v1/api-tokens/{apiTokenId}", async () => {
      const [token] = await list("/api/v1/api-tokens", { limit: "1" });
      expectConforms("GET", "/api/v1/api-tokens/{apiTokenId}", await call("GET", "/api/v1/api-tokens/{apiTokenId}", { params: { apiTokenId: String(token?.["id"]) } }), 200);
    });

    it("GET /api/v1/api-tokens as an admin who may not list them: 403", async () => {
      expectConforms("GET", "/api/v1/api-tokens", await call("GET", "/api/v1/api-tokens", { token: "app_group_admin" }), 403);
    });
  });

  describe("system log", () => {
    it("GET /api/v1/logs", async () => {
      const since = new Date(Date.now() - 24 * 3600_000).toISOString();
      expect((await list("/api/v1/logs", { since, limit: "100" })).length).toBeGreaterThan(0);
      const memberships = await list("/api/v1/logs", { since, filter: 'eventType eq "group.user_membership.add"' });
      expect(memberships.every((event) => event["eventType"] === "group.user_membership.add")).toBe(true);
    });
  });

  describe("errors", () => {
    it("404 on an unknown user is an Okta Error", async () => {
      const res = await call("GET", "/api/v1/users/{id}", { params: { id: "00u0000000000000nope" } });
      expectConforms("GET", "/api/v1/users/{id}", res, 404);
      expect(res.body).toMatchObject({ errorCode: "E0000007", errorCauses: [] });
    });

    it("403 on roles for a read-only admin is an Okta Error", async () => {
      const [user] = await list("/api/v1/users", { limit: "1" });
      const res = await call("GET", "/api/v1/users/{userId}/roles", { params: { userId: String(user?.["id"]) }, token: "read_only" });
      expectConforms("GET", "/api/v1/users/{userId}/roles", res, 403);
      expect(res.body).toMatchObject({ errorCode: "E0000006" });
    });

    it("401 on an unknown token is an Okta Error", async () => {
      const res = await call("GET", "/api/v1/users", { authorization: "SSWS not-a-token" });
      expect(res.status).toBe(401);
      // listUsers declares no 401; every Okta 401 carries the shared Error schema (E0000011).
      expect(spec.validate("Error", res.body).errors).toEqual([]);
      expect(res.body).toMatchObject({ errorCode: "E0000011" });
    });

    it("400 on malformed JSON is an Okta Error", async () => {
      const res = await call("POST", "/api/v1/groups", { rawBody: "{not json" });
      expectConforms("POST", "/api/v1/groups", res, 400);
      expect(res.body).toMatchObject({ errorCode: "E0000003" });
    });
  });
});

describe.skipIf(!validator)("the spec validator itself rejects what Okta would not send", () => {
  const spec = validator as OktaSpecValidator;
  const user = {
    id: "00u1abcdEFGHijkl0h7", status: "ACTIVE", created: "2024-01-02T03:04:05.000Z", lastUpdated: "2024-01-02T03:04:05.000Z",
    activated: null, statusChanged: null, lastLogin: null, passwordChanged: null,
    profile: { firstName: "Zoë", lastName: "Ångström", email: "zoe@example.com", login: "zoe@example.com", mobilePhone: null },
    credentials: { provider: { type: "OKTA", name: "OKTA" } },
  };

  it("accepts a realistic user, with Okta's nulls", () => {
    expect(spec.validateResponse("GET", "/api/v1/users", 200, [user]).errors).toEqual([]);
  });

  it("rejects an unknown user status and a null where the spec allows none", () => {
    expect(spec.validate("User", { ...user, status: "ENABLED" }).ok).toBe(false);
    expect(spec.validate("User", { ...user, created: null }).ok).toBe(false);
  });

  it("rejects errorCauses as an object, which the SDK turns into a plain HttpError", () => {
    const error = { errorCode: "E0000007", errorSummary: "Not found", errorLink: "E0000007", errorId: "oae1", errorCauses: {} };
    expect(spec.validateResponse("GET", "/api/v1/users/00u1", 404, error).ok).toBe(false);
    expect(spec.validateResponse("GET", "/api/v1/users/00u1", 404, { ...error, errorCauses: [] }).ok).toBe(true);
  });

  it("dispatches role assignments on type: a CUSTOM role without its resource-set shape still passes, a bogus type fails", () => {
    const standard = { id: "ra1abcd", type: "SUPER_ADMIN", label: "Super Administrator", status: "ACTIVE", assignmentType: "USER" };
    const custom = { id: "irb1abcd", type: "CUSTOM", label: "Auditor", status: "ACTIVE", assignmentType: "GROUP", role: "cr0abcd", "resource-set": "iamabcd" };
    expect(spec.validateResponse("GET", "/api/v1/users/{userId}/roles", 200, [standard, custom]).errors).toEqual([]);
    expect(spec.validateResponse("GET", "/api/v1/users/{userId}/roles", 200, [{ ...standard, type: "ROOT" }]).ok).toBe(false);
  });

  it("checks an app against its signOnMode subtype", () => {
    const bookmark = { id: "0oa1abcd", name: "bookmark", label: "Wiki", status: "ACTIVE", signOnMode: "BOOKMARK", settings: { app: { url: "https://wiki.example.com" } } };
    expect(spec.validateResponse("GET", "/api/v1/apps/{appId}", 200, bookmark).errors).toEqual([]);
    expect(spec.validateResponse("GET", "/api/v1/apps/{appId}", 200, { ...bookmark, settings: undefined }).ok).toBe(false);
  });

  it("checks ISO 8601 durations with TimeDuration as Okta means it, not as its broken pattern reads", () => {
    for (const ok of ["P30D", "PT5M", "PT12H", "P1Y2M3W4DT5H6M7S"]) expect(spec.validate("TimeDuration", ok).errors, ok).toEqual([]);
    for (const bad of ["P", "PT", "30 days", "P30DT", "p30d"]) expect(spec.validate("TimeDuration", bad).ok, bad).toBe(false);
  });

  it("declares no body for a 204", () => {
    expect(spec.validateResponse("DELETE", "/api/v1/groups/00g1/users/00u1", 204, undefined).ok).toBe(true);
    expect(spec.validateResponse("DELETE", "/api/v1/groups/00g1/users/00u1", 204, { id: "x" }).ok).toBe(false);
  });
});

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
