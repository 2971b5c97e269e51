import { describe, expect, it } from "vitest";
import { isConfigError } from "./config-error.js";
import { loadTracingConfig } from "./tracing-config.js";

const fails = (env: Record<string, string>) => {
  try {
    loadTracingConfig(env);
  } catch (error) {
    if (isConfigError(error)) return error.message;
    throw error;
  }
  throw new Error("loadTracingConfig accepted the environment");
};

describe("loadTracingConfig (OTEL_* variables)", () => {
  it("is off when nothing is set, unlike the specification's otlp default", () => {
    expect(loadTracingConfig({})).toBeUndefined();
  });

  it.each([
    ["OTEL_TRACES_EXPORTER=none, even with an endpoint", { OTEL_TRACES_EXPORTER: "none", OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }],
    ["OTEL_SDK_DISABLED=true, which wins over everything", { OTEL_SDK_DISABLED: "true", OTEL_TRACES_EXPORTER: "otlp" }],
    ["an empty OTEL_TRACES_EXPORTER and no endpoint", { OTEL_TRACES_EXPORTER: "" }],
  ])("is off with %s", (_why, env) => {
    expect(loadTracingConfig(env)).toBeUndefined();
  });

  it("turns on with OTEL_TRACES_EXPORTER=otlp alone, sending to the specification's default endpoint", () => {
    expect(loadTracingConfig({ OTEL_TRACES_EXPORTER: "otlp" })).toEqual({
      endpoint: "http://localhost:4318/v1/traces",
      headers: {},
      serviceName: "okta-connector",
      resourceAttributes: {},
      sampler: { kind: "parentbased_always_on" },
    });
  });

  it("turns on with a base endpoint alone and appends /v1/traces to it (and only to it)", () => {
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://otel-collector.monitoring:4318/" })?.endpoint).toBe("http://otel-collector.monitoring:4318/v1/traces");
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://a:4318", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://b.example/custom/traces" })?.endpoint).toBe(
      "https://b.example/custom/traces",
    );
  });

  it("reads headers (percent-decoded, the traces-specific ones winning), service name, resource attributes and sampler", () => {
    const config = loadTracingConfig({
      OTEL_TRACES_EXPORTER: "otlp",
      OTEL_EXPORTER_OTLP_HEADERS: "x-api-key=abc%3D%3D,x-tenant=acme",
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: "x-tenant=globex",
      OTEL_RESOURCE_ATTRIBUTES: "k8s.pod.name=okta-governance-7d9f,deployment.environment=prod",
      OTEL_SERVICE_NAME: "okta-connector-eu",
      OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
      OTEL_TRACES_SAMPLER_ARG: "0.25",
    });
    expect(config).toMatchObject({
      headers: { "x-api-key": "abc==", "x-tenant": "globex" },
      serviceName: "okta-connector-eu",
      resourceAttributes: { "k8s.pod.name": "okta-governance-7d9f", "deployment.environment": "prod" },
      sampler: { kind: "parentbased_traceidratio", ratio: 0.25 },
    });
  });

  it("takes service.name from OTEL_RESOURCE_ATTRIBUTES when OTEL_SERVICE_NAME is absent", () => {
    expect(loadTracingConfig({ OTEL_TRACES_EXPORTER: "otlp", OTEL_RESOURCE_ATTRIBUTES: "service.name=okta-sidecar" })?.serviceName).toBe("okta-sidecar");
  });

  it.each([
    ["an exporter we do not ship", { OTEL_TRACES_EXPORTER: "zipkin" }, /^OTEL_TRACES_EXPORTER: "zipkin" is not supported; use otlp/],
    ["OTLP over gRPC", { OTEL_TRACES_EXPORTER: "otlp", OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" }, /^OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" is not supported/],
    ["a traces protocol of grpc", { OTEL_TRACES_EXPORTER: "otlp", OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "grpc" }, /^OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: /],
    ["an endpoint that is not a URL", { OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" }, /^OTEL_EXPORTER_OTLP_ENDPOINT: scheme collector: is not http\(s\)/],
    ["credentials in the endpoint", { OTEL_EXPORTER_OTLP_ENDPOINT: "http://user:pw@collector:4318" }, /^OTEL_EXPORTER_OTLP_ENDPOINT: carries credentials/],
    ["an unknown sampler", { OTEL_TRACES_EXPORTER: "otlp", OTEL_TRACES_SAMPLER: "jaeger_remote" }, /^OTEL_TRACES_SAMPLER: "jaeger_remote" is not supported/],
    ["a ratio above 1", { OTEL_TRACES_EXPORTER: "otlp", OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "1.5" }, /^OTEL_TRACES_SAMPLER_ARG: "1.5" is not a ratio/],
    ["a resource attribute without =", { OTEL_TRACES_EXPORTER: "otlp", OTEL_RESOURCE_ATTRIBUTES: "k8s.pod.name" }, /^OTEL_RESOURCE_ATTRIBUTES: "k8s.pod.name" is not key=value/],
  ])("refuses %s in one line naming the variable", (_why, env, message) => {
    expect(fails(env)).toMatch(message);
  });

  it("names a malformed header by position and never echoes its value, which is usually an API key", () => {
    const message = fails({ OTEL_TRACES_EXPORTER: "otlp", OTEL_EXPORTER_OTLP_HEADERS: "x-tenant=acme,sekrit-api-key-value" });
    expect(message).toBe("OTEL_EXPORTER_OTLP_HEADERS: entry 2 is not key=value; write key1=value1,key2=value2 with percent-encoded values");
  });
});
