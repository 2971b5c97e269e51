import { randomBytes } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { SpanKind } from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ConnectorService } from "../../gen/c1/connector/v2/connector_pb.js";
import { ConnectorStreamService } from "../../gen/oktaconnector/v1/stream_pb.js";
import { loadConfig } from "../../src/config/index.js";
import { createOktaConnector } from "../../src/connector/create-connector.js";
import { connectorJsonTypes, registerConnectorServices } from "../../src/protocol/index.js";
import { createConnectorServer, type ConnectorServer } from "../../src/server/create-server.js";
import { createTracingInterceptor } from "../../src/server/interceptors/tracing.js";
import { createLogger } from "../../src/server/logger.js";
import { createOktaSpanObserver } from "../../src/server/tracing/okta-spans.js";
import { createTracing, type Tracing } from "../../src/server/tracing/tracing.js";
import { startFakeOkta, type FakeOkta } from "../fake-okta/index.js";
import { createGrpcJsClient, serverStreamAll, unary } from "../support/grpc-client.js";
import { buildCliIfStale, startServeProcess } from "../support/serve-process.js";

/** A caller's W3C trace context: random ids, sampled. */
function callerTrace(): { traceId: string; spanId: string; traceparent: string } {
  const traceId = randomBytes(16).toString("hex");
  const spanId = randomBytes(8).toString("hex");
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

let okta: FakeOkta;
beforeAll(async () => {
  await buildCliIfStale();
  okta = await startFakeOkta({ users: 30 });
}, 120_000);
afterAll(async () => {
  await okta?.close();
});

describe("the tracing interceptor and Okta spans, in process with an in-memory exporter", () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let server: ConnectorServer;
  let address: string;

  beforeAll(async () => {
    const config = loadConfig({ flags: { domain: okta.url, "api-token": okta.tokens.super_admin }, env: {} });
    tracing = createTracing({ serviceName: "okta-connector", sampler: { kind: "parentbased_always_on" }, exporter, exportEachSpan: true });
    const spans = createOktaSpanObserver({ tracer: tracing.tracer, scope: tracing.scope, orgUrl: okta.url });
    const connector = createOktaConnector(config, undefined, { oktaObservers: [spans] }).definition;
    server = createConnectorServer({
      routes: (router) => registerConnectorServices(router, connector),
      interceptors: [createTracingInterceptor(tracing)],
      tls: undefined,
      readMaxBytes: 4 * 1024 * 1024,
      logger: createLogger({ level: "silent" }),
      jsonTypes: connectorJsonTypes,
    });
    const bound = await server.listen({ kind: "tcp", host: "127.0.0.1", port: 0 });
    address = `127.0.0.1:${bound.kind === "tcp" ? bound.port : 0}`;
  });
  afterAll(async () => {
    await server?.shutdown(0);
    await tracing?.shutdown();
  });

  const serverSpan = (name: string) => exporter.getFinishedSpans().find((s) => s.name === name && s.kind === SpanKind.SERVER);
  const childrenOf = (span: ReadableSpan) => exporter.getFinishedSpans().filter((s) => s.parentSpanContext?.spanId === span.spanContext().spanId);

  it("continues the caller's trace: the RPC span has its trace id and its span as parent, and Okta calls are its children", async () => {
    const caller = callerTrace();
    const client = createGrpcJsClient(ConnectorService, address);
    try {
      await unary(client, ConnectorService.method.validate, {}, { traceparent: caller.traceparent });
    } finally {
      client.close();
    }
    const span = serverSpan("c1.connector.v2.ConnectorService/Validate");
    expect(span?.spanContext().traceId).toBe(caller.traceId);
    expect(span?.parentSpanContext?.spanId).toBe(caller.spanId);
    expect(span?.attributes).toMatchObject({ "rpc.system": "grpc", "rpc.service": "c1.connector.v2.ConnectorService", "rpc.method": "Validate", "rpc.grpc.status_code": 0 });

    const okta = childrenOf(span!);
    expect(okta.length).toBeGreaterThan(0);
    for (const child of okta) {
      expect(child.kind).toBe(SpanKind.CLIENT);
      expect(child.spanContext().traceId).toBe(caller.traceId);
      expect(child.attributes["http.response.status_code"]).toBeTypeOf("number");
      expect(child.attributes["okta.rate_limit.bucket"]).toBeTypeOf("string");
    }
    expect(okta.map((s) => s.name)).toContain("GET /api/v1/users");
  });

  it("puts the Okta calls a server stream makes under its span", async () => {
    const caller = callerTrace();
    const client = createGrpcJsClient(ConnectorStreamService, address);
    let messages;
    try {
      messages = await serverStreamAll(client, ConnectorStreamService.method.streamResources, { resourceTypeId: "user", batchSize: 10 }, { traceparent: caller.traceparent });
    } finally {
      client.close();
    }
    const span = serverSpan("oktaconnector.v1.ConnectorStreamService/StreamResources");
    expect(span?.spanContext().traceId).toBe(caller.traceId);
    expect(span?.attributes["rpc.message.sent_count"]).toBe(messages.length);
    expect(childrenOf(span!).map((s) => s.name)).toContain("GET /api/v1/users");
  });

  it("starts a new trace when the caller sends none", async () => {
    const client = createGrpcJsClient(ConnectorService, address);
    exporter.reset();
    try {
      await unary(client, ConnectorService.method.getMetadata, {});
    } finally {
      client.close();
    }
    const span = serverSpan("c1.connector.v2.ConnectorService/GetMetadata");
    expect(span?.parentSpanContext).toBeUndefined();
    expect(span?.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
}

describe("okta-connector serve with OTEL_TRACES_EXPORTER=otlp, exporting to a local OTLP/HTTP receiver", () => {
  it("exports the RPC span under the caller's trace id, Okta calls as its children, and no secret", async () => {
    const bodies: string[] = [];
    const headers: http.IncomingHttpHeaders[] = [];
    const receiver = http.createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      req.on("end", () => {
        if (req.url === "/v1/traces") {
          bodies.push(body);
          headers.push(req.headers);
        }
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const collectorKey = "collector-api-key-1f2e3d4c5b6a";
    const serve = await startServeProcess(["--domain", okta.url], {
      withOktaArgs: false,
      env: {
        BATON_API_TOKEN: okta.tokens.super_admin,
        OTEL_TRACES_EXPORTER: "otlp",
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
        OTEL_EXPORTER_OTLP_HEADERS: `x-api-key=${collectorKey}`,
        OTEL_SERVICE_NAME: "okta-connector-test",
        OTEL_BSP_SCHEDULE_DELAY: "100",
      },
    });
    const caller = callerTrace();
    const client = createGrpcJsClient(ConnectorService, serve.address);
    try {
      await unary(client, ConnectorService.method.validate, {}, { traceparent: caller.traceparent });
      const spans = () =>
        bodies.flatMap((b) => (JSON.parse(b) as { resourceSpans: { scopeSpans: { spans: ReceivedSpan[] }[] }[] }).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
      const rpcSpan = () => spans().find((s) => s.name === "c1.connector.v2.ConnectorService/Validate");
      await vi.waitFor(() => expect(rpcSpan()).toBeDefined(), { timeout: 15_000, interval: 100 });

      const span = rpcSpan()!;
      expect(span.traceId).toBe(caller.traceId);
      expect(span.parentSpanId).toBe(caller.spanId);
      await vi.waitFor(() => expect(spans().filter((s) => s.parentSpanId === span.spanId).length).toBeGreaterThan(0), { timeout: 15_000, interval: 100 });
      const children = spans().filter((s) => s.parentSpanId === span.spanId);
      expect(children.every((s) => s.traceId === caller.traceId && /^(GET|DELETE) \/api\/v1\//.test(s.name))).toBe(true);

      expect(headers[0]?.["x-api-key"]).toBe(collectorKey);
      expect(bodies.join("")).toContain('"okta-connector-test"');
      const everything = bodies.join("") + serve.stdout() + serve.stderr();
      expect(everything).not.toContain(okta.tokens.super_admin);
      expect(serve.stdout() + serve.stderr()).not.toContain(collectorKey);
    } finally {
      client.close();
      await serve.stop();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
