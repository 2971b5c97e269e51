import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../config/load-config.js";
import { apiTokenDescriptor } from "./api-token-descriptor.js";

describe("--sync-secrets", () => {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const oauth = { domain: "acme.okta.com", "okta-client-id": "0oa1", "okta-private-key": pem };
  const configWith = (flags: Record<string, unknown>, env: Record<string, string> = {}) =>
    loadConfig({ flags: { ...oauth, ...flags }, env, readFile: () => Buffer.alloc(0), typeFlags: apiTokenDescriptor.flags ?? [] });
  const scopesWith = (flags: Record<string, unknown>, env: Record<string, string> = {}) => {
    const config = configWith(flags, env);
    return { on: config.sync.typeFlags.has("sync-secrets"), scopes: config.okta.auth.kind === "oauth" ? config.okta.auth.scopes : [] };
  };

  it("is off by default, and an OAuth app is then not asked for okta.apiTokens.read", () => {
    expect(scopesWith({})).toMatchObject({ on: false });
    expect(scopesWith({}).scopes).not.toContain("okta.apiTokens.read");
  });

  it("asks an OAuth app for okta.apiTokens.read when on, by flag or BATON_SYNC_SECRETS, as baton-okta", () => {
    expect(scopesWith({ "sync-secrets": true })).toMatchObject({ on: true, scopes: expect.arrayContaining(["okta.apiTokens.read"]) });
    expect(scopesWith({}, { BATON_SYNC_SECRETS: "true" })).toMatchObject({ on: true, scopes: expect.arrayContaining(["okta.apiTokens.read"]) });
  });

  it("gates the type: enabled only with the flag, otherwise a disabled-by-flag gap naming it", () => {
    const off = configWith({}).sync;
    const on = configWith({ "sync-secrets": true }).sync;
    expect([apiTokenDescriptor.isEnabled?.(off), apiTokenDescriptor.isEnabled?.(on)]).toEqual([false, true]);
    expect(apiTokenDescriptor.configurationGaps?.(off)).toEqual([{ scope: "resources", reason: "disabled-by-flag", detail: "API tokens are not synced", flag: "--sync-secrets" }]);
    expect(apiTokenDescriptor.configurationGaps?.(on)).toEqual([]);
  });
});
