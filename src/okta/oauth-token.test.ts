import { describe, expect, it } from "vitest";
import { isDpopNonceChallenge, tokenEndpointError } from "./oauth-token.js";

describe("isDpopNonceChallenge", () => {
  it.each([
    [{ error: "use_dpop_nonce", error_description: "Authorization server requires nonce in DPoP proof." }, true],
    [{ error: "invalid_client" }, false],
    [undefined, false],
    ["use_dpop_nonce", false],
  ])("%j → %s", (body, want) => {
    expect(isDpopNonceChallenge(body)).toBe(want);
  });
});

describe("tokenEndpointError", () => {
  const rows: [string, number, unknown, object][] = [
    ["invalid_client", 401, { error: "invalid_client", error_description: "bad assertion" }, { kind: "unauthenticated", status: 401, errorCode: "invalid_client", errorSummary: "bad assertion", message: "OAuth token request refused: HTTP 401 invalid_client: bad assertion" }],
    ["invalid_scope is a permission problem", 400, { error: "invalid_scope" }, { kind: "forbidden", errorCode: "invalid_scope", message: "OAuth token request refused: HTTP 400 invalid_scope" }],
    ["no body", 401, undefined, { kind: "unauthenticated", errorCode: undefined, message: "OAuth token request refused: HTTP 401" }],
  ];
  it.each(rows)("%s", (_name, status, body, want) => {
    expect(tokenEndpointError(status, body)).toMatchObject(want);
  });
});
