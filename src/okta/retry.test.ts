import { describe, expect, it } from "vitest";
import { MALFORMED_BODY_CODE, isConcurrencyLimited, isRetryable, retryDelayMs, type RetryResponse } from "./retry.js";

function response(status: number, values: Record<string, string> = {}): RetryResponse {
  return { status, headers: { get: (name) => values[name.toLowerCase()] ?? null } };
}

const DATE = "Tue, 14 Nov 2023 22:13:20 GMT"; // epoch 1_700_000_000
const DATE_EPOCH_S = 1_700_000_000;

describe("isRetryable", () => {
  const rows: [string, unknown, boolean][] = [
    ["429", 429, true],
    ["500", 500, true],
    ["502", 502, true],
    ["503", 503, true],
    ["504", 504, true],
    ["501 is not transient", 501, false],
    ["400", 400, false],
    ["401", 401, false],
    ["403", 403, false],
    ["404", 404, false],
    ["409", 409, false],
    ["ECONNRESET", Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }), true],
    ["ETIMEDOUT", Object.assign(new Error("timeout"), { code: "ETIMEDOUT" }), true],
    ["premature close of a chunked body", Object.assign(new Error("Invalid response body: Premature close"), { name: "FetchError", code: "ERR_STREAM_PREMATURE_CLOSE" }), true],
    ["EPIPE", Object.assign(new Error("write EPIPE"), { code: "EPIPE" }), true],
    ["socket hang up without a code", new Error("request to http://x failed, reason: socket hang up"), true],
    ["node-fetch request-timeout", Object.assign(new Error("network timeout"), { type: "request-timeout" }), true],
    ["node-fetch body-timeout", Object.assign(new Error("body timeout"), { type: "body-timeout" }), true],
    ["malformed body", Object.assign(new Error("bad json"), { code: MALFORMED_BODY_CODE }), true],
    ["ECONNREFUSED (a wrong URL does not heal)", Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), false],
    ["caller abort", Object.assign(new Error("The user aborted a request."), { name: "AbortError", code: "ECONNRESET" }), false],
    ["plain error", new Error("boom"), false],
    ["undefined", undefined, false],
    ["string", "ECONNRESET", false],
  ];
  it.each(rows)("%s → %s", (_name, failure, want) => {
    expect(isRetryable(failure)).toBe(want);
  });
});

describe("isConcurrencyLimited", () => {
  it("is a 429 with X-Rate-Limit-Limit 0", () => {
    expect(isConcurrencyLimited(response(429, { "x-rate-limit-limit": "0", "x-rate-limit-remaining": "0" }))).toBe(true);
    expect(isConcurrencyLimited(response(429, { "x-rate-limit-limit": "600", "x-rate-limit-remaining": "0" }))).toBe(false);
    expect(isConcurrencyLimited(response(503, { "x-rate-limit-limit": "0" }))).toBe(false);
  });
});

describe("retryDelayMs", () => {
  const fixed = (value: number) => () => value;
  const rows: [string, number, RetryResponse | undefined, number, number][] = [
    // [name, attempt, response, random, expected]
    [
      "429 waits Reset − Date + 1 s, no jitter at random 0",
      1,
      response(429, { date: DATE, "x-rate-limit-limit": "600", "x-rate-limit-remaining": "0", "x-rate-limit-reset": String(DATE_EPOCH_S + 10) }),
      0,
      11_000,
    ],
    [
      "429 adds up to 1 s of jitter",
      1,
      response(429, { date: DATE, "x-rate-limit-limit": "600", "x-rate-limit-remaining": "0", "x-rate-limit-reset": String(DATE_EPOCH_S + 10) }),
      0.5,
      11_500,
    ],
    [
      "429 whose reset already passed on the server's clock waits only the safety second",
      1,
      response(429, { date: DATE, "x-rate-limit-limit": "600", "x-rate-limit-remaining": "0", "x-rate-limit-reset": String(DATE_EPOCH_S - 5) }),
      0,
      1_000,
    ],
    [
      "429 reset wait is independent of the attempt number",
      4,
      response(429, { date: DATE, "x-rate-limit-limit": "600", "x-rate-limit-remaining": "0", "x-rate-limit-reset": String(DATE_EPOCH_S + 2) }),
      0,
      3_000,
    ],
    [
      "429 without Date backs off instead of trusting the local clock",
      1,
      response(429, { "x-rate-limit-limit": "600", "x-rate-limit-remaining": "0", "x-rate-limit-reset": String(DATE_EPOCH_S + 10) }),
      0,
      250,
    ],
    [
      "429 with a duplicated reset header backs off",
      2,
      response(429, { date: DATE, "x-rate-limit-reset": `${DATE_EPOCH_S + 10}, ${DATE_EPOCH_S + 10}` }),
      0,
      500,
    ],
    [
      "concurrency 429 (Limit 0) backs off, ignoring the estimated reset",
      1,
      response(429, { date: DATE, "x-rate-limit-limit": "0", "x-rate-limit-remaining": "0", "x-rate-limit-reset": String(DATE_EPOCH_S + 50) }),
      1,
      500,
    ],
    ["503 attempt 1, equal jitter low end", 1, response(503), 0, 250],
    ["503 attempt 1, equal jitter high end", 1, response(503), 1, 500],
    ["503 attempt 3", 3, response(503), 0, 1_000],
    ["network error attempt 2", 2, undefined, 0.5, 750],
    ["backoff is capped at 30 s", 20, undefined, 1, 30_000],
  ];
  it.each(rows)("%s", (_name, attempt, res, random, want) => {
    expect(retryDelayMs(attempt, res, { random: fixed(random) })).toBe(want);
  });

  it("honours base, cap, safety and jitter options", () => {
    const r429 = response(429, { date: DATE, "x-rate-limit-limit": "10", "x-rate-limit-remaining": "0", "x-rate-limit-reset": String(DATE_EPOCH_S + 1) });
    expect(retryDelayMs(1, r429, { random: fixed(0.5), resetSafetyMs: 10, resetJitterMs: 20 })).toBe(1_020);
    expect(retryDelayMs(5, undefined, { random: fixed(1), baseMs: 10, capMs: 100 })).toBe(100);
    expect(retryDelayMs(2, undefined, { random: fixed(0), baseMs: 10, capMs: 100 })).toBe(10);
  });
});
