import { describe, expect, it } from "vitest";
import { isCliArgsError, parseFakeOktaArgs } from "./cli-args.js";

function failure(argv: string[]): string {
  try {
    parseFakeOktaArgs(argv);
  } catch (error) {
    if (isCliArgsError(error)) return error.message;
    throw error;
  }
  throw new Error(`${argv.join(" ")} was accepted`);
}

describe("fake-okta flags", () => {
  it("maps every flag to an option", () => {
    const parsed = parseFakeOktaArgs([
      "--port", "9000", "--host", "0.0.0.0", "--seed", "7", "--users", "1000", "--groups", "40", "--apps", "9",
      "--memberships", "5000", "--custom-roles", "2", "--resource-sets", "1", "--rate-scale", "60", "--no-rate-limits",
      "--concurrency-limit", "10", "--latency-ms", "5", "--jitter-ms", "3", "--error-rate", "0.1", "--reset-rate", "0.01",
      "--malformed-rate", "0.02", "--storm", "0.5", "--lost-reply-rate", "0.2", "--search-lag-ms", "250", "--fault-buckets", "users,logs", "--paused", "--no-dpop",
    ]);
    expect(parsed).toEqual({
      kind: "run",
      options: {
        port: 9000, host: "0.0.0.0", seed: 7, users: 1000, groups: 40, apps: 9, memberships: 5000, customRoles: 2, resourceSets: 1,
        rateScale: 60, rateLimits: false, concurrencyLimit: 10, requireDpop: false,
        faults: { latencyMs: 5, jitterMs: 3, errorRate: 0.1, resetRate: 0.01, malformedRate: 0.02, stormRate: 0.5, lostReplyRate: 0.2, searchLagMs: 250, buckets: ["users", "logs"], paused: true },
      },
    });
  });

  it("maps the System Log and churn flags", () => {
    expect(parseFakeOktaArgs(["--log-lag-ms", "1500", "--log-reorder-rate", "0.2", "--log-retention-ms", "60000", "--churn", "120"])).toEqual({
      kind: "run",
      options: { logLagMs: 1500, logReorderRate: 0.2, logRetentionMs: 60000, churnPerMinute: 120 },
    });
  });

  it("answers --help", () => {
    expect(parseFakeOktaArgs(["--help"])).toEqual({ kind: "help" });
  });

  it.each([
    [["--users", "abc"], "--users"],
    [["--users", "-5"], "--users"],
    [["--users", "1.5"], "--users"],
    [["--port", "70000"], "--port"],
    [["--rate-scale", "0"], "--rate-scale"],
    [["--error-rate", "1.5"], "--error-rate"],
    [["--storm", "x"], "--storm"],
    [["--latency-ms", "-1"], "--latency-ms"],
    [["--tls-cert", "/nonexistent.pem"], "--tls-cert"],
    [["--tls-cert", "/nonexistent.pem", "--tls-key", "/nonexistent.key"], "--tls-cert"],
    [["--log-lag-ms", "-1"], "--log-lag-ms"],
    [["--log-reorder-rate", "2"], "--log-reorder-rate"],
    [["--log-retention-ms", "0"], "--log-retention-ms"],
    [["--churn", "many"], "--churn"],
    [["--bogus"], "--bogus"],
    [["--users"], "--users"],
    [["extra"], "extra"],
  ])("rejects %j, naming %s", (argv, flag) => {
    expect(failure(argv)).toContain(flag);
  });
});
