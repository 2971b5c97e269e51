import * as grpc from "@grpc/grpc-js";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { Health as HealthService } from "../../gen/grpc/health/v1/health_pb.js";
import { createHealth, ServingStatus } from "../../src/server/health.js";
import type { Health } from "../../src/server/health.js";
import { createGrpcJsClient, serverStream, unary } from "../support/grpc-client.js";
import type { GrpcJsClient } from "../support/grpc-client.js";
import { startH2cServer } from "../support/h2c-server.js";
import type { H2cServer } from "../support/h2c-server.js";

describe("grpc.health.v1 over h2c, called by grpc-js", () => {
  let health: Health;
  let server: H2cServer;
  let client: GrpcJsClient;

  beforeAll(async () => {
    health = createHealth();
    server = await startH2cServer((router) => health.register(router));
    client = createGrpcJsClient(HealthService, server.address);
  });
  afterAll(async () => {
    client.close();
    await server.close();
  });
  afterEach(() => {
    health.setAll(ServingStatus.SERVING);
  });

  it("answers SERVING for the server as a whole", async () => {
    const response = await unary(client, HealthService.method.check, { service: "" });
    expect(response.status).toBe(ServingStatus.SERVING);
  });

  it("answers NOT_FOUND for a service it does not know", async () => {
    await expect(unary(client, HealthService.method.check, { service: "no.such.Service" })).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
    });
  });

  it("reports what setStatus set, per service", async () => {
    health.setStatus("c1.connector.v2.ResourcesService", ServingStatus.NOT_SERVING);
    const one = await unary(client, HealthService.method.check, { service: "c1.connector.v2.ResourcesService" });
    const whole = await unary(client, HealthService.method.check, { service: "" });
    expect([one.status, whole.status]).toEqual([ServingStatus.NOT_SERVING, ServingStatus.SERVING]);
  });

  it("lists every status", async () => {
    health.setStatus("c1.connector.v2.GrantsService", ServingStatus.SERVING);
    health.setStatus("c1.connector.v2.EventService", ServingStatus.NOT_SERVING);
    const { statuses } = await unary(client, HealthService.method.list, {});
    const flat = Object.fromEntries(Object.entries(statuses).map(([name, response]) => [name, response.status]));
    expect(flat).toMatchObject({
      "": ServingStatus.SERVING,
      "c1.connector.v2.GrantsService": ServingStatus.SERVING,
      "c1.connector.v2.EventService": ServingStatus.NOT_SERVING,
    });
  });

  it("setAll turns every service NOT_SERVING, as shutdown does", async () => {
    health.setStatus("c1.connector.v2.ResourcesService", ServingStatus.SERVING);
    health.setAll(ServingStatus.NOT_SERVING);
    const { statuses } = await unary(client, HealthService.method.list, {});
    const values = Object.values(statuses).map((response) => response.status);
    expect(values.length).toBeGreaterThanOrEqual(2);
    expect(new Set(values)).toEqual(new Set([ServingStatus.NOT_SERVING]));
  });

  it("Watch sends SERVICE_UNKNOWN, then each change once, and stops listening when cancelled", async () => {
    const watch = serverStream(client, HealthService.method.watch, { service: "okta.Sync" });
    const messages = watch[Symbol.asyncIterator]();
    // The first message proves the server subscribed, so the changes below cannot be missed.
    expect((await messages.next()).value?.status).toBe(ServingStatus.SERVICE_UNKNOWN);
    expect(health.watcherCount()).toBe(1);

    health.setStatus("okta.Sync", ServingStatus.SERVING);
    health.setStatus("okta.Sync", ServingStatus.SERVING);
    health.setStatus("another.Service", ServingStatus.NOT_SERVING);
    health.setStatus("okta.Sync", ServingStatus.NOT_SERVING);
    expect((await messages.next()).value?.status).toBe(ServingStatus.SERVING);
    expect((await messages.next()).value?.status).toBe(ServingStatus.NOT_SERVING);

    watch.cancel();
    await expect(messages.next()).rejects.toMatchObject({ code: grpc.status.CANCELLED });
    await vi.waitFor(() => expect(health.watcherCount()).toBe(0));
  });

  it("Watch on a known service starts with its current status", async () => {
    health.setStatus("c1.connector.v2.ResourcesService", ServingStatus.NOT_SERVING);
    const watch = serverStream(client, HealthService.method.watch, { service: "c1.connector.v2.ResourcesService" });
    const messages = watch[Symbol.asyncIterator]();
    expect((await messages.next()).value?.status).toBe(ServingStatus.NOT_SERVING);
    watch.cancel();
    await expect(messages.next()).rejects.toMatchObject({ code: grpc.status.CANCELLED });
    await vi.waitFor(() => expect(health.watcherCount()).toBe(0));
  });
});

describe("Watch during a server shutdown", () => {
  it("sees NOT_SERVING from setAll, then ends with the shutdown reason and leaves no listener", async () => {
    const health = createHealth();
    const shutdown = new AbortController();
    const server = await startH2cServer((router) => health.register(router), { shutdownSignal: shutdown.signal });
    const client = createGrpcJsClient(HealthService, server.address);
    try {
      const messages = serverStream(client, HealthService.method.watch, { service: "" })[Symbol.asyncIterator]();
      expect((await messages.next()).value?.status).toBe(ServingStatus.SERVING);

      health.setAll(ServingStatus.NOT_SERVING);
      expect((await messages.next()).value?.status).toBe(ServingStatus.NOT_SERVING);

      shutdown.abort(new ConnectError("server shutting down", Code.Unavailable));
      await expect(messages.next()).rejects.toMatchObject({
        code: grpc.status.UNAVAILABLE,
        details: "server shutting down",
      });
      expect(health.watcherCount()).toBe(0);
    } finally {
      client.close();
      await server.close();
    }
  });
});
