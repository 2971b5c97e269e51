import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { RateLimitDescription_Status, RateLimitDescriptionSchema } from "../../gen/c1/connector/v2/annotation_ratelimit_pb.js";
import { DEFAULT_SYNC_RETRY_POLICY, isRetryableSyncError, syncRetryDelayMs } from "./retry-policy.js";

const NOW = Date.parse("2025-03-01T12:00:00Z");

function withResetAt(ms: number): ConnectError {
  const detail = create(RateLimitDescriptionSchema, { status: RateLimitDescription_Status.OVERLIMIT, resetAt: timestampFromMs(ms) });
  return new ConnectError("Okta rate limit on /api/v1/users", Code.Unavailable, undefined, [{ desc: RateLimitDescriptionSchema, value: detail }]);
}

function lostConnection(code: string, as: Code): ConnectError {
  const cause = Object.assign(new Error(`read ${code}`), { code });
  const error = new ConnectError(`read ${code}`, as);
  error.cause = cause;
  return error;
}

describe("isRetryableSyncError", () => {
  const cases: [string, unknown, boolean][] = [
    ["UNAVAILABLE from the connector (Okta down after its retries)", new ConnectError("Okta answered 503", Code.Unavailable), true],
    ["a refused connection, which connect reports as UNAVAILABLE", new ConnectError("connect ECONNREFUSED 127.0.0.1:50051", Code.Unavailable), true],
    ["a connection reset mid-stream, which connect-node reports as ABORTED", lostConnection("ECONNRESET", Code.Aborted), true],
    ["an HTTP/2 session error, reported as INTERNAL", lostConnection("ERR_HTTP2_SESSION_ERROR", Code.Internal), true],
    ["a stream reset with CANCEL when the connector's process dies", new ConnectError("http/2 stream closed with error code CANCEL (0x8)", Code.Canceled), true],
    ["ABORTED sent by a server, without a socket error", new ConnectError("aborted", Code.Aborted), false],
    ["FAILED_PRECONDITION for a cursor of another org", new ConnectError("resume_cursor: comes from another Okta org", Code.FailedPrecondition), false],
    ["INVALID_ARGUMENT for a tampered cursor", new ConnectError("resume_cursor: integrity check failed", Code.InvalidArgument), false],
    ["UNAUTHENTICATED (wrong bearer token)", new ConnectError("missing bearer token", Code.Unauthenticated), false],
    ["a plain Error", new Error("boom"), false],
  ];
  for (const [name, error, expected] of cases) {
    it(`${expected ? "retries" : "does not retry"} ${name}`, () => expect(isRetryableSyncError(error)).toBe(expected));
  }
});

describe("syncRetryDelayMs", () => {
  const fixed = { now: () => NOW, random: () => 0.5 };

  it("backs off exponentially with equal jitter, capped", () => {
    const delays = [1, 2, 3, 4, 10].map((attempt) => syncRetryDelayMs(attempt, new ConnectError("x", Code.Unavailable), DEFAULT_SYNC_RETRY_POLICY, fixed));
    expect(delays).toEqual([375, 750, 1_500, 3_000, 22_500]);
  });

  it("waits until a RateLimitDescription reset_at that lies beyond the backoff", () => {
    expect(syncRetryDelayMs(1, withResetAt(NOW + 40_000), DEFAULT_SYNC_RETRY_POLICY, fixed)).toBe(40_000);
  });

  it("uses the backoff when reset_at has passed or is nearer", () => {
    expect(syncRetryDelayMs(1, withResetAt(NOW - 5_000), DEFAULT_SYNC_RETRY_POLICY, fixed)).toBe(375);
    expect(syncRetryDelayMs(3, withResetAt(NOW + 100), DEFAULT_SYNC_RETRY_POLICY, fixed)).toBe(1_500);
  });

  it("caps a far reset_at at maxResetWaitMs", () => {
    expect(syncRetryDelayMs(1, withResetAt(NOW + 3_600_000), { ...DEFAULT_SYNC_RETRY_POLICY, maxResetWaitMs: 120_000 }, fixed)).toBe(120_000);
  });
});
