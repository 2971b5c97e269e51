import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SecretTraitSchema } from "../../gen/c1/connector/v2/annotation_trait_pb.js";
import { ResourceGetterService, ResourceSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import { createConnectorTransport } from "../../src/engine/connector-client.js";
import { pick } from "../../src/protocol/annotations.js";
import { CoverageReason, type SyncSummary } from "../../gen/oktaconnector/v1/stream_pb.js";
import { startFakeOkta, type FakeOkta, type GroundTruth } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { startConnector, syncOnce, type SyncFlags } from "../support/sync-helpers.js";
import { expectSyncToMatch } from "./support/compare-sync.js";
import { expectedSync } from "./support/expected-sync.js";

/**
 * --sync-secrets on an org with 450 API tokens (three pages of 200): the whole sync must match the
 * ground truth with and without the flag, each token is a SECRET resource naming its owner, the tokens
 * are read in ⌈tokens / 200⌉ calls after one limit=1 probe, and a credential Okta refuses the listing
 * gets a missing-permission gap and an otherwise whole sync.
 */
let fake: FakeOkta;
let truth: GroundTruth;

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 16, users: 200, apiTokens: 450 });
  truth = await fake.groundTruth();
}, 120_000);

afterAll(async () => {
  await fake?.close();
});

const tokenPath = /^\/api\/v1\/api-tokens(\?|$)/;
const isProbe = (path: string) => /[?&]limit=1(&|$)/.test(path);
/** API token calls since `since` in the request log: listings, probes and gets. */
function tokenCalls(since: number) {
  const log = fake.requestLog().slice(since);
  return {
    listings: log.filter((e) => tokenPath.test(e.path) && !isProbe(e.path)).length,
    probes: log.filter((e) => tokenPath.test(e.path) && isProbe(e.path)).length,
    gets: log.filter((e) => /^\/api\/v1\/api-tokens\/[^/?]+/.test(e.path)).length,
  };
}

/** The streamed Sync's summary (its coverage report says what was left out and why). */
async function syncSummary(flags: SyncFlags, token = fake.tokens.super_admin): Promise<SyncSummary> {
  const connector = await startConnector(fake, { token, flags });
  try {
    let summary: SyncSummary | undefined;
    for await (const message of connector.clients.stream.sync({ batchSize: 500 })) if (message.event.case === "summary") summary = message.event.value;
    return summary!;
  } finally {
    await connector.stop();
  }
}

/** A sync through the OAuth app of `level`, asking for `scopes` (comma-separated) or the connector's default scopes. */
async function oauthSync(level: "super_admin" | "read_only", flags: SyncFlags, scopes?: string) {
  const keyDir = mkdtempSync(join(tmpdir(), "okta-connector-secrets-"));
  try {
    const client = fake.oauthClients[level];
    const keyFile = join(keyDir, "key.pem");
    writeFileSync(keyFile, client.privateKeyPem, { mode: 0o600 });
    const args = ["--okta-client-id", client.clientId, "--okta-private-key-file", keyFile, ...(scopes ? ["--okta-scopes", scopes] : [])];
    return await syncOnce(fake, { args, flags });
  } finally {
    rmSync(keyDir, { recursive: true, force: true });
  }
}

