import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ConnectorService } from "../../gen/c1/connector/v2/connector_pb.js";
import { ResourceTypesService } from "../../gen/c1/connector/v2/resource_pb.js";
import { Health, HealthCheckResponse_ServingStatus as ServingStatus } from "../../gen/grpc/health/v1/health_pb.js";
import * as reflection from "../../gen/grpc/reflection/v1/reflection_pb.js";
import { ConnectorStreamService } from "../../gen/oktaconnector/v1/stream_pb.js";
import { startFakeOkta, type FakeOkta } from "../fake-okta/index.js";
import { bidiStreamAll, createGrpcJsClient, type GrpcJsClient, serverStreamAll, unary } from "../support/grpc-client.js";
import { buildCliIfStale, runCli, type ServeProcess, startServeProcess } from "../support/serve-process.js";

/**
 * Issue 8 §5: with --client-ca, --client-cert-subject pins which client certificates may call. Real
 * certificates from the openssl CLI, a real `serve` process, grpc-js as the client.
 */

const hasOpenssl = (() => {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** What pins are given: a CN, a whole subject, and a pattern that must be taken literally. */
const PINS = "CN=governance-engine,/O=Acme Corp/OU=Audit/CN=auditor,CN=.*";

let okta: FakeOkta;
let dir: string;
let serve: ServeProcess;
const file = (name: string) => join(dir, name);
const pem = (name: string) => readFileSync(file(name));

/** Issues a client certificate for `subject` (openssl -subj form) signed by `ca`. */
function issueClient(name: string, subject: string, ca = "ca"): void {
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  writeFileSync(file(`${name}.ext`), "extendedKeyUsage=clientAuth\n");
  openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject);
  openssl("x509", "-req", "-in", `${name}.csr`, "-CA", `${ca}.crt`, "-CAkey", `${ca}.key`, "-CAcreateserial", "-days", "1", "-out", `${name}.crt`, "-extfile", `${name}.ext`);
}

beforeAll(async () => {
  if (!hasOpenssl) return;
  await buildCliIfStale();
  dir = mkdtempSync(join(tmpdir(), "okta-connector-mtls-"));
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  openssl("req", "-x509", ...ecKey, "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=okta-connector test CA");
  openssl("req", "-x509", ...ecKey, "-keyout", "other-ca.key", "-out", "other-ca.crt", "-days", "1", "-subj", "/CN=some other CA");
  writeFileSync(file("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
  openssl("req", ...ecKey, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
  openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1", "-out", "server.crt", "-extfile", "server.ext");
  issueClient("engine", "/O=Acme Corp/CN=governance-engine");
  issueClient("auditor", "/O=Acme Corp/OU=Audit/CN=auditor");
  issueClient("auditor-reordered", "/OU=Audit/O=Acme Corp/CN=auditor");
  issueClient("intruder", "/O=Acme Corp/CN=intruder");
  issueClient("prefix", "/CN=governance-engine-2");
  issueClient("forged", "/CN=governance-engine", "other-ca");

  okta = await startFakeOkta({ users: 20 });
  serve = await startServeProcess(
    ["--domain", okta.url, "--tls-cert", file("server.crt"), "--tls-key", file("server.key"), "--client-ca", file("ca.crt"), "--client-cert-subject", PINS],
    { withOktaArgs: false, env: { BATON_API_TOKEN: okta.tokens.super_admin } },
  );
}, 120_000);

afterAll(async () => {
  await serve?.stop("SIGKILL");
  await okta?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A grpc-js client for `service` presenting the client certificate `name`. grpc-js dials `localhost` (RFC 6066: no IP server names). */
function clientWith(service: Parameters<typeof createGrpcJsClient>[0], name: string): GrpcJsClient {
  return createGrpcJsClient(service, `localhost:${serve.port}`, grpc.credentials.createSsl(pem("ca.crt"), pem(`${name}.key`), pem(`${name}.crt`)));
}

async function validateAs(name: string): Promise<{ code: number; message: string }> {
  const client = clientWith(ConnectorService, name);
  try {
    await unary(client, ConnectorService.method.validate, {});
    return { code: grpc.status.OK, message: "" };
  } catch (error) {
    const { code, details } = error as grpc.ServiceError;
    return { code, message: decodeURIComponent(details) };
  } finally {
    client.close();
  }
}

describe.skipIf(!hasOpenssl)("--client-cert-subject pins the mTLS client certificate", () => {
  it("lets in a certificate whose CN is pinned, and one whose whole subject is pinned", async () => {
    expect(await validateAs("engine")).toEqual({ code: grpc.status.OK, message: "" });
    expect(await validateAs("auditor")).toEqual({ code: grpc.status.OK, message: "" });
  });

  it("refuses a CA-signed certificate with any other subject with PERMISSION_DENIED, naming the subject and the flag", async () => {
    const refused = await validateAs("intruder");
    expect(refused.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(refused.message).toBe("client certificate subject /O=Acme Corp/CN=intruder is not allowed; add it to the connector's --client-cert-subject");
  });

  it("matches exactly: no CN prefix, no attribute reordering, and a pin is never a pattern", async () => {
    // "CN=.*" is pinned literally, so it lets in nobody but a certificate whose CN is ".*".
    expect((await validateAs("prefix")).code).toBe(grpc.status.PERMISSION_DENIED);
    expect((await validateAs("auditor-reordered")).code).toBe(grpc.status.PERMISSION_DENIED);
  });

  it("refuses every kind of RPC (unary, server stream, another service) for an unpinned subject", async () => {
    const types = clientWith(ResourceTypesService, "intruder");
    const stream = clientWith(ConnectorStreamService, "intruder");
    try {
      await expect(unary(types, ResourceTypesService.method.listResourceTypes, {})).rejects.toMatchObject({ code: grpc.status.PERMISSION_DENIED });
      await expect(serverStreamAll(stream, ConnectorStreamService.method.sync, {})).rejects.toMatchObject({ code: grpc.status.PERMISSION_DENIED });
    } finally {
      types.close();
      stream.close();
    }
  });

  it("keeps health and reflection open to an unpinned (but CA-signed) certificate", async () => {
    const health = clientWith(Health, "intruder");
    const reflect = clientWith(reflection.ServerReflection, "intruder");
    try {
      const { status } = await unary(health, Health.method.check, { service: "" });
      expect(status).toBe(ServingStatus.SERVING);
      const [answer] = await bidiStreamAll(reflect, reflection.ServerReflection.method.serverReflectionInfo, [{ messageRequest: { case: "listServices", value: "" } }]);
      expect(answer?.messageResponse.case).toBe("listServicesResponse");
    } finally {
      health.close();
      reflect.close();
    }
  });

  it("still refuses, at the handshake, a pinned CN signed by another CA", async () => {
    expect((await validateAs("forged")).code).toBe(grpc.status.UNAVAILABLE);
  });

  it("logs each refusal with the subject and code, and no secret", async () => {
    const before = serve.logLines().filter((l) => l.msg === "rpc" && l.code === "permission_denied").length;
    expect((await validateAs("intruder")).code).toBe(grpc.status.PERMISSION_DENIED);
    await vi.waitFor(() => expect(serve.logLines().filter((l) => l.msg === "rpc" && l.code === "permission_denied").length).toBe(before + 1), { timeout: 5_000 });
    const refusals = serve.logLines().filter((l) => l.msg === "rpc" && l.code === "permission_denied");
    expect(refusals.some((l) => String(l.error).includes("/O=Acme Corp/CN=intruder"))).toBe(true);
    expect(serve.stdout() + serve.stderr()).not.toContain(okta.tokens.super_admin);
    expect(serve.stdout() + serve.stderr()).not.toContain(readFileSync(file("server.key"), "utf8").split("\n")[1]!);
  });
});

describe.skipIf(!hasOpenssl)("--client-cert-subject configuration errors", () => {
  it("needs --client-ca: exits 2 naming the flag and the fix", async () => {
    const result = await runCli(["serve", "--domain", okta.url, "--api-token", okta.tokens.super_admin, "--client-cert-subject", "CN=governance-engine"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^okta-connector: --client-cert-subject: needs --client-ca; .*give --client-ca/);
    expect(result.stderr).not.toContain(okta.tokens.super_admin);
  });

  it("refuses a pin that is neither CN=<name> nor a whole /K=V subject", async () => {
    const result = await runCli([
      "serve", "--domain", okta.url, "--api-token", okta.tokens.super_admin,
      "--tls-cert", file("server.crt"), "--tls-key", file("server.key"), "--client-ca", file("ca.crt"), "--client-cert-subject", "O=Acme Corp",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--client-cert-subject: "O=Acme Corp" is neither CN=<name> nor a whole subject/);
  });
});
