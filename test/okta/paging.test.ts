import { afterEach, describe, expect, it } from "vitest";
import { createOktaApi, createOktaClient, fetchIamPage, fetchPage, isOktaError, type OktaClient, type OktaError } from "../../src/okta/index.js";
import { oktaError, sendJson, startScriptedOkta, type ScriptedOkta } from "./support/scripted-okta.js";

let server: ScriptedOkta | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const USERS = ["00u1", "00u2", "00u3", "00u4", "00u5"].map((id) => ({ id, status: "ACTIVE", profile: { login: `${id}@example.com` } }));
const ROLES = ["cr01", "cr02", "cr03"].map((id) => ({ id, label: `Role ${id}` }));

/** Pages `items` the way Okta does: `limit` and `after` (the last id), an absolute next link keeping the query. */
function pageOf<T extends { id: string }>(items: T[], url: URL, baseUrl: string, defaultLimit: number): { page: T[]; next?: string } {
  const limit = Number(url.searchParams.get("limit") ?? defaultLimit);
  const after = url.searchParams.get("after");
  const start = after === null ? 0 : items.findIndex((item) => item.id === after) + 1;
  const page = items.slice(start, start + limit);
  if (start + limit >= items.length) return { page };
  const next = new URL(url.pathname, baseUrl);
  url.searchParams.forEach((value, key) => key !== "after" && next.searchParams.set(key, value));
  next.searchParams.set("after", page[page.length - 1]!.id);
  return { page, next: next.toString() };
}

async function start(): Promise<{ client: OktaClient; server: ScriptedOkta }> {
  server = await startScriptedOkta((req, res, { baseUrl }) => {
    const url = new URL(req.url ?? "/", baseUrl);
    if (url.pathname === "/api/v1/users") {
      const { page, next } = pageOf(USERS, url, baseUrl, 200);
      const self = `<${baseUrl}${req.url}>; rel="self"`;
      return sendJson(res, 200, page, { Link: next ? `${self}, <${next}>; rel="next"` : self });
    }
    if (url.pathname === "/api/v1/iam/roles") {
      const { page, next } = pageOf(ROLES, url, baseUrl, 2);
      return sendJson(res, 200, { roles: page, _links: { self: { href: `${baseUrl}${req.url}` }, ...(next ? { next: { href: next } } : {}) } });
    }
    if (url.pathname === "/api/v1/apps/0oa1/users/00u9" && req.method === "DELETE") {
      return sendJson(res, 403, oktaError("E0000046", "Deactivate application for user forbidden."));
    }
    if (url.pathname === "/api/v1/groups/00g1/users/00u1") {
      res.writeHead(204, { "X-Okta-Request-Id": "r" });
      return res.end();
    }
    if (url.pathname === "/api/v1/broken") return sendJson(res, 200, { not: "an array" });
    return sendJson(res, 404, oktaError("E0000007", `Not found: Resource not found: ${url.pathname}`));
  });
  const client = createOktaClient({ orgUrl: server.url, auth: { kind: "ssws", token: "tok" }, maxRetries: 0 });
  return { client, server };
}

