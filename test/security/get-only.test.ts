import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Capability } from "../../gen/c1/connector/v2/connector_pb.js";
import type { ConnectorClients } from "../../src/engine/connector-client.js";
import { type AdminLevel, type FakeOkta, type GroundTruth, type RequestLogEntry, startFakeOkta } from "../fake-okta/index.js";
import { listedEntitlement, listedResource } from "../provisioning/support/provisioning-connector.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { collectSync, startConnector } from "../support/sync-helpers.js";

/**
 * "GET only unless provisioning" (docs/security.md, issue 13 item 2): every request the simulated
 * org receives while the connector starts, validates, describes itself and syncs, streamed and
 * paged, is a GET, or the OAuth token POST. That holds with --provisioning too until a Grant is
 * asked for; then the Grant's own write is the only one, and whether the credential may make it is
 * learnt from reads or from that write's answer, never from a write sent to find out.
 */
let fake: FakeOkta;
let truth: GroundTruth;
let keyDir: string;

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 13, users: 40 });
  truth = await fake.groundTruth();
  keyDir = mkdtempSync(join(tmpdir(), "okta-connector-get-only-"));
}, 120_000);

afterAll(async () => {
  await fake?.close();
  if (keyDir) rmSync(keyDir, { recursive: true, force: true });
});

type Credential = readonly ["ssws" | "oauth", Exclude<AdminLevel, "no_role">];

const CREDENTIALS: readonly Credential[] = [
  ["ssws", "read_only"],
  ["ssws", "app_group_admin"],
  ["ssws", "super_admin"],
  ["oauth", "read_only"],
  ["oauth", "app_group_admin"],
  ["oauth", "super_admin"],
];

/** How the connector is given the credential: a token through the environment, or an OAuth app asking for every scope it holds. */
function credentialOptions([kind, level]: Credential): { token?: string; args: string[] } {
  if (kind === "ssws") return { token: fake.tokens[level], args: [] };
  const app = fake.oauthClients[level];
  const keyFile = join(keyDir, `${level}.pem`);
  writeFileSync(keyFile, app.privateKeyPem, { mode: 0o600 });
  return { args: ["--okta-client-id", app.clientId, "--okta-private-key-file", keyFile, "--okta-scopes", app.scopes.join(",")] };
}

/** Runs `okta-connector serve` with the credential and returns what Okta received meanwhile, once it has stopped. */
async function oktaRequestsDuring(credential: Credential, provisioning: boolean, run: (clients: ConnectorClients) => Promise<void>): Promise<RequestLogEntry[]> {
  const from = fake.requestLog().length;
  const { token, args } = credentialOptions(credential);
  // --sync-secrets: the API token probe and listing must be reads like every other listing.
  const connector = await startConnector(fake, { ...(token === undefined ? {} : { token }), flags: { syncSecrets: true }, args: [...args, ...(provisioning ? ["--provisioning"] : [])] });
  try {
    await run(connector.clients);
  } finally {
    await connector.stop();
  }
  return fake.requestLog().slice(from);
}

/** Validate, GetMetadata, a whole streamed Sync and a whole paged sync: everything an engine reads. */
async function readEverything(clients: ConnectorClients): Promise<void> {
  await clients.connector.validate({});
  await clients.connector.getMetadata({});
  let batches = 0;
  let summary = false;
  for await (const message of clients.stream.sync({})) {
    if (message.event.case === "batch") batches++;
    if (message.event.case === "summary") summary = true;
  }
  expect(summary).toBe(true);
  expect(batches).toBeGreaterThan(3);
  const paged = await collectSync(clients);
  expect(paged.grants.length).toBeGreaterThan(0);
}

const isTokenRequest = (e: RequestLogEntry): boolean => e.method === "POST" && e.path === "/oauth2/v1/token";
/** Every request that is neither a GET nor the OAuth token request, as `METHOD path status`. */
const nonGets = (log: readonly RequestLogEntry[]): string[] =>
  log.filter((e) => e.method !== "GET" && !isTokenRequest(e)).map((e) => `${e.method} ${e.path} ${e.status}`);

describe.each([
  ["without --provisioning", false],
  ["with --provisioning and no Grant", true],
] as const)("%s", (_name, provisioning) => {
  it.each(CREDENTIALS)("%s %s: start-up, Validate, GetMetadata, a streamed and a paged sync send Okta only GETs", { timeout: 120_000 }, async (...credential) => {
    const log = await oktaRequestsDuring(credential, provisioning, readEverything);
    expect(log.filter((e) => e.method === "GET").length).toBeGreaterThan(20);
    expect(nonGets(log)).toEqual([]);
    if (credential[0] === "oauth") expect(log.some(isTokenRequest)).toBe(true);
  });
});

