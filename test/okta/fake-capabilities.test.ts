import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOktaClient, probeCapabilities, type OktaAuth, type OktaCapability } from "../../src/okta/index.js";
import { startFakeOkta, type AdminLevel, type FakeOkta } from "../fake-okta/index.js";

/** The capability probe against the simulator's permission table, for every credential it issues. */
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

const EXPECTED: [AdminLevel, OktaCapability[], boolean][] = [
  ["read_only", ["readRoles", "writeGroups", "writeApps"], false],
  ["app_group_admin", ["readRoles"], false],
  ["super_admin", [], false],
  ["no_role", ["listUsers", "readRoles", "writeGroups", "writeApps"], true],
];

describe.each(["ssws", "oauth"] as const)("probeCapabilities with %s credentials", (kind) => {
  it.each(EXPECTED)("%s is missing %j", async (level, missing, noAdminRole) => {
    const client = createOktaClient({ orgUrl: fake.url, auth: auth(fake, kind, level) });
    fake.resetStats();
    const logged = fake.requestLog().length;
    const result = await probeCapabilities(client);
    expect(result.missing).toEqual(missing);
    expect(result.noAdminRole).toBe(noAdminRole);
    // Four probes, or two when the credential sees nothing; plus the OAuth token handshake.
    const apiCalls = Object.entries(fake.stats().buckets).filter(([bucket]) => bucket !== "token").reduce((sum, [, c]) => sum + c.calls, 0);
    expect(apiCalls).toBe(noAdminRole ? 2 : 4);
    // The probes change nothing.
    const writes = fake.requestLog().slice(logged).filter((entry) => entry.path.startsWith("/api/") && entry.method !== "GET");
    expect(writes.map((entry) => entry.status).sort()).toEqual(noAdminRole ? [] : missing.includes("writeGroups") ? [403, 403] : [404, 404]);
  });
});

describe("probeCapabilities on an empty org", () => {
  it("tells an org with no users from a credential with no admin role (the Everyone group exists)", async () => {
    const client = createOktaClient({ orgUrl: empty.url, auth: auth(empty, "ssws", "super_admin") });
    const result = await probeCapabilities(client);
    expect(result).toMatchObject({ noAdminRole: false, missing: [] });
  });
});