describe("Link-header paging", () => {
  it("pages users two at a time, handing back Okta's after cursor, and resumes from it", async () => {
    const { client, server } = await start();
    const api = createOktaApi(client);
    const first = await api.users.listUsers({ limit: 2, includeDeprovisioned: true });
    expect(first).toEqual({ items: USERS.slice(0, 2), after: "00u2" });
    const second = await api.users.listUsers({ limit: 2, includeDeprovisioned: true, after: first.after });
    expect(second).toEqual({ items: USERS.slice(2, 4), after: "00u4" });
    const last = await api.users.listUsers({ limit: 2, includeDeprovisioned: true, after: second.after });
    expect(last).toEqual({ items: USERS.slice(4) });
    expect(server.requests.map((r) => r.url)).toEqual([
      "/api/v1/users?search=status%20pr&limit=2",
      "/api/v1/users?search=status%20pr&limit=2&after=00u2",
      "/api/v1/users?search=status%20pr&limit=2&after=00u4",
    ]);
    expect(server.requests[0]?.headers["content-type"]).toBe('application/json; okta-response="omitCredentials,omitCredentialsLinks"');
  });

  it("asks for the endpoint maximum by default and leaves DEPROVISIONED out unless asked", async () => {
    const { client, server } = await start();
    const page = await createOktaApi(client).users.listUsers();
    expect(page).toEqual({ items: USERS });
    expect(server.requests[0]?.url).toBe("/api/v1/users?limit=200");
  });

  it("refuses a cursor that could not have come from Okta before sending anything", async () => {
    const { client, server } = await start();
    await expect(createOktaApi(client).users.listUsers({ after: "x\r\nHost: evil" })).rejects.toMatchObject({ kind: "invalid" });
    expect(server.requests).toHaveLength(0);
  });

  it("treats a non-array answer as unavailable rather than an empty page", async () => {
    const { client } = await start();
    await expect(fetchPage(client, "/api/v1/broken", {})).rejects.toMatchObject({ kind: "unavailable" });
  });
});

describe("IAM paging", () => {
  it("follows _links.next.href in the wrapper body", async () => {
    const { client, server } = await start();
    const roles = createOktaApi(client).roles;
    const first = await roles.listCustomRoles();
    expect(first).toEqual({ items: ROLES.slice(0, 2), after: "cr02" });
    expect(await roles.listCustomRoles({ after: first.after })).toEqual({ items: ROLES.slice(2) });
    expect(server.requests.map((r) => r.url)).toEqual(["/api/v1/iam/roles", "/api/v1/iam/roles?after=cr02"]);
  });

  it("refuses a wrapper without the expected items key", async () => {
    const { client } = await start();
    await expect(fetchIamPage(client, "/api/v1/iam/roles", "value", {})).rejects.toMatchObject({
      kind: "unavailable",
      message: '/api/v1/iam/roles answered an object without a "value" array',
    });
  });
});

describe("API calls", () => {
  it("validates ids before any request", async () => {
    const { client, server } = await start();
    const api = createOktaApi(client);
    await expect(api.groups.addGroupMember("00g1/../..", "00u1")).rejects.toMatchObject({ kind: "invalid", errorSummary: "groupId" });
    await expect(api.apps.getAppUser("0oa1", "00u1?x=1")).rejects.toMatchObject({ kind: "invalid", errorSummary: "userId" });
    await expect(api.roles.unassignRoleFromUser("00u1", "%2e%2e")).rejects.toMatchObject({ kind: "invalid", errorSummary: "roleAssignmentId" });
    await expect(api.roles.assignRoleToUser("00u1", { type: "super admin" })).rejects.toMatchObject({ kind: "invalid", errorSummary: "role.type" });
    expect(server.requests).toHaveLength(0);
  });

  it("resolves a 204 membership write to undefined", async () => {
    const { client, server } = await start();
    await expect(createOktaApi(client).groups.addGroupMember("00g1", "00u1")).resolves.toBeUndefined();
    expect(server.requests[0]).toMatchObject({ method: "PUT", url: "/api/v1/groups/00g1/users/00u1", body: "" });
    expect(server.requests[0]?.headers["content-length"]).toBe("0");
  });

  it("reports a group-derived app assignment as its own kind (403 E0000046)", async () => {
    const { client } = await start();
    let error: OktaError | undefined;
    try {
      await createOktaApi(client).apps.unassignUserFromApp("0oa1", "00u9");
    } catch (thrown) {
      if (isOktaError(thrown)) error = thrown;
    }
    expect(error).toMatchObject({ kind: "group-derived-assignment", status: 403, errorCode: "E0000046" });
  });

  it("maps 404 E0000007 to not-found", async () => {
    const { client } = await start();
    await expect(createOktaApi(client).groups.getGroup("00gMissing")).rejects.toMatchObject({ kind: "not-found", errorCode: "E0000007" });
  });
});
