import okta from "@okta/okta-sdk-nodejs";
import { describe, expect, it } from "vitest";
import {
  OKTA_ERROR_CODES,
  OktaError,
  isOktaError,
  kindFromOktaError,
  oktaErrorFrom,
  oktaErrorFromResponse,
  redactSecrets,
  type OktaErrorKind,
} from "./errors.js";

/** The header bag the SDK attaches to its errors (node-fetch Headers); only `get` is used. */
function headers(values: Record<string, string>): { get(name: string): string | null } {
  return { get: (name) => values[name.toLowerCase()] ?? null };
}

function apiError(status: number, errorCode: string, summary = "summary", causes: string[] = []): Error {
  const body = { errorCode, errorSummary: summary, errorCauses: causes.map((c) => ({ errorSummary: c })), errorId: "oae1" };
  const OktaApiError = okta.OktaApiError as unknown as new (url: string, status: number, body: unknown, headers: unknown) => Error;
  return new OktaApiError("https://example.okta.com/api/v1/x", status, body, headers({ "x-okta-request-id": "req-1" }));
}

describe("kindFromOktaError", () => {
  const rows: [string, number, string | undefined, OktaErrorKind][] = [
    ["404 E0000007 resource not found", 404, OKTA_ERROR_CODES.notFound, "not-found"],
    ["404 E0000008 path not found", 404, OKTA_ERROR_CODES.pathNotFound, "not-found"],
    ["403 E0000006 missing permission", 403, OKTA_ERROR_CODES.forbidden, "forbidden"],
    ["403 E0000046 group-derived app user", 403, OKTA_ERROR_CODES.groupDerivedAssignment, "group-derived-assignment"],
    ["401 E0000011 invalid token", 401, OKTA_ERROR_CODES.invalidToken, "unauthenticated"],
    ["401 E0000015 feature not enabled is a permission problem", 401, OKTA_ERROR_CODES.featureNotEnabled, "forbidden"],
    ["429 E0000047 rate limit", 429, OKTA_ERROR_CODES.rateLimited, "rate-limited"],
    ["400 E0000001 validation", 400, OKTA_ERROR_CODES.validationFailed, "invalid"],
    ["400 E0000003 malformed body", 400, OKTA_ERROR_CODES.malformedBody, "invalid"],
    ["409 E0000090 role already assigned", 409, OKTA_ERROR_CODES.roleAlreadyAssigned, "conflict"],
    ["409 E0000062 duplicate app assignment", 409, OKTA_ERROR_CODES.duplicateAppAssignment, "conflict"],
    ["403 E0000016 already active", 403, OKTA_ERROR_CODES.alreadyActive, "conflict"],
    ["403 E0000038 wrong user status", 403, OKTA_ERROR_CODES.wrongUserStatus, "precondition"],
    ["403 E0000117 inactive user assignment", 403, OKTA_ERROR_CODES.inactiveUserAssignment, "precondition"],
    ["500 E0000009 internal", 500, OKTA_ERROR_CODES.internal, "unavailable"],
    ["unknown code falls back to 403", 403, "E9999999", "forbidden"],
    ["no code, 404", 404, undefined, "not-found"],
    ["no code, 409", 409, undefined, "conflict"],
    ["no code, 502", 502, undefined, "unavailable"],
    ["no code, 422", 422, undefined, "invalid"],
  ];
  it.each(rows)("%s", (_name, status, code, want) => {
    expect(kindFromOktaError(status, code)).toBe(want);
  });
});

