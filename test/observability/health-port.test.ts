import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ConnectorService } from "../../gen/c1/connector/v2/connector_pb.js";
import { ResourcesService } from "../../gen/c1/connector/v2/resource_pb.js";
import { Health, HealthCheckResponse_ServingStatus as ServingStatus } from "../../gen/grpc/health/v1/health_pb.js";
import * as reflection from "../../gen/grpc/reflection/v1/reflection_pb.js";
import { ConnectorStreamService } from "../../gen/oktaconnector/v1/stream_pb.js";
import { startFakeOkta, type FakeOkta } from "../fake-okta/index.js";
import { bidiStreamAll, createGrpcJsClient, type GrpcJsClient, serverStream, serverStreamAll, unary } from "../support/grpc-client.js";
import { buildCliIfStale, type ServeProcess, startServeProcess } from "../support/serve-process.js";
import { servingLine } from "./support/observed-serve.js";

/** The code a call failed with. */
async function codeOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
  } catch (error) {
    return (error as grpc.ServiceError).code;
  }
  throw new Error("the call succeeded");
}

function startWithHealthPort(okta: FakeOkta, token: string, args: readonly string[] = []): Promise<ServeProcess> {
  return startServeProcess(["--domain", okta.url, "--health-listen", "127.0.0.1:0", ...args], { withOktaArgs: false, env: { BATON_API_TOKEN: token } });
}

beforeAll(async () => {
  await buildCliIfStale();
}, 120_000);

describe("--health-listen: a plaintext port serving grpc.health.v1 and nothing else", () => {
  let okta: FakeOkta;
  let serve: ServeProcess;
  let probe: GrpcJsClient;

  beforeAll(async () => {
    okta = await startFakeOkta({ users: 20 });
    serve = await startWithHealthPort(okta, okta.tokens.super_admin, ["--shutdown-grace-seconds", "2"]);
    probe = createGrpcJsClient(Health, servingLine(serve).health!);
  });
  afterAll(async () => {
    probe?.close();
    await serve?.stop("SIGKILL");
    await okta?.close();
  });

  it("is a port of its own, and serve waited for the credential check before saying it serves", () => {
    const line = servingLine(serve);
    expect(line.health).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(line.health).not.toBe(line.listen);
    expect(line.ready).toBe(true);
  });

  it("answers Check: the server SERVING once the credential validated, and the liveness name SERVING", async () => {
    expect((await unary(probe, Health.method.check, { service: "" })).status).toBe(ServingStatus.SERVING);
    expect((await unary(probe, Health.method.check, { service: "liveness" })).status).toBe(ServingStatus.SERVING);
    expect(await codeOf(unary(probe, Health.method.check, { service: "c1.connector.v2.NoSuchService" }))).toBe(grpc.status.NOT_FOUND);
  });

  it("refuses every other service with UNIMPLEMENTED, without calling Okta", async () => {
    const address = servingLine(serve).health!;
    const clients = [ConnectorService, ResourcesService, ConnectorStreamService, reflection.ServerReflection].map((service) => createGrpcJsClient(service, address));
    const [connector, resources, stream, reflect] = clients as [GrpcJsClient, GrpcJsClient, GrpcJsClient, GrpcJsClient];
    const callsBefore = okta.stats().totals.calls;
    try {
      const codes = [
        await codeOf(unary(connector, ConnectorService.method.validate, {})),
        await codeOf(unary(connector, ConnectorService.method.getMetadata, {})),
        await codeOf(unary(resources, ResourcesService.method.listResources, { resourceTypeId: "user" })),
        await codeOf(serverStreamAll(stream, ConnectorStreamService.method.sync, {})),
        await codeOf(bidiStreamAll(reflect, reflection.ServerReflection.method.serverReflectionInfo, [{ messageRequest: { case: "listServices", value: "" } }])),
      ];
      expect(codes).toEqual(Array(5).fill(grpc.status.UNIMPLEMENTED));
      expect(okta.stats().totals.calls).toBe(callsBefore);
    } finally {
      for (const client of clients) client.close();
    }
  });

  it("shares its statuses with the main port's Health service", async () => {
    const main = createGrpcJsClient(Health, serve.address);
    try {
      const { statuses } = await unary(main, Health.method.list, {});
      expect(Object.fromEntries(Object.entries(statuses).map(([name, s]) => [name, s.status]))).toEqual({ "": ServingStatus.SERVING, liveness: ServingStatus.SERVING });
    } finally {
      main.close();
    }
  });

  // Last in this block: it stops the process.
  it("on SIGTERM turns readiness NOT_SERVING on the probe port through the drain, keeps liveness SERVING, and exits 0", async () => {
    // A stream open on the main port holds the drain for the whole grace period.
    const main = createGrpcJsClient(Health, serve.address);
    const mainWatch = serverStream(main, Health.method.watch, { service: "" })[Symbol.asyncIterator]();
    const probeWatch = serverStream(probe, Health.method.watch, { service: "" })[Symbol.asyncIterator]();
    try {
      expect((await mainWatch.next()).value?.status).toBe(ServingStatus.SERVING);
      expect((await probeWatch.next()).value?.status).toBe(ServingStatus.SERVING);

      serve.child.kill("SIGTERM");
      expect((await probeWatch.next()).value?.status).toBe(ServingStatus.NOT_SERVING);
      // Still draining, and the kubelet's liveness probe must not restart a container that is shutting down.
      expect((await unary(probe, Health.method.check, { service: "liveness" })).status).toBe(ServingStatus.SERVING);
      expect((await unary(probe, Health.method.check, { service: "" })).status).toBe(ServingStatus.NOT_SERVING);
      expect(serve.child.exitCode).toBeNull();

      expect(await serve.exited).toEqual({ code: 0, signal: null });
    } finally {
      main.close();
    }
  });
});

