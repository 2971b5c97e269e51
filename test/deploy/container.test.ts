import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { GenericContainer, getContainerRuntimeClient, ImageName, type StartedTestContainer, TestContainers, Wait } from "testcontainers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectorService } from "../../gen/c1/connector/v2/connector_pb.js";
import { Health, HealthCheckResponse_ServingStatus as ServingStatus } from "../../gen/grpc/health/v1/health_pb.js";
import { ConnectorStreamService } from "../../gen/oktaconnector/v1/stream_pb.js";
import { startFakeOkta, type FakeOkta } from "../fake-okta/index.js";
import { createGrpcJsClient, serverStreamAll, unary } from "../support/grpc-client.js";
import { httpGet, parsePrometheus, sumOf } from "../observability/support/observed-serve.js";
import { containerRuntimeUnavailable } from "./support/container-runtime.js";

/**
 * The image, built from the Dockerfile and run the way deploy/kubernetes/ runs it (uid 1000, no
 * capabilities, the token in a file), beside the simulated Okta org, called with grpc-js. Wherever a
 * container engine is reachable this runs; where none is (this build machine has only the docker
 * CLI), the suite is skipped and its title says why.
 */
const ROOT = join(import.meta.dirname, "../..");
const IMAGE = "okta-connector:testcontainers";
/** How the container reaches a port on the test host (testcontainers' port forwarder). */
const HOST_ALIAS = "host.testcontainers.internal";

const unavailable = (await containerRuntimeUnavailable()) ?? opensslMissing();
if (unavailable !== undefined) console.info(`test/deploy/container.test.ts: skipped, ${unavailable}`);

function opensslMissing(): string | undefined {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return undefined;
  } catch {
    return "openssl is missing (the simulated org needs a certificate: the connector allows http:// only on loopback)";
  }
}

describe.skipIf(unavailable !== undefined)(`the okta-connector image in a container${unavailable === undefined ? "" : ` (skipped: ${unavailable})`}`, () => {
  let dir: string;
  let okta: FakeOkta;
  let container: StartedTestContainer;
  let logs = "";
  const at = (port: number) => `${container.getHost()}:${container.getMappedPort(port)}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "okta-connector-container-"));
    // The connector refuses plain http to anything but loopback, so the simulated org serves HTTPS
    // with a certificate for the name the container dials, from a CA the container is told to trust.
    const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
    const key = ["-newkey", "rsa:2048", "-nodes"];
    openssl("req", "-x509", ...key, "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=okta-connector container test CA");
    writeFileSync(join(dir, "okta.ext"), `subjectAltName=DNS:${HOST_ALIAS}\nextendedKeyUsage=serverAuth\n`);
    openssl("req", ...key, "-keyout", "okta.key", "-out", "okta.csr", "-subj", `/CN=${HOST_ALIAS}`);
    openssl("x509", "-req", "-in", "okta.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1", "-out", "okta.crt", "-extfile", "okta.ext");
    okta = await startFakeOkta({ users: 50, tls: { cert: readFileSync(join(dir, "okta.crt")), key: readFileSync(join(dir, "okta.key")) } });
    const oktaPort = Number(new URL(okta.url).port);
    await TestContainers.exposeHostPorts(oktaPort);

    const image = await GenericContainer.fromDockerfile(ROOT).build(IMAGE, { deleteOnExit: true });
    const size = (await (await getContainerRuntimeClient()).image.inspect(ImageName.fromString(IMAGE))).Size;
    console.info(`okta-connector image size: ${(size / 1e6).toFixed(1)} MB`);

    container = await image
      .withUser("1000:1000")
      .withDroppedCapabilities("ALL")
      .withSecurityOpt("no-new-privileges")
      .withCopyContentToContainer([
        { content: okta.tokens.read_only, target: "/run/secrets/okta/api-token", mode: 0o444 },
        { content: readFileSync(join(dir, "ca.crt"), "utf8"), target: "/run/certs/ca.crt", mode: 0o444 },
      ])
      .withEnvironment({ BATON_DOMAIN: `https://${HOST_ALIAS}:${oktaPort}`, NODE_EXTRA_CA_CERTS: "/run/certs/ca.crt" })
      .withCommand([
        "serve",
        "--listen=0.0.0.0:50051",
        "--health-listen=0.0.0.0:8081",
        "--metrics-listen=0.0.0.0:9464",
        "--api-token-file=/run/secrets/okta/api-token",
        "--shutdown-grace-seconds=2",
      ])
      .withExposedPorts(50051, 8081, 9464)
      .withLogConsumer((stream) => stream.on("data", (chunk: Buffer | string) => (logs += chunk.toString())))
      .withWaitStrategy(Wait.forLogMessage(/"msg":"okta-connector serving"/))
      .withStartupTimeout(60_000)
      .start();
  }, 20 * 60_000);

  afterAll(async () => {
    await container?.stop().catch(() => undefined);
    await okta?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("runs as uid 1000 with node as PID 1", async () => {
    expect((await container.exec(["id", "-u"])).output.trim()).toBe("1000");
    expect((await container.exec(["cat", "/proc/1/cmdline"])).output.split("\0").slice(0, 2)).toEqual(["node", "dist/src/cli.js"]);
  });

  it("is ready once the token validated, and answers grpc-js on the probe port and the main port", async () => {
    const probe = createGrpcJsClient(Health, at(8081));
    const connector = createGrpcJsClient(ConnectorService, at(50051));
    try {
      expect((await unary(probe, Health.method.check, { service: "" })).status).toBe(ServingStatus.SERVING);
      expect((await unary(connector, ConnectorService.method.validate, {})).sdkVersion).toBe("v0.25.0");
      await expect(unary(createGrpcJsClient(ConnectorService, at(8081)), ConnectorService.method.validate, {})).rejects.toMatchObject({ code: grpc.status.UNIMPLEMENTED });
    } finally {
      probe.close();
      connector.close();
    }
  });

  it("syncs the simulated org, and /metrics counts the Okta calls the simulator answered", async () => {
    const client = createGrpcJsClient(ConnectorStreamService, at(50051));
    try {
      const messages = await serverStreamAll(client, ConnectorStreamService.method.sync, {});
      const summary = messages.at(-1)?.event;
      expect(summary?.case).toBe("summary");
      const users = summary?.case === "summary" ? summary.value.counts.find((c) => c.resourceTypeId === "user") : undefined;
      expect(Number(users?.resources ?? 0)).toBeGreaterThan(0);
    } finally {
      client.close();
    }
    const samples = parsePrometheus((await httpGet(`http://${at(9464)}/metrics`)).body);
    expect(sumOf(samples, "okta_connector_okta_requests_total")).toBe(okta.stats().totals.calls);
  });

  it("drains on SIGTERM and exits 0", async () => {
    const stopped = await container.stop({ timeout: 30_000, remove: false });
    const client = await getContainerRuntimeClient();
    const state = (await client.container.inspect(client.container.getById(stopped.getId()))).State;
    await client.container.remove(client.container.getById(stopped.getId()));
    expect(state.ExitCode).toBe(0);
    expect(logs).toContain('"msg":"server closed"');
  });
});