describe("oktaErrorFrom", () => {
  it("maps an SDK OktaApiError 404 E0000007 to not-found and keeps code, summary, causes and request id", () => {
    const error = oktaErrorFrom(apiError(404, "E0000007", "Not found: Resource not found: 00u1 (User)", ["a cause"]));
    expect(error).toMatchObject({
      name: "OktaError",
      kind: "not-found",
      status: 404,
      errorCode: "E0000007",
      errorSummary: "Not found: Resource not found: 00u1 (User)",
      errorCauses: ["a cause"],
      requestId: "req-1",
    });
    expect(error.message).toBe("HTTP 404 E0000007 Not found: Resource not found: 00u1 (User): a cause");
  });

  it("maps an SDK OktaApiError 403 E0000046 to group-derived-assignment", () => {
    expect(oktaErrorFrom(apiError(403, "E0000046")).kind).toBe("group-derived-assignment");
  });

  it("maps an HttpError (the SDK's error for a non-JSON body) by status and truncates the body", () => {
    const error = Object.assign(new Error(`HTTP 502 ${"<html>".repeat(100)}`), {
      name: "HttpError",
      status: 502,
      headers: headers({}),
    });
    const mapped = oktaErrorFrom(error);
    expect(mapped.kind).toBe("unavailable");
    expect(mapped.status).toBe(502);
    expect(mapped.message.length).toBeLessThan(300);
  });

  const networkRows: [string, Error, OktaErrorKind][] = [
    ["ECONNRESET", Object.assign(new Error("socket hang up"), { name: "FetchError", code: "ECONNRESET" }), "unavailable"],
    ["request-timeout", Object.assign(new Error("network timeout"), { name: "FetchError", type: "request-timeout" }), "unavailable"],
    ["AbortError", Object.assign(new Error("The user aborted a request."), { name: "AbortError" }), "cancelled"],
    ["SyntaxError", new SyntaxError("Unexpected token < in JSON"), "unavailable"],
    ["plain Error", new Error("boom"), "unknown"],
  ];
  it.each(networkRows)("maps %s", (_name, error, want) => {
    expect(oktaErrorFrom(error).kind).toBe(want);
  });

  it("passes an OktaError through unchanged", () => {
    const original = new OktaError({ kind: "conflict", message: "x" });
    expect(oktaErrorFrom(original)).toBe(original);
  });

  it("wraps a non-Error throw", () => {
    expect(oktaErrorFrom("nope")).toMatchObject({ kind: "unknown", message: "non-error thrown: nope" });
  });
});

describe("oktaErrorFromResponse", () => {
  it("reads an Okta 429 body and keeps the rate limit it is given", () => {
    const resetAt = new Date(1_700_000_060_000);
    const error = oktaErrorFromResponse({
      status: 429,
      body: { errorCode: "E0000047", errorSummary: "API call exceeded rate limit due to too many requests.", errorCauses: [] },
      requestId: "r1",
      rateLimit: { limit: 600, remaining: 0, resetAt },
      context: "gave up after 3 attempts",
    });
    expect(error).toMatchObject({ kind: "rate-limited", status: 429, errorCode: "E0000047", requestId: "r1" });
    expect(error.rateLimit).toEqual({ limit: 600, remaining: 0, resetAt });
    expect(error.message).toBe("HTTP 429 E0000047 API call exceeded rate limit due to too many requests. (gave up after 3 attempts)");
  });

  it("copes with a body that is not Okta's error shape", () => {
    expect(oktaErrorFromResponse({ status: 503, body: "Service Unavailable" })).toMatchObject({
      kind: "unavailable",
      errorCode: undefined,
      errorCauses: [],
    });
  });
});

describe("isOktaError", () => {
  it("recognises OktaError by name and fields, not by instanceof", () => {
    const lookalike = Object.assign(new Error("x"), { name: "OktaError", kind: "forbidden", errorCauses: [] });
    expect(isOktaError(lookalike)).toBe(true);
    expect(isOktaError(new OktaError({ kind: "invalid", message: "m" }))).toBe(true);
    expect(isOktaError(Object.assign(new Error("x"), { name: "OktaError" }))).toBe(false);
    expect(isOktaError({ name: "OktaError", kind: "forbidden", errorCauses: [] })).toBe(false);
    expect(isOktaError(undefined)).toBe(false);
  });
});

describe("redactSecrets", () => {
  const rows: [string, string, string][] = [
    ["SSWS token", "Authorization: SSWS 00abcDEF-123_xyz", "Authorization: SSWS [redacted]"],
    ["Bearer token", "sent Bearer eyJhbGciOi.JIUzI1.NiJ9 upstream", "sent Bearer [redacted] upstream"],
    ["DPoP token", "DPoP abc.def.ghi", "DPoP [redacted]"],
    ["form field", "client_assertion=eyJ.abc.def&scope=x", "client_assertion=[redacted]&scope=x"],
    ["JSON field", '{"access_token":"tok123","x":1}', '{"access_token":"[redacted]","x":1}'],
    ["PEM", "key -----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY----- end", "key [redacted private key] end"],
    ["nothing secret", "HTTP 404 E0000007", "HTTP 404 E0000007"],
  ];
  it.each(rows)("%s", (_name, input, want) => {
    expect(redactSecrets(input)).toBe(want);
  });

  it("applies to OktaError messages and summaries", () => {
    const error = new OktaError({ kind: "unauthenticated", message: "bad SSWS secret-token", errorSummary: "Bearer abc" });
    expect(error.message).toBe("bad SSWS [redacted]");
    expect(error.errorSummary).toBe("Bearer [redacted]");
  });
});