describe("readiness follows the Okta credential", () => {
  it("stays NOT_SERVING while Okta refuses the token (401 E0000011), retrying with backoff, while liveness stays SERVING", async () => {
    const okta = await startFakeOkta({ users: 20 });
    const bogus = "00BogusTokenThatOktaNeverIssued0123456789ab";
    const serve = await startWithHealthPort(okta, bogus);
    const probe = createGrpcJsClient(Health, servingLine(serve).health!);
    try {
      expect(servingLine(serve).ready).toBe(false);
      const notReady = () => serve.logLines().filter((l) => l.msg === "not ready: validating the Okta credential failed");
      // The second attempt proves the check is retried; the first retry waits one second.
      await vi.waitFor(() => expect(notReady().length).toBeGreaterThanOrEqual(2), { timeout: 15_000, interval: 100 });

      expect((await unary(probe, Health.method.check, { service: "" })).status).toBe(ServingStatus.NOT_SERVING);
      expect((await unary(probe, Health.method.check, { service: "liveness" })).status).toBe(ServingStatus.SERVING);
      expect(notReady()[0]).toMatchObject({ level: "warn", attempt: 1, retryInMs: 1000, reason: expect.stringContaining("E0000011") });
      // The fix names the credential in use: an API token here, so nothing about OAuth.
      expect(notReady()[0]!.reason).toMatch(/check --api-token \(or --api-token-file\)/);
      expect(notReady()[1]).toMatchObject({ attempt: 2, retryInMs: 2000 });
      expect(okta.stats().totals.statuses["401"]).toBeGreaterThanOrEqual(2);
      expect(serve.stdout() + serve.stderr()).not.toContain(bogus);
    } finally {
      probe.close();
      await serve.stop();
      await okta.close();
    }
  });

  it("is NOT_SERVING while Okta does not answer, and turns SERVING (seen by Watch) once it does", async () => {
    const okta = await startFakeOkta({ users: 20, faults: { paused: true } });
    const serve = await startWithHealthPort(okta, okta.tokens.read_only);
    const probe = createGrpcJsClient(Health, servingLine(serve).health!);
    try {
      // serve stops waiting for the first check after a few seconds and says it is not ready yet.
      expect(servingLine(serve).ready).toBe(false);
      const watch = serverStream(probe, Health.method.watch, { service: "" });
      const updates = watch[Symbol.asyncIterator]();
      expect((await updates.next()).value?.status).toBe(ServingStatus.NOT_SERVING);
      expect(okta.stats().inFlight).toBeGreaterThan(0);

      okta.setFaults({ paused: false });
      expect((await updates.next()).value?.status).toBe(ServingStatus.SERVING);
      watch.cancel();
      await vi.waitFor(() => expect(serve.logLines().map((l) => l.msg)).toContain("okta-connector ready: the Okta credential is valid"));
    } finally {
      probe.close();
      await serve.stop();
      await okta.close();
    }
  });
});
