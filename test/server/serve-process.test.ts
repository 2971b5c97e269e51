import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectorService } from "../../gen/c1/connector/v2/connector_pb.js";
import { ResourcesService } from "../../gen/c1/connector/v2/resource_pb.js";
import { Health, HealthCheckResponse_ServingStatus as ServingStatus } from "../../gen/grpc/health/v1/health_pb.js";
import * as reflection from "../../gen/grpc/reflection/v1/reflection_pb.js";
import { envNameOf, serveFlagsWith } from "../../src/config/index.js";
import { OKTA_TYPE_FLAGS } from "../../src/connector/okta-type-descriptors.js";
import { bufCurl } from "../support/buf-curl.js";
import { bidiStreamAll, createGrpcJsClient, type GrpcJsClient, serverStream, unary } from "../support/grpc-client.js";
import { startFakeOkta, type FakeOkta } from "../fake-okta/index.js";
import { buildCliIfStale, DUMMY_API_TOKEN, runCli, type ServeProcess, startServeProcess } from "../support/serve-process.js";

/** Every serve flag: the connector's own and those its resource types declare. */
const allServeFlags = serveFlagsWith(OKTA_TYPE_FLAGS);

/** The fifteen services baton-sdk's ConnectorServer registers. */
const C1_SERVICES = [
  "AccountManagerService",
  "ActionService",
  "AssetService",
  "ConnectorService",
  "CredentialManagerService",
  "EntitlementsService",
  "EventService",
  "GrantManagerService",
  "GrantsService",
  "ResourceDeleterService",
  "ResourceGetterService",
  "ResourceManagerService",
  "ResourceTypesService",
  "ResourcesService",
  "TicketsService",
].map((name) => `c1.connector.v2.${name}`);

/** The code and message a call failed with; grpc-js leaves connect's %3A-style escapes in `details`. */
async function failureOf(call: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await call;
  } catch (error) {
    const { code, details } = error as grpc.ServiceError;
    return { code, message: decodeURIComponent(details) };
  }
  throw new Error("the call succeeded");
}

