import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { RateLimitDescription_Status, RateLimitDescriptionSchema } from "../../gen/c1/connector/v2/annotation_ratelimit_pb.js";
import { connectErrorFrom, ConnectorError, type FailureKind } from "./errors.js";

describe("connectErrorFrom", () => {
  it.each<[FailureKind, Code]>([
    ["invalid", Code.InvalidArgument],
    ["not-found", Code.NotFound],
    ["forbidden", Code.PermissionDenied],
    ["unauthenticated", Code.FailedPrecondition],
    ["rate-limited", Code.Unavailable],
    ["unavailable", Code.Unavailable],
    ["conflict", Code.AlreadyExists],
    ["precondition", Code.FailedPrecondition],
    ["group-derived-assignment", Code.FailedPrecondition],
    ["cancelled", Code.Canceled],
  ])("maps %s to %s", (kind, code) => {
    const error = connectErrorFrom(new ConnectorError(kind, "user 00u1 not found"));
    expect(error.code).toBe(code);
    expect(error.rawMessage).toBe("user 00u1 not found");
  });

  it("maps Okta 429 to Unavailable with a RateLimitDescription", () => {
    const resetAt = new Date("2026-11-29T06:00:00Z");
    const error = connectErrorFrom(new ConnectorError("rate-limited", "Okta rate limit", { rateLimit: { limit: 600, remaining: 0, resetAt } }));
    const [detail] = error.findDetails(RateLimitDescriptionSchema);
    expect(detail?.status).toBe(RateLimitDescription_Status.OVERLIMIT);
    expect(detail?.limit).toBe(600n);
    expect(detail?.resetAt?.seconds).toBe(BigInt(resetAt.getTime() / 1000));
  });

  it("recognises errors of other layers by shape", () => {
    const oktaLike = Object.assign(new Error("E0000006 forbidden"), { name: "OktaError", kind: "forbidden" });
    expect(connectErrorFrom(oktaLike).code).toBe(Code.PermissionDenied);
  });

  it("hides the message of an unexpected failure", () => {
    const error = connectErrorFrom(new TypeError("cannot read x of undefined at /secret/path"));
    expect(error.code).toBe(Code.Internal);
    expect(error.rawMessage).toBe("internal error");
  });

  it("passes ConnectErrors through", () => {
    const original = new ConnectError("page_size: 400 exceeds 250", Code.InvalidArgument);
    expect(connectErrorFrom(original)).toBe(original);
  });
});