describe("--sync-secrets", { timeout: 180_000 }, () => {
  it("adds the api-token type, one SECRET resource per token naming its owner, no entitlement or grant, in three listing calls", async () => {
    expect(truth.apiTokens.length).toBe(450);
    const since = fake.requestLog().length;
    const synced = await syncOnce(fake, { token: fake.tokens.super_admin, flags: { syncSecrets: true } });
    expectSyncToMatch(synced, expectedSync(truth, { syncSecrets: true }));
    expect(synced.resources.filter((r) => r.id?.resourceType === "api-token").length).toBe(450);
    expect(synced.entitlements.filter((e) => e.id.startsWith("api-token:"))).toEqual([]);
    expect(synced.grants.filter((g) => g.entitlementId.startsWith("api-token:"))).toEqual([]);
    expect(tokenCalls(since)).toEqual({ listings: 3, probes: 1, gets: 0 });
  });

  it("copies no secret: no credential of the org appears in any resource, and a token's profile holds three named fields", async () => {
    const synced = await syncOnce(fake, { token: fake.tokens.super_admin, flags: { syncSecrets: true } });
    const tokens = synced.resources.filter((r) => r.id?.resourceType === "api-token");
    const wire = Buffer.concat(synced.resources.map((r) => Buffer.from(toBinary(ResourceSchema, r)))).toString("latin1");
    for (const secret of Object.values(fake.tokens)) expect(wire).not.toContain(secret);
    expect(new Set(tokens.flatMap((r) => Object.keys(r.profile ?? {})))).toEqual(new Set(["client_name", "token_window", "network_connection"]));
  });

  it("is readable by a read-only admin", async () => {
    const synced = await syncOnce(fake, { token: fake.tokens.read_only, flags: { syncSecrets: true } });
    expectSyncToMatch(synced, expectedSync(truth, { syncSecrets: true, rolesReadable: false }));
  });

  it("an admin Okta refuses the listing (app and group-membership admin): the type is empty with a missing-permission gap, the rest whole, after one probe", async () => {
    const since = fake.requestLog().length;
    const synced = await syncOnce(fake, { token: fake.tokens.app_group_admin, flags: { syncSecrets: true } });
    expectSyncToMatch(synced, expectedSync(truth, { syncSecrets: true, apiTokensReadable: false, rolesReadable: false }));
    expect(synced.resourceTypes.find((t) => t.id === "api-token")?.description).toMatch(/^Not synced with this credential: .*okta\.apiTokens\.read/);
    expect(tokenCalls(since)).toEqual({ listings: 0, probes: 1, gets: 0 });
    const gaps = (await syncSummary({ syncSecrets: true }, fake.tokens.app_group_admin)).coverage?.gaps.filter((g) => g.resourceTypeId === "api-token");
    expect(gaps?.map((g) => g.reason)).toEqual([CoverageReason.MISSING_PERMISSION]);
  });

  it("asks for okta.apiTokens.read on the OAuth path only with the flag: the default scopes read the tokens, a token without the scope gets the gap", async () => {
    const synced = await oauthSync("super_admin", { syncSecrets: true });
    expectSyncToMatch(synced, expectedSync(truth, { syncSecrets: true }));
    const withoutScope = await oauthSync("super_admin", { syncSecrets: true }, "okta.users.read,okta.groups.read,okta.apps.read,okta.roles.read");
    expectSyncToMatch(withoutScope, expectedSync(truth, { syncSecrets: true, apiTokensReadable: false }));
  });

  it("GetResource reads one token by id (targeted sync, as baton-okta's Get): the listed resource; NOT_FOUND for an unknown id, INVALID_ARGUMENT naming the field for a malformed one", async () => {
    const connector = await startConnector(fake, { token: fake.tokens.super_admin, flags: { syncSecrets: true } });
    try {
      const getter = createClient(ResourceGetterService, createConnectorTransport({ address: connector.process.address }));
      const want = truth.apiTokens[7]!;
      const since = fake.requestLog().length;
      const { resource } = await getter.getResource({ resourceId: { resourceType: "api-token", resource: want.id } });
      expect(resource?.displayName).toBe(want.name);
      expect(pick(resource?.annotations ?? [], SecretTraitSchema)?.identityId?.resource).toBe(want.userId);
      expect(fake.requestLog().slice(since).map((e) => e.path)).toEqual([`/api/v1/api-tokens/${want.id}`]);
      const missing = await getter.getResource({ resourceId: { resourceType: "api-token", resource: "00Tnotthere000000000" } }).catch((e: unknown) => ConnectError.from(e));
      expect(missing).toMatchObject({ code: Code.NotFound });
      const hostile = await getter.getResource({ resourceId: { resourceType: "api-token", resource: "00T1/../current" } }).catch((e: unknown) => ConnectError.from(e));
      expect(hostile).toMatchObject({ code: Code.InvalidArgument });
      expect((hostile as ConnectError).rawMessage).toContain("resource_id.resource");
    } finally {
      await connector.stop();
    }
  });

  it("without the flag: no api-token type, resource or call, and the coverage report says the flag turns them on", async () => {
    const since = fake.requestLog().length;
    const synced = await syncOnce(fake, { token: fake.tokens.super_admin });
    expectSyncToMatch(synced, expectedSync(truth, {}));
    expect(synced.resourceTypes.map((t) => t.id)).not.toContain("api-token");
    const summary = await syncSummary({});
    expect(tokenCalls(since)).toEqual({ listings: 0, probes: 0, gets: 0 });
    const gap = summary.coverage?.gaps.find((g) => g.resourceTypeId === "api-token");
    expect(gap).toMatchObject({ reason: CoverageReason.DISABLED_BY_FLAG, flag: "--sync-secrets" });
  });
});
