import { afterEach, describe, expect, it } from "vitest";
import { createOktaClient, describeMissingCapability, probeCapabilities, type OktaCapability } from "../../src/okta/index.js";
import { oktaError, sendJson, startScriptedOkta, type ScriptedOkta } from "./support/scripted-okta.js";

/**
 * A scripted org with the simulator's permission table: the token names its level. Any write is
 * refused with 405 and recorded, so a probe that sends one fails the call-list assertions.
 */
type Level = "read_only" | "app_group_admin" | "super_admin" | "no_role" | "empty_org_super_admin";

let server: ScriptedOkta | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function probeAs(level: Level): Promise<{ result: Awaited<ReturnType<typeof probeCapabilities>>; calls: string[] }> {
  server = await startScriptedOkta((req, res) => {
    const token = String(req.headers.authorization).replace("SSWS ", "") as Level;
    const path = (req.url ?? "").split("?")[0] ?? "";
    const forbidden = (): void => sendJson(res, 403, oktaError("E0000006", "You do not have permission to perform the requested action"));
    if (req.method === "GET" && (path === "/api/v1/users" || path === "/api/v1/groups")) {
      if (token === "no_role" || token === "empty_org_super_admin") {
        return sendJson(res, 200, path === "/api/v1/groups" && token === "empty_org_super_admin" ? [{ id: "00gEveryone", type: "BUILT_IN" }] : []);
      }
      return sendJson(res, 200, [{ id: path === "/api/v1/users" ? "00u1" : "00g1" }]);
    }
    if (path === "/api/v1/iam/assignees/users") {
      return token === "super_admin" || token === "empty_org_super_admin" ? sendJson(res, 200, { value: [], _links: {} }) : forbidden();
    }
    if (req.method !== "GET") return sendJson(res, 405, oktaError("E0000022", "The endpoint does not support the provided HTTP method"));
    return forbidden();
  });
  const client = createOktaClient({ orgUrl: server.url, auth: { kind: "ssws", token: level }, maxRetries: 0 });
  const result = await probeCapabilities(client);
  return { result, calls: server.requests.map((r) => `${r.method} ${r.url}`) };
}

describe("probeCapabilities", () => {
  // Group and app writes of a credential that cannot read roles stay unknown: no read tells a Group
  // Administrator from a Read-only Administrator, and the probe never writes to find out.
  const rows: [Level, OktaCapability[], OktaCapability[], boolean][] = [
    ["read_only", ["readRoles", "writeRoles", "writeUsers"], ["writeGroups", "writeApps"], false],
    ["app_group_admin", ["readRoles", "writeRoles", "writeUsers"], ["writeGroups", "writeApps"], false],
    ["super_admin", [], [], false],
    ["no_role", ["listUsers", "readRoles", "writeGroups", "writeApps", "writeRoles", "writeUsers"], [], true],
    ["empty_org_super_admin", [], [], false],
  ];
  it.each(rows)("%s is missing %j, unknown %j", async (level, missing, unknown, noAdminRole) => {
    const { result } = await probeAs(level);
    expect(result.missing).toEqual(missing);
    expect(result.unknown).toEqual(unknown);
    expect(result.noAdminRole).toBe(noAdminRole);
  });

  it.each(["read_only", "app_group_admin", "super_admin"] as const)("costs two GETs for %s and sends no write", async (level) => {
    const { calls } = await probeAs(level);
    expect(calls).toEqual(["GET /api/v1/users?limit=1", "GET /api/v1/iam/assignees/users?limit=1"]);
  });

  it("detects the credential without an admin role with one extra call and stops there", async () => {
    const { calls, result } = await probeAs("no_role");
    expect(calls).toEqual(["GET /api/v1/users?limit=1", "GET /api/v1/groups?limit=1"]);
    expect(result.listUsers).toMatchObject({
      status: "missing",
      requiredRole: "Read-only Administrator",
      reason: "Okta answered 200 [] for /api/v1/users and /api/v1/groups: the credential has no admin role",
    });
  });

  it("names the admin role that would grant each missing capability", async () => {
    const { result } = await probeAs("read_only");
    expect(result.readRoles).toMatchObject({ status: "missing", requiredRole: "Super Administrator", requiredScope: "okta.roles.read" });
    expect(result.writeGroups).toMatchObject({ status: "unknown", requiredRole: "Group Administrator" });
    expect(result.writeApps).toMatchObject({ status: "unknown", requiredRole: "App Administrator" });
    expect(result.writeRoles).toMatchObject({ status: "missing", requiredRole: "Super Administrator", reason: expect.stringContaining("E0000006") });
    expect(describeMissingCapability(result.readRoles, "ssws")).toBe(
      "readRoles is not available (HTTP 403 E0000006 on GET /api/v1/iam/assignees/users); use an API token created by a Super Administrator",
    );
    expect(describeMissingCapability(result.writeApps, "oauth")).toMatch(/assign the App Administrator role to the service app and grant the okta\.apps\.manage scope$/);
    expect(describeMissingCapability(result.writeUsers, "ssws")).toMatch(/^writeUsers is not available \(only a Super Administrator may, .*\); use an API token created by a Super Administrator$/);
  });

  it("throws an invalid token instead of reporting capabilities", async () => {
    server = await startScriptedOkta((_req, res) => sendJson(res, 401, oktaError("E0000011", "Invalid token provided")));
    const client = createOktaClient({ orgUrl: server.url, auth: { kind: "ssws", token: "revoked" }, maxRetries: 0 });
    await expect(probeCapabilities(client)).rejects.toMatchObject({ kind: "unauthenticated", errorCode: "E0000011" });
  });
});
