import { describe, expect, it } from "vitest";
import { decodePageToken, derivePageTokenKey, encodePageToken, PageTokenError } from "./page-token.js";

const key = derivePageTokenKey("https://acme.okta.com", "00secret-token-for-tests");
const cursor = { phase: "members", after: "00u1abcd" };

function problemOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof PageTokenError ? error.problem : "other";
  }
  return undefined;
}

describe("page tokens", () => {
  it("round-trip a cursor, also with a key derived again (as after a restart)", () => {
    const token = encodePageToken(key, "grants:group:00g1", cursor);
    const again = derivePageTokenKey("https://acme.okta.com", "00secret-token-for-tests");
    expect(decodePageToken(again, "grants:group:00g1", token)).toEqual(cursor);
  });

  it("reject a token with any byte changed", () => {
    const token = encodePageToken(key, "s", cursor);
    const raw = Buffer.from(token, "base64url");
    for (let i = 1; i < raw.length; i += 7) {
      const copy = Buffer.from(raw);
      copy[i] = copy[i]! ^ 0x01;
      expect(problemOf(() => decodePageToken(key, "s", copy.toString("base64url")))).toMatch(/integrity|malformed/);
    }
  });

  it.each([
    ["another org", derivePageTokenKey("https://other.okta.com", "00secret-token-for-tests"), "integrity"],
    ["another credential", derivePageTokenKey("https://acme.okta.com", "00another-token"), "integrity"],
  ])("reject a token minted for %s", (_name, otherKey, problem) => {
    const token = encodePageToken(otherKey, "s", cursor);
    expect(problemOf(() => decodePageToken(key, "s", token))).toBe(problem);
  });

  it("reject a token replayed against another listing", () => {
    const token = encodePageToken(key, "grants:group:00g1", cursor);
    expect(problemOf(() => decodePageToken(key, "grants:group:00g2", token))).toBe("scope");
  });

  it.each([
    ["not base64url", "!!!", "malformed"],
    ["too short", "AQ", "malformed"],
    ["unknown version", Buffer.concat([Buffer.from([9]), Buffer.alloc(40)]).toString("base64url"), "version"],
    ["over 1 MiB", "A".repeat(1024 * 1024 + 1), "malformed"],
  ])("reject a token that is %s", (_name, token, problem) => {
    expect(problemOf(() => decodePageToken(key, "s", token))).toBe(problem);
  });
});

describe("page tokens with a listing history", () => {
  it("round-trip the history beside the cursor, and read a token without one as having none", async () => {
    const { decodePageTokenPayload } = await import("./page-token.js");
    const history = { recent: ["abc"], mark: "abc", span: 2, steps: 0 };
    expect(decodePageTokenPayload(key, "s", encodePageToken(key, "s", cursor, history))).toEqual({ cursor, history });
    expect(decodePageTokenPayload(key, "s", encodePageToken(key, "s", cursor))).toEqual({ cursor, history: undefined });
    expect(decodePageToken(key, "s", encodePageToken(key, "s", cursor, history))).toEqual(cursor);
  });
});
