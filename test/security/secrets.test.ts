import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ConnectorService } from "../../gen/c1/connector/v2/connector_pb.js";
import { startFakeOkta, type FakeOkta, type GroundTruth } from "../fake-okta/index.js";
import { onOAuthCredential, type SeenOAuthCredential } from "../fake-okta/oauth.js";
import { httpGet } from "../observability/support/observed-serve.js";
import { createGrpcJsClient, unary } from "../support/grpc-client.js";
import { buildCliIfStale, runCli, startServeProcess, type ServeProcess } from "../support/serve-process.js";
import { findLeaks, type Haystack, type Secret, sqliteFileHaystacks, textHaystack } from "./support/leak-scan.js";
import { startOtlpReceiver, type OtlpReceiver } from "./support/otlp-receiver.js";

/**
 * Issue 8 §4: no credential the connector holds or sends ever shows up in what it writes. A full run
 * (stream and paged sync through the engine CLI, grant and revoke, and calls that fail on a wrong
 * bearer token, an Okta 401 and Okta 5xx answers) is made with trace/debug logging, OTLP tracing and
 * Prometheus metrics on, once with an SSWS token and once with an OAuth service app (private_key_jwt +
 * DPoP). Then every byte it produced is searched for every secret, and for recognisable pieces of each.
 */

let fake: FakeOkta;
let truth: GroundTruth;
let dir: string;
const seen: SeenOAuthCredential[] = [];
let stopCapture: () => void;

beforeAll(async () => {
  await buildCliIfStale();
  stopCapture = onOAuthCredential((credential) => seen.push(credential));
  fake = await startFakeOkta({ seed: 8 });
  truth = await fake.groundTruth();
  dir = mkdtempSync(join(tmpdir(), "okta-connector-secrets-"));
}, 120_000);