const hasOpenssl = (() => {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

// Validate and the listings reach Okta, so the processes serve a small simulated org.
let okta: FakeOkta;
beforeAll(async () => {
  await buildCliIfStale();
  okta = await startFakeOkta({ users: 20 });
}, 120_000);
afterAll(async () => {
  await okta?.close();
});

function startServeWithOrg(args: readonly string[]): Promise<ServeProcess> {
  return startServeProcess(["--domain", okta.url, ...args], { withOktaArgs: false, env: { BATON_API_TOKEN: okta.tokens.super_admin } });
}

describe("okta-connector serve, cleartext h2c", () => {
  let serve: ServeProcess;
  let connector: GrpcJsClient;
  let health: GrpcJsClient;

  beforeAll(async () => {
    serve = await startServeWithOrg(["--read-max-bytes", "4096", "--shutdown-grace-seconds", "2"]);
    connector = createGrpcJsClient(ConnectorService, serve.address);
    health = createGrpcJsClient(Health, serve.address);
  });
  afterAll(async () => {
    connector.close();
    health.close();
    await serve.stop("SIGKILL");
  });

  it("answers a unary RPC from grpc-js: Validate reports the baton-sdk version", async () => {
    const response = await unary(connector, ConnectorService.method.validate, {});
    expect(response.sdkVersion).toBe("v0.25.0");
  });

  it("answers a streaming RPC from grpc-js: Health/Watch sends SERVING", async () => {
    const watch = serverStream(health, Health.method.watch, { service: "" });
    const first = await watch[Symbol.asyncIterator]().next();
    watch.cancel();
    expect(first.value?.status).toBe(ServingStatus.SERVING);
  });

  it("answers Health/Check with SERVING, to grpc-js and to buf curl", async () => {
    const response = await unary(health, Health.method.check, { service: "" });
    expect(response.status).toBe(ServingStatus.SERVING);
    const viaBuf = await bufCurl([`${serve.url}/grpc.health.v1.Health/Check`, "-d", "{}"]);
    expect(viaBuf.code).toBe(0);
    expect(JSON.parse(viaBuf.stdout)).toEqual({ status: "SERVING" });
  });

  it("lists the fifteen c1 services, our stream service, health and reflection with buf curl --list-services", async () => {
    const result = await bufCurl(["--list-services", serve.url]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout.trim().split("\n").sort()).toEqual(
      [
        ...C1_SERVICES,
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
        "grpc.reflection.v1alpha.ServerReflection",
        "oktaconnector.v1.ConnectorStreamService",
      ].sort(),
    );
  });

  it("lists ResourcesService/ListResources with buf curl --list-methods", async () => {
    const result = await bufCurl(["--list-methods", serve.url]);
    expect(result.code).toBe(0);
    const methods = result.stdout.trim().split("\n");
    expect(methods.filter((m) => m.startsWith("c1.connector.v2.ResourcesService/"))).toEqual(["c1.connector.v2.ResourcesService/ListResources"]);
    expect(methods).toContain("oktaconnector.v1.ConnectorStreamService/StreamResources");
  });

  it("resolves the descriptor of c1.connector.v2.ResourcesService.ListResources by reflection", async () => {
    const client = createGrpcJsClient(reflection.ServerReflection, serve.address);
    try {
      const [response] = await bidiStreamAll(client, reflection.ServerReflection.method.serverReflectionInfo, [
        { messageRequest: { case: "fileContainingSymbol", value: "c1.connector.v2.ResourcesService.ListResources" } },
      ]);
      const files =
        response?.messageResponse.case === "fileDescriptorResponse"
          ? response.messageResponse.value.fileDescriptorProto.map((bytes) => fromBinary(FileDescriptorProtoSchema, bytes))
          : [];
      const method = files[0]?.service.find((s) => s.name === "ResourcesService")?.method.find((m) => m.name === "ListResources");
      expect(files[0]?.name).toBe("c1/connector/v2/resource.proto");
      expect(method).toMatchObject({
        inputType: ".c1.connector.v2.ResourcesServiceListResourcesRequest",
        outputType: ".c1.connector.v2.ResourcesServiceListResourcesResponse",
      });
      // The closure includes every import, so a client can link the request type.
      expect(files.map((f) => f.name)).toContain("google/protobuf/any.proto");
    } finally {
      client.close();
    }
  });

  it("lets buf curl encode ListResources from the reflected schema (an unknown type: NOT_FOUND × 8)", async () => {
    const result = await bufCurl([`${serve.url}/c1.connector.v2.ResourcesService/ListResources`, "-d", '{"resourceTypeId":"nope","pageSize":50}']);
    expect(result.code).toBe(grpc.status.NOT_FOUND * 8);
    expect(result.stderr).toContain('unknown resource type \\"nope\\"');
  });

  it("answers a request over --read-max-bytes with RESOURCE_EXHAUSTED, and one under it normally", async () => {
    const resources = createGrpcJsClient(ResourcesService, serve.address);
    try {
      const over = await failureOf(unary(resources, ResourcesService.method.listResources, { resourceTypeId: "user", pageToken: "A".repeat(10_240) }));
      expect(over).toEqual({ code: grpc.status.RESOURCE_EXHAUSTED, message: expect.stringContaining("4096") });
      // Read and checked: the (made-up) page token is refused on its merits, not for its size.
      const under = await failureOf(unary(resources, ResourcesService.method.listResources, { resourceTypeId: "user", pageToken: "A".repeat(3000) }));
      expect(under.code).toBe(grpc.status.INVALID_ARGUMENT);
    } finally {
      resources.close();
    }
  });

  it("logs one JSON line per RPC with service, method and code", () => {
    const rpcLines = serve.logLines().filter((line) => line.msg === "rpc");
    expect(rpcLines).toContainEqual(
      expect.objectContaining({ rpc: { service: "c1.connector.v2.ConnectorService", method: "Validate" }, code: "ok" }),
    );
    expect(rpcLines).toContainEqual(
      expect.objectContaining({ rpc: { service: "c1.connector.v2.ResourcesService", method: "ListResources" }, code: "not_found" }),
    );
  });

  // Last in this block: it stops the process.
  it("on SIGTERM turns a Watch NOT_SERVING, refuses new connections, and exits 0 after the grace period", async () => {
    const watch = serverStream(health, Health.method.watch, { service: "" });
    const updates = watch[Symbol.asyncIterator]();
    expect((await updates.next()).value?.status).toBe(ServingStatus.SERVING);

    serve.child.kill("SIGTERM");
    expect((await updates.next()).value?.status).toBe(ServingStatus.NOT_SERVING);

    const late = createGrpcJsClient(Health, serve.address);
    const refused = await failureOf(unary(late, Health.method.check, { service: "" }));
    late.close();
    // Still draining: the Watch holds the process open until the grace period ends.
    expect(serve.child.exitCode).toBeNull();
    expect(refused.code).toBe(grpc.status.UNAVAILABLE);

    const end = await updates.next().then(
      () => undefined,
      (error: grpc.ServiceError) => ({ code: error.code, message: error.details }),
    );
    expect(end).toEqual({ code: grpc.status.UNAVAILABLE, message: "server shutting down" });
    expect(await serve.exited).toEqual({ code: 0, signal: null });
    expect(serve.logLines().map((line) => line.msg)).toEqual(
      expect.arrayContaining(["shutting down", "grace period over: failing remaining streams with UNAVAILABLE", "server closed"]),
    );
  });
});

describe("okta-connector serve --auth-token-file, with --log-level debug", () => {
  const BEARER = "b3arer-70ken-for-okta-connector-tests-9f8e7d6c";
  const WRONG = "wr0ng-70ken-that-must-never-be-logged-1a2b3c4d";
  let dir: string;
  let serve: ServeProcess;
  let connector: GrpcJsClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "okta-connector-auth-"));
    writeFileSync(join(dir, "bearer"), `${BEARER}\n`, { mode: 0o600 });
    serve = await startServeWithOrg(["--auth-token-file", join(dir, "bearer"), "--log-level", "debug"]);
    connector = createGrpcJsClient(ConnectorService, serve.address);
  });
  afterAll(async () => {
    connector.close();
    await serve.stop("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers a call without a token with UNAUTHENTICATED", async () => {
    const failure = await failureOf(unary(connector, ConnectorService.method.validate, {}));
    expect(failure).toEqual({ code: grpc.status.UNAUTHENTICATED, message: expect.stringContaining("missing authorization") });
  });

  it("answers a wrong token with UNAUTHENTICATED", async () => {
    const failure = await failureOf(unary(connector, ConnectorService.method.validate, {}, { authorization: `Bearer ${WRONG}` }));
    expect(failure).toEqual({ code: grpc.status.UNAUTHENTICATED, message: "invalid bearer token" });
  });

  it("accepts the right token", async () => {
    const response = await unary(connector, ConnectorService.method.validate, {}, { authorization: `Bearer ${BEARER}` });
    expect(response.sdkVersion).toBe("v0.25.0");
  });

  it("serves health and reflection without a token", async () => {
    const health = createGrpcJsClient(Health, serve.address);
    try {
      const response = await unary(health, Health.method.check, { service: "" });
      expect(response.status).toBe(ServingStatus.SERVING);
    } finally {
      health.close();
    }
    const listed = await bufCurl(["--list-services", serve.url]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain("c1.connector.v2.ResourcesService");
  });

  it("never writes the API token, the bearer token or a rejected token to stdout or stderr", async () => {
    expect(await serve.stop("SIGTERM")).toEqual({ code: 0, signal: null });
    const output = serve.stdout() + serve.stderr();
    // The output is not empty: the refused and accepted calls above were all logged.
    const codes = serve
      .logLines()
      .filter((line) => line.msg === "rpc" && (line.rpc as { method?: string }).method === "Validate")
      .map((line) => line.code);
    expect(codes).toEqual(["unauthenticated", "unauthenticated", "ok"]);
    for (const secret of [okta.tokens.super_admin, BEARER, WRONG]) {
      expect(output).not.toContain(secret);
      expect(output).not.toContain(secret.slice(8, 24));
    }
    expect(output).toContain("[REDACTED]");
  });
});

// Each case is a short-lived process; run them side by side.
describe.concurrent("okta-connector serve, bad configuration", () => {
  const badValues: readonly { why: string; args: readonly string[]; env: Readonly<Record<string, string>>; flag: string }[] = [
    { why: "--listen that is not an address", args: ["--listen", "nowhere"], env: {}, flag: "--listen" },
    { why: "http:// --domain that is not loopback", args: ["--domain", "http://example.com"], env: {}, flag: "--domain" },
    { why: "a bad BATON_LISTEN", args: [], env: { BATON_LISTEN: "127.0.0.1:70000" }, flag: "--listen" },
    { why: "--read-max-bytes under 1 KiB", args: ["--read-max-bytes", "10"], env: {}, flag: "--read-max-bytes" },
  ];

  it.for(badValues)("exits 2 before listening, with one stderr line naming $flag, for $why", async ({ args, env, flag }, { expect }) => {
    const result = await runCli(["serve", "--api-token", DUMMY_API_TOKEN, "--domain", "http://127.0.0.1:9", ...args], { env });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^okta-connector: ${flag}: `));
    expect(result.stderr).not.toContain(DUMMY_API_TOKEN);
  });

  it("exits 2 naming --domain when it is missing", async ({ expect }) => {
    const result = await runCli(["serve", "--api-token", DUMMY_API_TOKEN, "--listen", "127.0.0.1:0"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(/^okta-connector: --domain: is required; set --domain or BATON_DOMAIN/)]);
  });

  it("exits 2 naming an unknown flag", async ({ expect }) => {
    const result = await runCli(["serve", "--frobnicate", "--listen", "127.0.0.1:0"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    // Commander adds a second line pointing at --help; the flag is named once, on the first.
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe("error: unknown option '--frobnicate'");
    expect(lines.filter((line) => line.includes("--frobnicate"))).toHaveLength(1);
  });

  it("prints --help with every flag's BATON_* variable and exits 0", async ({ expect }) => {
    const result = await runCli(["serve", "--help"]);
    expect(result.code).toBe(0);
    for (const spec of allServeFlags) {
      expect(result.stdout).toContain(`--${spec.name} `);
      expect(result.stdout).toContain(envNameOf(spec.name));
    }
  });

  it("shows the defaults in --help (--listen 127.0.0.1:50051, --log-level info)", async ({ expect }) => {
    const result = await runCli(["serve", "--help"]);
    // Commander wraps long descriptions; compare with the line breaks folded.
    const help = result.stdout.replace(/\s+/g, " ");
    expect(help).toContain("(default: 127.0.0.1:50051)");
    expect(help).toContain("(default: info)");
  });
});

describe.skipIf(!hasOpenssl)("okta-connector serve over TLS and mTLS (certificates from openssl)", () => {
  let dir: string;
  const file = (name: string) => join(dir, name);
  const pem = (name: string) => readFileSync(file(name));

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "okta-connector-tls-"));
    const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
    const ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
    openssl("req", "-x509", ...ecKey, "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=okta-connector test CA");
    const issue = (name: string, extensions: string) => {
      writeFileSync(file(`${name}.ext`), extensions);
      openssl("req", ...ecKey, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${name}`);
      openssl("x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1", "-out", `${name}.crt`, "-extfile", `${name}.ext`);
    };
    issue("server", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
    issue("client", "extendedKeyUsage=clientAuth\n");
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  // grpc-js dials `localhost`, not the IP: Node deprecates an IP as the TLS server name (RFC 6066).
  const target = (serve: ServeProcess) => `localhost:${serve.port}`;

  it("serves TLS that grpc-js trusts through the CA, and refuses cleartext", async () => {
    const serve = await startServeWithOrg(["--tls-cert", file("server.crt"), "--tls-key", file("server.key")]);
    const tls = createGrpcJsClient(ConnectorService, target(serve), grpc.credentials.createSsl(pem("ca.crt")));
    const cleartext = createGrpcJsClient(ConnectorService, serve.address);
    try {
      const response = await unary(tls, ConnectorService.method.validate, {});
      expect(response.sdkVersion).toBe("v0.25.0");
      expect((await failureOf(unary(cleartext, ConnectorService.method.validate, {}))).code).toBe(grpc.status.UNAVAILABLE);
    } finally {
      tls.close();
      cleartext.close();
      expect(await serve.stop()).toEqual({ code: 0, signal: null });
    }
  });

  it("with --client-ca, refuses a client without a certificate and accepts one the CA signed", async () => {
    const serve = await startServeWithOrg(["--tls-cert", file("server.crt"), "--tls-key", file("server.key"), "--client-ca", file("ca.crt")]);
    const anonymous = createGrpcJsClient(ConnectorService, target(serve), grpc.credentials.createSsl(pem("ca.crt")));
    const authenticated = createGrpcJsClient(
      ConnectorService,
      target(serve),
      grpc.credentials.createSsl(pem("ca.crt"), pem("client.key"), pem("client.crt")),
    );
    try {
      expect((await failureOf(unary(anonymous, ConnectorService.method.validate, {}))).code).toBe(grpc.status.UNAVAILABLE);
      const response = await unary(authenticated, ConnectorService.method.validate, {});
      expect(response.sdkVersion).toBe("v0.25.0");
    } finally {
      anonymous.close();
      authenticated.close();
      expect(await serve.stop()).toEqual({ code: 0, signal: null });
    }
  });
});

describe("okta-connector serve on a Unix socket", () => {
  it("answers grpc-js over unix:///…", async () => {
    const dir = mkdtempSync(join(tmpdir(), "okta-connector-uds-"));
    const socket = join(dir, "connector.sock");
    const serve = await startServeWithOrg(["--listen", `unix://${socket}`]);
    const client = createGrpcJsClient(ConnectorService, `unix://${socket}`);
    try {
      expect(serve.address).toBe(`unix://${socket}`);
      const response = await unary(client, ConnectorService.method.validate, {});
      expect(response.sdkVersion).toBe("v0.25.0");
    } finally {
      client.close();
      expect(await serve.stop()).toEqual({ code: 0, signal: null });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
