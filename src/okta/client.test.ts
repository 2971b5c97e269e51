import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { buildUrl, createOktaClient, type OktaClientOptions } from "./client.js";

describe("buildUrl", () => {
  const org = "https://example.okta.com";
  const rows: [string, string, Record<string, string | number | boolean | undefined> | undefined, string][] = [
    ["plain path", "/api/v1/users", undefined, "https://example.okta.com/api/v1/users"],
    ["undefined values are left out", "/api/v1/users", { limit: 200, after: undefined }, "https://example.okta.com/api/v1/users?limit=200"],
    [
      "spaces become %20 and quotes are encoded, as Okta's filter syntax needs",
      "/api/v1/apps",
      { filter: 'status eq "ACTIVE"' },
      "https://example.okta.com/api/v1/apps?filter=status%20eq%20%22ACTIVE%22",
    ],
    ["cursor with reserved characters", "/api/v1/users", { after: "a+b&c=d" }, "https://example.okta.com/api/v1/users?after=a%2Bb%26c%3Dd"],
    ["token endpoint", "/oauth2/v1/token", undefined, "https://example.okta.com/oauth2/v1/token"],
    ["IAM path with a hyphen", "/api/v1/iam/resource-sets", { limit: 1 }, "https://example.okta.com/api/v1/iam/resource-sets?limit=1"],
  ];
  it.each(rows)("%s", (_name, path, query, want) => {
    expect(buildUrl(org, path, query)).toBe(want);
  });

  const hostile: [string, string][] = [
    ["parent segment", "/api/v1/users/../../admin"],
    ["outside /api/v1", "/admin/api/v1/users"],
    ["query smuggled in the path", "/api/v1/users?limit=1"],
    ["encoded slash", "/api/v1/users/00u1%2Froles"],
    ["double slash", "/api/v1//users"],
    ["absolute URL", "https://evil.example/api/v1/users"],
    ["dot segment", "/api/v1/./users"],
  ];
  it.each(hostile)("rejects %s", (_name, path) => {
    expect(() => buildUrl(org, path, undefined)).toThrow(expect.objectContaining({ kind: "invalid" }));
  });
});

describe("createOktaClient option checks", () => {
  const ssws = { kind: "ssws", token: "secret-token-value" } as const;
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();

  const rows: [string, OktaClientOptions, string][] = [
    ["orgUrl not a URL", { orgUrl: "example.okta.com", auth: ssws }, "orgUrl"],
    ["orgUrl with a path", { orgUrl: "https://example.okta.com/api", auth: ssws }, "orgUrl"],
    ["orgUrl with credentials", { orgUrl: "https://u:p@example.okta.com", auth: ssws }, "orgUrl"],
    ["orgUrl ftp", { orgUrl: "ftp://example.okta.com", auth: ssws }, "orgUrl"],
    ["empty token", { orgUrl: "https://example.okta.com", auth: { kind: "ssws", token: " " } }, "auth.token"],
    ["oauth without scopes", { orgUrl: "https://example.okta.com", auth: { kind: "oauth", clientId: "0oa1", privateKeyPem: rsa, scopes: [] } }, "auth.scopes"],
    ["oauth with a non-PEM key", { orgUrl: "https://example.okta.com", auth: { kind: "oauth", clientId: "0oa1", privateKeyPem: "nope", scopes: ["okta.users.read"] } }, "auth.privateKeyPem"],
    ["oauth with an EC key (SDK issue #496)", { orgUrl: "https://example.okta.com", auth: { kind: "oauth", clientId: "0oa1", privateKeyPem: ec, scopes: ["okta.users.read"] } }, "auth.privateKeyPem"],
    ["zero timeout", { orgUrl: "https://example.okta.com", auth: ssws, requestTimeoutMs: 0 }, "requestTimeoutMs"],
    ["negative retries", { orgUrl: "https://example.okta.com", auth: ssws, maxRetries: -1 }, "maxRetries"],
  ];
  it.each(rows)("rejects %s, naming %s", (_name, options, field) => {
    let thrown: unknown;
    try {
      createOktaClient(options);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: "OktaError", kind: "invalid", errorSummary: field });
    expect(String((thrown as Error).message)).not.toContain("secret-token-value");
  });

  it("strips a trailing slash and exposes no secret", () => {
    const client = createOktaClient({ orgUrl: "https://example.okta.com/", auth: ssws });
    expect(client.orgUrl).toBe("https://example.okta.com");
    expect(client.authKind).toBe("ssws");
    expect(JSON.stringify(client)).not.toContain("secret-token-value");
    expect(client.stats()).toEqual({ calls: 0, byBucket: {}, retries: 0, rateLimited: 0, paced: 0 });
  });

  it("accepts an RSA key for OAuth", () => {
    const client = createOktaClient({
      orgUrl: "https://example.okta.com",
      auth: { kind: "oauth", clientId: "0oa1", privateKeyPem: rsa, scopes: ["okta.users.read"] },
    });
    expect(client.authKind).toBe("oauth");
    expect(client.grantedScopes()).toBeUndefined();
  });
});