afterAll(async () => {
  stopCapture?.();
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type Mode = "ssws" | "oauth";

interface RunOutput {
  readonly haystacks: Haystack[];
  readonly secrets: Secret[];
  readonly serve: ServeProcess;
  readonly otlp: OtlpReceiver;
  readonly errorMessages: string[];
}

/** A file only the owner can read, as a mounted Secret would be. */
function secretFile(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, `${content}\n`, { mode: 0o600 });
  return path;
}

/** The gRPC status and message a grpc-js Validate gets, as the engine would see them. */
async function validateFailure(address: string, metadata: Record<string, string>): Promise<{ code: number; message: string }> {
  const client = createGrpcJsClient(ConnectorService, address);
  try {
    await unary(client, ConnectorService.method.validate, {}, metadata);
  } catch (error) {
    const { code, details } = error as grpc.ServiceError;
    return { code, message: details };
  } finally {
    client.close();
  }
  throw new Error("Validate succeeded");
}

/** Runs everything that can touch a secret, and gathers every byte written. */
async function runEverything(mode: Mode, logLevel: "trace" | "debug"): Promise<RunOutput> {
  const bearer = randomBytes(32).toString("hex");
  const wrongBearer = randomBytes(32).toString("hex");
  const bearerFile = secretFile(`${mode}-bearer`, bearer);
  const wrongBearerFile = secretFile(`${mode}-wrong-bearer`, wrongBearer);
  const app = fake.oauthClients.super_admin;
  const secrets: Secret[] = [
    { name: "bearer token", value: bearer },
    { name: "wrong bearer token", value: wrongBearer },
  ];
  // The credential Okta accepts, and one it answers 401 for.
  let credentialArgs: string[];
  let credentialEnv: Record<string, string>;
  let rejectedArgs: string[];
  let rejectedEnv: Record<string, string>;
  if (mode === "ssws") {
    const bogusToken = `00${randomBytes(30).toString("base64url")}`;
    secrets.push({ name: "API token", value: fake.tokens.super_admin }, { name: "rejected API token", value: bogusToken });
    credentialArgs = [];
    credentialEnv = { BATON_API_TOKEN: fake.tokens.super_admin };
    rejectedArgs = [];
    rejectedEnv = { BATON_API_TOKEN: bogusToken };
  } else {
    const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    secrets.push({ name: "OAuth private key", value: app.privateKeyPem }, { name: "rejected OAuth private key", value: otherKey });
    credentialArgs = ["--okta-client-id", app.clientId, "--okta-private-key-file", secretFile("oauth-key.pem", app.privateKeyPem)];
    credentialEnv = {};
    rejectedArgs = ["--okta-client-id", app.clientId, "--okta-private-key-file", secretFile("oauth-other-key.pem", otherKey)];
    rejectedEnv = {};
  }

  const otlp = await startOtlpReceiver();
  const otelEnv = { OTEL_TRACES_EXPORTER: "otlp", OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint, OTEL_BSP_SCHEDULE_DELAY: "100" };
  const seenBefore = seen.length;
  const serve = await startServeProcess(
    ["--domain", fake.url, "--log-level", logLevel, "--provisioning", "--auth-token-file", bearerFile, "--metrics-listen", "127.0.0.1:0", ...credentialArgs],
    { withOktaArgs: false, env: { ...credentialEnv, ...otelEnv } },
  );
  const cliOutputs: Haystack[] = [];
  const cli = async (name: string, args: readonly string[]) => {
    const result = await runCli(args, { timeoutMs: 90_000 });
    cliOutputs.push(textHaystack(`${name} stdout`, result.stdout), textHaystack(`${name} stderr`, result.stderr));
    return result;
  };
  const connector = ["--connector", serve.address];
  const errorMessages: string[] = [];
  const sideProcesses: ServeProcess[] = [];
  let rejected: ServeProcess | undefined;
  try {
    // A few Okta 500s during the stream sync: each is retried, and every retry is logged at debug.
    fake.setFaults({ errorRate: 0.03, buckets: ["other"] });
    const streamDb = join(dir, `${mode}-stream.db`);
    const stream = await cli("sync", ["sync", ...connector, "--out", streamDb, "--auth-token-file", bearerFile, "--json"]);
    fake.setFaults({ errorRate: 0, buckets: [] });
    expect(stream.code, stream.stderr).toBe(0);
    const snapshots = [streamDb];
    if (mode === "ssws") {
      // The paged RPCs (ListResources, ListGrants, …) once: their page tokens are in the snapshot too.
      const pagedDb = join(dir, `${mode}-paged.db`);
      const paged = await cli("paged sync", ["sync", ...connector, "--out", pagedDb, "--paged", "--auth-token-file", bearerFile]);
      expect(paged.code, paged.stderr).toBe(0);
      snapshots.push(pagedDb);
    }

    const group = truth.groups.find((g) => g.type === "OKTA_GROUP" && g.memberIds.length > 0)!;
    const user = truth.users.find((u) => u.status === "ACTIVE" && !group.memberIds.includes(u.id))!;
    const entitlement = `group:${group.id}:member`;
    const granted = await cli("grant", ["grant", ...connector, "--entitlement", entitlement, "--principal", `user:${user.id}`, "--auth-token-file", bearerFile]);
    expect(granted.code, granted.stderr).toBe(0);
    const revoked = await cli("revoke", ["revoke", ...connector, "--grant", `${entitlement}:user:${user.id}`, "--auth-token-file", bearerFile]);
    expect(revoked.code, revoked.stderr).toBe(0);

    // Failures: a wrong bearer token (CLI and grpc-js), none at all, and Okta answering 500 until the retries run out.
    const refusedSync = await cli("refused sync", ["sync", ...connector, "--out", join(dir, `${mode}-refused.db`), "--auth-token-file", wrongBearerFile]);
    expect(refusedSync.code).not.toBe(0);
    const wrong = await validateFailure(serve.address, { authorization: `Bearer ${wrongBearer}` });
    expect(wrong.code).toBe(grpc.status.UNAUTHENTICATED);
    const missing = await validateFailure(serve.address, {});
    expect(missing.code).toBe(grpc.status.UNAUTHENTICATED);
    errorMessages.push(wrong.message, missing.message);
    const startSide = (args: readonly string[], env: Record<string, string>) =>
      startServeProcess(["--domain", fake.url, "--log-level", logLevel, "--auth-token-file", bearerFile, ...args], { withOktaArgs: false, env: { ...env, ...otelEnv } });
    if (mode === "ssws") {
      // Okta 500 on every attempt: the retries (5, with backoff) run out and the grant fails. Once is
      // enough: with OAuth the sync's retried 500s above already re-sign a DPoP proof per attempt.
      fake.setFaults({ errorRate: 1, buckets: [] });
      const failedGrant = await cli("failed grant", ["grant", ...connector, "--entitlement", entitlement, "--principal", `user:${user.id}`, "--auth-token-file", bearerFile]);
      fake.setFaults({ errorRate: 0, buckets: [] });
      expect(failedGrant.code).not.toBe(0);
      expect(failedGrant.stderr).toMatch(/unavailable|500/i);
    }

    // Okta 401: a connector whose credential Okta does not accept.
    rejected = await startSide(rejectedArgs, rejectedEnv);
    const unauthorized = await validateFailure(rejected.address, { authorization: `Bearer ${bearer}` });
    expect(unauthorized.code).toBe(grpc.status.UNAUTHENTICATED);
    errorMessages.push(unauthorized.message);
    sideProcesses.push(rejected);

    const metricsAddress = String(serve.logLines().find((l) => l.msg === "okta-connector serving")?.["metrics"]);
    const metrics = await httpGet(`http://${metricsAddress}/metrics`);
    expect(metrics.status).toBe(200);
    await vi.waitFor(() => expect(otlp.spanNames().some((name) => /^(GET|PUT|DELETE|POST) \/api\/v1\//.test(name))).toBe(true), { timeout: 15_000, interval: 100 });
    await rejected.stop();
    await serve.stop();

    for (const credential of seen.slice(seenBefore)) secrets.push({ name: credential.kind, value: credential.value });
    const haystacks: Haystack[] = [
      textHaystack("serve stdout", serve.stdout()),
      textHaystack("serve stderr", serve.stderr()),
      ...sideProcesses.flatMap((side, i) => [textHaystack(`side serve ${i} stdout`, side.stdout()), textHaystack(`side serve ${i} stderr`, side.stderr())]),
      ...cliOutputs,
      ...snapshots.flatMap((path) => sqliteFileHaystacks(path)),
      ...otlp.bodies().map((body, i) => ({ name: `OTLP export ${i}`, bytes: body })),
      ...errorMessages.map((message, i) => textHaystack(`error message ${i}`, message)),
      textHaystack("Prometheus metrics", metrics.body),
    ];
    return { haystacks, secrets, serve, otlp, errorMessages };
  } finally {
    fake.setFaults({ errorRate: 0, buckets: [] });
    await rejected?.stop("SIGKILL");
    await serve.stop("SIGKILL");
    await otlp.close();
  }
}

/** Checks that the search had something to search, then that it found nothing. */
function expectNoLeaks(run: RunOutput): void {
  const total = (prefix: string) => run.haystacks.filter((h) => h.name.startsWith(prefix)).reduce((sum, h) => sum + h.bytes.length, 0);
  const logLines = run.serve.logLines();
  // Not vacuous: debug lines (Okta retries), one line per RPC, a real snapshot and real span exports.
  expect(logLines.filter((l) => l.level === "debug").length).toBeGreaterThan(0);
  expect(logLines.filter((l) => l.msg === "rpc").length).toBeGreaterThanOrEqual(5);
  expect(total("serve stdout")).toBeGreaterThan(2_000);
  expect(run.haystacks.reduce((sum, h) => sum + h.bytes.length, 0)).toBeGreaterThan(200_000);
  expect(run.haystacks.filter((h) => h.name.endsWith(".db")).length).toBeGreaterThan(0);
  expect(total(`${run.haystacks.find((h) => h.name.endsWith("-stream.db"))!.name}`)).toBeGreaterThan(100_000);
  expect(total("OTLP export")).toBeGreaterThan(10_000);
  expect(total("Prometheus metrics")).toBeGreaterThan(2_000);
  expect(run.errorMessages.join("\n")).toMatch(/invalid bearer token/);
  expect(run.secrets.length).toBeGreaterThanOrEqual(4);

  // Positive controls: the search finds what is meant to be there.
  const everything: Haystack[] = run.haystacks;
  const user = truth.users[0]!;
  const present: Secret[] = [
    { name: "org URL", value: fake.url },
    { name: "a user id", value: user.id },
    { name: "an RPC span name", value: "c1.connector.v2.ConnectorService/Validate" },
  ];
  for (const control of present) expect(findLeaks(everything, [control]).length, control.name).toBeGreaterThan(0);

  expect(findLeaks(everything, run.secrets)).toEqual([]);
}

describe("secrets never appear in logs, errors, snapshots or traces", { timeout: 180_000 }, () => {
  it("finds a planted secret, whole or in part (the scanner itself works)", () => {
    const token = "00abcdefghijklmnopqrstuvwxyz0123456789ABCD";
    const haystack = (text: string) => [textHaystack("planted", text)];
    expect(findLeaks(haystack(`token=${token}`), [{ name: "t", value: token }]).length).toBeGreaterThan(0);
    expect(findLeaks(haystack(`token=${token.slice(0, 14)}…`), [{ name: "t", value: token }]).length).toBeGreaterThan(0);
    const pem = fake.oauthClients.read_only.privateKeyPem;
    expect(findLeaks(haystack(JSON.stringify({ key: pem.split("\n")[3] })), [{ name: "k", value: pem }]).length).toBeGreaterThan(0);
    expect(findLeaks(haystack("nothing to see"), [{ name: "t", value: token }, { name: "k", value: pem }])).toEqual([]);
  });

  it("SSWS API token, --log-level trace", async () => {
    const run = await runEverything("ssws", "trace");
    expectNoLeaks(run);
  });

  it("OAuth service app (private_key_jwt + DPoP), --log-level debug: key, assertions, proofs and access tokens", async () => {
    const run = await runEverything("oauth", "debug");
    const kinds = new Set(run.secrets.map((s) => s.name));
    // The capture saw the OAuth exchange itself, so the search covers values actually sent.
    expect([...kinds]).toEqual(expect.arrayContaining(["client_assertion", "dpop_proof", "access_token"]));
    expectNoLeaks(run);
  });
});
