import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOktaClient, probeCapabilities, type OktaAuth, type OktaCapability } from "../../src/okta/index.js";
import { startFakeOkta, type AdminLevel, type FakeOkta } from "../fake-okta/index.js";

/** The read-only capability probe against the simulator's permission table, for every credential it issues. */
let fake: FakeOkta;
let empty: FakeOkta;

beforeAll(async () => {
  [fake, empty] = await Promise.all([startFakeOkta({ seed: 11, users: 50 }), startFakeOkta({ seed: 11, empty: true })]);
});
afterAll(async () => {
  await Promise.all([fake?.close(), empty?.close()]);
});

function auth(org: FakeOkta, kind: OktaAuth["kind"], level: AdminLevel): OktaAuth {
  if (kind === "ssws") return { kind, token: org.tokens[level] };
  const app = org.oauthClients[level];
  return { kind, clientId: app.clientId, privateKeyPem: app.privateKeyPem, scopes: app.scopes };
}

const ALL: OktaCapability[] = ["listUsers", "readRoles", "writeGroups", "writeApps", "writeRoles", "writeUsers"];
const NOT_SUPER: OktaCapability[] = ["readRoles", "writeRoles", "writeUsers"];

/**
 * Missing and unknown per level. An SSWS token that cannot read roles leaves group and app writes
 * unknown (the first real write decides); an OAuth token says it through its granted scopes: the
 * read-only app holds no `*.manage` scope, so its writes are known missing without any write.
 */
const EXPECTED: Record<OktaAuth["kind"], [AdminLevel, OktaCapability[], OktaCapability[], boolean][]> = {
  ssws: [
    ["read_only", NOT_SUPER, ["writeGroups", "writeApps"], false],
    ["app_group_admin", NOT_SUPER, ["writeGroups", "writeApps"], false],
    ["super_admin", [], [], false],
    ["no_role", ALL, [], true],
  ],
  oauth: [
    ["read_only", ["readRoles", "writeGroups", "writeApps", "writeRoles", "writeUsers"], [], false],
    ["app_group_admin", NOT_SUPER, ["writeGroups", "writeApps"], false],
    ["super_admin", [], [], false],
    ["no_role", ALL, [], true],
  ],
};

describe.each(["ssws", "oauth"] as const)("probeCapabilities with %s credentials", (kind) => {
  it.each(EXPECTED[kind])("%s is missing %j, unknown %j", async (level, missing, unknown, noAdminRole) => {
    const client = createOktaClient({ orgUrl: fake.url, auth: auth(fake, kind, level) });
    fake.resetStats();
    const logged = fake.requestLog().length;
    const result = await probeCapabilities(client);
    expect(result.missing).toEqual(missing);
    expect(result.unknown).toEqual(unknown);
    expect(result.noAdminRole).toBe(noAdminRole);
    // Two GETs (users, then roles or, when the credential sees nothing, groups), plus the OAuth token.
    const apiCalls = Object.entries(fake.stats().buckets).filter(([bucket]) => bucket !== "token").reduce((sum, [, c]) => sum + c.calls, 0);
    expect(apiCalls).toBe(2);
    const sent = fake.requestLog().slice(logged).map((entry) => `${entry.method} ${entry.path.split("?")[0]}`);
    expect(sent.filter((call) => call !== "POST /oauth2/v1/token")).toEqual(
      noAdminRole ? ["GET /api/v1/users", "GET /api/v1/groups"] : ["GET /api/v1/users", "GET /api/v1/iam/assignees/users"],
    );
  });
});

describe("probeCapabilities on an empty org", () => {
  it("tells an org with no users from a credential with no admin role (the Everyone group exists)", async () => {
    const client = createOktaClient({ orgUrl: empty.url, auth: auth(empty, "ssws", "super_admin") });
    const result = await probeCapabilities(client);
    expect(result).toMatchObject({ noAdminRole: false, missing: [] });
  });
});
