import { describe, expect, it } from "vitest";
import { isConfigError } from "./config-error.js";
import { loadConfig, type RawFlags } from "./load-config.js";

const TOKEN = "00abcdefghijklmnopqrstuvwxyz0123456789ABCD";
const load = (flags: RawFlags, env: Record<string, string> = {}) => loadConfig({ flags: { domain: "acme.okta.com", "api-token": TOKEN, ...flags }, env });
const failure = (flags: RawFlags) => {
  try {
    load(flags);
  } catch (error) {
    if (isConfigError(error)) return error.message;
    throw error;
  }
  throw new Error("loadConfig accepted the flags");
};

describe("loadConfig: --health-listen and --metrics-listen", () => {
  it("leaves both off by default", () => {
    const config = load({});
    expect([config.server.healthListen, config.server.metricsListen]).toEqual([undefined, undefined]);
  });

  it("binds the probe and metrics ports to every interface while --listen stays on loopback", () => {
    const config = load({ "health-listen": "0.0.0.0:8081", "metrics-listen": ":9464" });
    expect(config.server.listen).toEqual({ kind: "tcp", host: "127.0.0.1", port: 50051 });
    expect(config.server.healthListen).toEqual({ kind: "tcp", host: "0.0.0.0", port: 8081 });
    expect(config.server.metricsListen).toEqual({ kind: "tcp", host: "0.0.0.0", port: 9464 });
  });

  it("reads BATON_HEALTH_LISTEN and BATON_METRICS_LISTEN", () => {
    const config = load({}, { BATON_HEALTH_LISTEN: "0.0.0.0:8081", BATON_METRICS_LISTEN: "0.0.0.0:9464" });
    expect([config.server.healthListen?.port, config.server.metricsListen?.port]).toEqual([8081, 9464]);
  });

  it.each([
    ["a unix socket for the probe port", { "health-listen": "unix:///run/health.sock" }, /^--health-listen: "unix:\/\/\/run\/health.sock" is a unix socket; use host:port/],
    ["a port that is not host:port", { "metrics-listen": "9464" }, /^--metrics-listen: "9464" is not host:port/],
    ["the port of --listen", { "health-listen": "127.0.0.1:50051" }, /^--health-listen: 127.0.0.1:50051 takes the port of --listen \(127.0.0.1:50051\)/],
    ["the port of --listen on the wildcard address", { "health-listen": "0.0.0.0:50051" }, /^--health-listen: 0.0.0.0:50051 takes the port of --listen/],
    ["the port of --health-listen", { "health-listen": "0.0.0.0:8081", "metrics-listen": "127.0.0.1:8081" }, /^--metrics-listen: 127.0.0.1:8081 takes the port of --health-listen/],
  ])("refuses %s", (_why, flags, message) => {
    expect(failure(flags)).toMatch(message);
  });

  it("allows the same port on two different specific addresses, and port 0 everywhere", () => {
    expect(load({ listen: "127.0.0.1:8081", "health-listen": "10.0.0.5:8081" }).server.healthListen?.port).toBe(8081);
    expect(load({ listen: "127.0.0.1:0", "health-listen": "127.0.0.1:0", "metrics-listen": "127.0.0.1:0" }).server.metricsListen?.port).toBe(0);
  });

  it("redacts OTLP header values in the loggable view and keeps the endpoint", () => {
    const config = load({}, { OTEL_TRACES_EXPORTER: "otlp", OTEL_EXPORTER_OTLP_HEADERS: "x-api-key=very-secret-collector-key" });
    const logged = JSON.stringify(config);
    expect(logged).not.toContain("very-secret-collector-key");
    expect(JSON.parse(logged).tracing).toMatchObject({ endpoint: "http://localhost:4318/v1/traces", headers: { "x-api-key": "[REDACTED]" } });
  });
});