/** An OKTA_GROUP the user is not in and an active app the user lacks. */
function targets(userIndex: number) {
  const users = truth.users.filter((u) => u.status === "ACTIVE");
  const user = users[userIndex % users.length]!;
  const group = truth.groups.find((g) => g.type === "OKTA_GROUP" && !g.memberIds.includes(user.id))!;
  const app = truth.apps.find((a) => a.status === "ACTIVE" && !a.users.some((x) => x.userId === user.id))!;
  return { user, group, app };
}

/** Grants group membership and app access through the connector; returns each call's failure, or undefined. */
async function grantBoth(clients: ConnectorClients, { user, group, app }: ReturnType<typeof targets>) {
  const principal = await listedResource(clients, "user", user.id);
  const attempt = async (type: string, id: string, slug: string) => {
    const entitlement = await listedEntitlement(clients, type, id, slug);
    try {
      await clients.grantManager.grant({ entitlement, principal });
      return undefined;
    } catch (error) {
      return ConnectError.from(error);
    }
  };
  return { group: await attempt("group", group.id, "member"), app: await attempt("app", app.id, "access") };
}

describe("with --provisioning, a Grant", { timeout: 120_000 }, () => {
  it("app_group_admin SSWS token: the Grant's own write is the only one, and it succeeds", async () => {
    const target = targets(1);
    let results: Awaited<ReturnType<typeof grantBoth>> | undefined;
    const log = await oktaRequestsDuring(["ssws", "app_group_admin"], true, async (clients) => {
      results = await grantBoth(clients, target);
    });
    expect(results).toEqual({ group: undefined, app: undefined });
    expect(nonGets(log)).toEqual([
      `PUT /api/v1/groups/${target.group.id}/users/${target.user.id} 204`,
      `POST /api/v1/apps/${target.app.id}/users 200`,
    ]);
    const now = await fake.groundTruth();
    expect(now.groups.find((g) => g.id === target.group.id)!.memberIds).toContain(target.user.id);
    expect(now.apps.find((a) => a.id === target.app.id)!.users.some((u) => u.userId === target.user.id)).toBe(true);
  });

  it("read_only SSWS token: PERMISSION_DENIED naming the role after Okta's 403; GetMetadata then withholds PROVISION, and Okta still decides each later call", async () => {
    const target = targets(2);
    let first: Awaited<ReturnType<typeof grantBoth>> | undefined;
    let retry: Awaited<ReturnType<typeof grantBoth>> | undefined;
    let retryLog: RequestLogEntry[] = [];
    let advertisedAfter: Capability[] | undefined;
    const log = await oktaRequestsDuring(["ssws", "read_only"], true, async (clients) => {
      first = await grantBoth(clients, target);
      const from = fake.requestLog().length;
      retry = await grantBoth(clients, target);
      retryLog = fake.requestLog().slice(from);
      const metadata = (await clients.connector.getMetadata({})).metadata;
      advertisedAfter = metadata?.capabilities?.resourceTypeCapabilities.find((c) => c.resourceType?.id === "group")?.capabilities;
    });
    for (const [result, role] of [[first?.group, "Group Administrator"], [first?.app, "App Administrator"], [retry?.group, "Group Administrator"], [retry?.app, "App Administrator"]] as const) {
      expect(result?.code).toBe(Code.PermissionDenied);
      expect(result?.rawMessage).toContain(`needs the ${role} role in Okta`);
    }
    // The refused writes are the Grants' own: no write is made to probe, before or after. The retry
    // goes to Okta again because a Group or App Administrator may be scoped to some targets only, and
    // a 403 on one says nothing of the next; Okta refuses it again and applies nothing.
    const refused = [
      `PUT /api/v1/groups/${target.group.id}/users/${target.user.id} 403`,
      `POST /api/v1/apps/${target.app.id}/users 403`,
    ];
    expect(nonGets(log)).toEqual([...refused, ...refused]);
    expect(nonGets(retryLog)).toEqual(refused);
    expect(advertisedAfter).not.toContain(Capability.PROVISION);
  });

  it("read_only OAuth app: refused before any write, learnt from the token's granted scopes", async () => {
    const target = targets(3);
    let results: Awaited<ReturnType<typeof grantBoth>> | undefined;
    const log = await oktaRequestsDuring(["oauth", "read_only"], true, async (clients) => {
      results = await grantBoth(clients, target);
    });
    expect(results?.group?.code).toBe(Code.PermissionDenied);
    expect(results?.group?.rawMessage).toContain("okta.groups.manage");
    expect(results?.app?.rawMessage).toContain("okta.apps.manage");
    expect(nonGets(log)).toEqual([]);
  });
});
