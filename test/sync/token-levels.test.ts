import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectorService } from "../../gen/c1/connector/v2/connector_pb.js";
import { startFakeOkta, type FakeOkta, type GroundTruth } from "../fake-okta/index.js";
import { createGrpcJsClient, unary } from "../support/grpc-client.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { collectSync, startConnector, syncOnce, type CollectedSync } from "../support/sync-helpers.js";
import { expectSyncToMatch } from "./support/compare-sync.js";
import { expectedSync } from "./support/expected-sync.js";

/**
 * Credentials the connector must tell apart at Validate: one that cannot list users (a token
 * without an admin role, and an OAuth app without one, which Okta answers with `200 []`), one Okta
 * rejects outright, and an OAuth service app, which must sync exactly what an SSWS token does.
 */
let fake: FakeOkta;
let truth: GroundTruth;
let keyDir: string;

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 3 });
  truth = await fake.groundTruth();
  keyDir = mkdtempSync(join(tmpdir(), "okta-connector-sync-"));
}, 120_000);

afterAll(async () => {
  await fake?.close();
  if (keyDir) rmSync(keyDir, { recursive: true, force: true });
});

/** The gRPC status and message of a Validate call made with grpc-js. */
async function validateFailure(address: string): Promise<{ code: grpc.status; message: string }> {
  const client = createGrpcJsClient(ConnectorService, address);
  try {
    await unary(client, ConnectorService.method.validate, {});
  } catch (error) {
    const { code, details } = error as grpc.ServiceError;
    return { code, message: decodeURIComponent(details) };
  } finally {
    client.close();
  }
  throw new Error("Validate succeeded");
}

function oauthArgs(level: keyof FakeOkta["oauthClients"]): string[] {
  const client = fake.oauthClients[level];
  const keyFile = join(keyDir, `${level}.pem`);
  writeFileSync(keyFile, client.privateKeyPem, { mode: 0o600 });
  return ["--okta-client-id", client.clientId, "--okta-private-key-file", keyFile];
}

describe("Validate by credential", { timeout: 120_000 }, () => {
  it("no_role token: PERMISSION_DENIED naming the admin role that is missing", async () => {
    const connector = await startConnector(fake, { token: fake.tokens.no_role });
    try {
      const failure = await validateFailure(connector.process.address);
      expect(failure.code).toBe(grpc.status.PERMISSION_DENIED);
      expect(failure.message).toMatch(/Read-only Administrator/);
      expect(failure.message).not.toContain(fake.tokens.no_role);
    } finally {
      await connector.stop();
    }
  });

  it("OAuth app without an admin role (Okta answers 200 []): PERMISSION_DENIED too, not an empty sync", async () => {
    const connector = await startConnector(fake, { args: oauthArgs("no_role") });
    try {
      const failure = await validateFailure(connector.process.address);
      expect(failure.code).toBe(grpc.status.PERMISSION_DENIED);
      expect(failure.message).toMatch(/Read-only Administrator/);
    } finally {
      await connector.stop();
    }
  });

  it("a token Okta does not know: UNAUTHENTICATED, without echoing the token", async () => {
    const bogus = "00BogusTokenThatOktaNeverIssued-abcdefghijklmnop";
    const connector = await startConnector(fake, { token: bogus });
    try {
      const failure = await validateFailure(connector.process.address);
      expect(failure.code).toBe(grpc.status.UNAUTHENTICATED);
      expect(failure.message).not.toContain(bogus);
      expect(connector.process.stdout() + connector.process.stderr()).not.toContain(bogus);
    } finally {
      await connector.stop();
    }
  });
});

describe("OAuth 2.0 service app (private_key_jwt + DPoP)", { timeout: 120_000 }, () => {
  let viaOAuth: CollectedSync;

  it("super_admin app: validates and syncs the ground truth", async () => {
    const connector = await startConnector(fake, { args: [...oauthArgs("super_admin"), "--sync-custom-roles"] });
    try {
      await connector.clients.connector.validate({});
      viaOAuth = await collectSync(connector.clients);
    } finally {
      await connector.stop();
    }
    expectSyncToMatch(viaOAuth, expectedSync(truth, { syncCustomRoles: true }));
    const keyLine = fake.oauthClients.super_admin.privateKeyPem.split("\n")[1]!;
    expect(keyLine.length).toBeGreaterThan(20);
    expect(connector.process.stdout() + connector.process.stderr()).not.toContain(keyLine);
  });

  it("returns the same resources, entitlements and grants as the SSWS token", async () => {
    const viaToken = await syncOnce(fake, { token: fake.tokens.super_admin, flags: { syncCustomRoles: true } });
    const ids = (s: CollectedSync) => ({
      resources: s.resources.map((r) => `${r.id?.resourceType}/${r.id?.resource}`).sort(),
      entitlements: s.entitlements.map((e) => e.id).sort(),
      grants: s.grants.map((g) => g.id).sort(),
    });
    expect(ids(viaOAuth)).toEqual(ids(viaToken));
    expect(viaToken.grants.length).toBeGreaterThan(0);
  });
});
