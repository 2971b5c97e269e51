import { describe, expect, it } from "vitest";
import { msUntilReset, parseRateLimitHeaders, rateLimitFromHeaders } from "./rate-limit-headers.js";

function headers(values: Record<string, string>): { get(name: string): string | null } {
  return { get: (name) => values[name.toLowerCase()] ?? null };
}

const DATE = "Tue, 14 Nov 2023 22:13:20 GMT"; // epoch 1_700_000_000

describe("parseRateLimitHeaders", () => {
  const rows: [string, Record<string, string>, ReturnType<typeof parseRateLimitHeaders>][] = [
    [
      "all present",
      { "x-rate-limit-limit": "600", "x-rate-limit-remaining": "12", "x-rate-limit-reset": "1700000042", date: DATE },
      { limit: 600, remaining: 12, resetEpochSeconds: 1_700_000_042, dateMs: 1_700_000_000_000 },
    ],
    ["none", {}, { limit: undefined, remaining: undefined, resetEpochSeconds: undefined, dateMs: undefined }],
    [
      "duplicated (comma-joined) and junk values are unusable",
      { "x-rate-limit-limit": "600, 600", "x-rate-limit-remaining": "abc", "x-rate-limit-reset": "1.5", date: "yesterday" },
      { limit: undefined, remaining: undefined, resetEpochSeconds: undefined, dateMs: undefined },
    ],
    [
      "whitespace is tolerated",
      { "x-rate-limit-limit": " 0 ", "x-rate-limit-remaining": "0" },
      { limit: 0, remaining: 0, resetEpochSeconds: undefined, dateMs: undefined },
    ],
  ];
  it.each(rows)("%s", (_name, values, want) => {
    expect(parseRateLimitHeaders(headers(values))).toEqual(want);
  });
});

describe("msUntilReset", () => {
  it("measures Reset against Date and never goes negative", () => {
    expect(msUntilReset({ limit: 1, remaining: 0, resetEpochSeconds: 1_700_000_030, dateMs: 1_700_000_000_000 })).toBe(30_000);
    expect(msUntilReset({ limit: 1, remaining: 0, resetEpochSeconds: 1_699_999_990, dateMs: 1_700_000_000_000 })).toBe(0);
    expect(msUntilReset({ limit: 1, remaining: 0, resetEpochSeconds: 1_700_000_030, dateMs: undefined })).toBeUndefined();
  });
});

describe("rateLimitFromHeaders", () => {
  it("re-anchors the reset on the local clock, whatever the server's clock says", () => {
    // The server's clock is an hour behind ours; its reset is 30 s after its Date.
    const localNow = 1_700_003_600_000;
    const result = rateLimitFromHeaders(
      headers({ "x-rate-limit-limit": "600", "x-rate-limit-remaining": "0", "x-rate-limit-reset": "1700000030", date: DATE }),
      localNow,
    );
    expect(result).toEqual({ limit: 600, remaining: 0, resetAt: new Date(localNow + 30_000) });
  });

  it("falls back to the raw epoch without Date, and gives nothing without the three headers", () => {
    expect(
      rateLimitFromHeaders(headers({ "x-rate-limit-limit": "5", "x-rate-limit-remaining": "1", "x-rate-limit-reset": "1700000030" }), 0),
    ).toEqual({ limit: 5, remaining: 1, resetAt: new Date(1_700_000_030_000) });
    expect(rateLimitFromHeaders(headers({ "x-rate-limit-limit": "5" }), 0)).toBeUndefined();
  });
});
