import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { loadConfig, type RawFlags } from "./load-config.js";

const TOKEN = "00abcdefghijklmnopqrstuvwxyz0123456789ABCD";
const files: Record<string, string> = {
  "/secrets/token": `${TOKEN}\n`,
  "/secrets/empty": "\n",
  "/secrets/bearer": "b".repeat(40),
};
const readFile = (path: string) => {
  const content = files[path];
  if (content === undefined) throw Object.assign(new Error("nope"), { code: "ENOENT" });
  return Buffer.from(content);
};
const load = (flags: RawFlags, env: Record<string, string> = {}) => loadConfig({ flags, env, readFile });

describe("loadConfig", () => {
  it("applies baton-okta's defaults", () => {
    const config = load({ domain: "acme.okta.com", "api-token": TOKEN });
    expect(config.okta).toEqual({ orgUrl: "https://acme.okta.com", auth: { kind: "ssws", token: TOKEN } });
    expect(config.sync).toEqual({
      syncInactiveApps: true,
      syncCustomRoles: false,
      typeFlags: new Set(),
      syncDeprovisionedUsers: false,
      skipSecondaryEmails: false,
      filterEmailDomains: [],
      skipAppGroups: false,
    });
    expect(config.provisioning).toBe(false);
    expect(config.server.listen).toEqual({ kind: "tcp", host: "127.0.0.1", port: 50051 });
    expect(config.server.readMaxBytes).toBe(4 * 1024 * 1024);
  });

  it("reads every flag from BATON_* variables, and the command line wins", () => {
    const config = load(
      { "sync-custom-roles": false },
      {
        BATON_DOMAIN: "https://acme.okta.com",
        BATON_API_TOKEN_FILE: "/secrets/token",
        BATON_SYNC_CUSTOM_ROLES: "true",
        BATON_SKIP_INACTIVE_APPS: "yes",
        BATON_FILTER_EMAIL_DOMAINS: "Example.com, @corp.example.org",
        BATON_PROVISIONING: "1",
        BATON_LISTEN: "unix:///tmp/okta.sock",
      },
    );
    expect(config.okta.auth).toEqual({ kind: "ssws", token: TOKEN });
    expect(config.sync.syncCustomRoles).toBe(false);
    expect(config.sync.syncInactiveApps).toBe(false);
    expect(config.sync.filterEmailDomains).toEqual(["example.com", "corp.example.org"]);
    expect(config.provisioning).toBe(true);
    expect(config.server.listen).toEqual({ kind: "unix", path: "/tmp/okta.sock" });
  });

  it("builds OAuth auth with read scopes, adding manage scopes for provisioning", () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const oneLine = pem.replaceAll("\n", "\\n");
    const read = load({ domain: "acme.okta.com", "okta-client-id": "0oa1", "okta-private-key": oneLine });
    expect(read.okta.auth).toMatchObject({ kind: "oauth", clientId: "0oa1", privateKeyPem: pem });
    expect(read.okta.auth.kind === "oauth" && read.okta.auth.scopes).toEqual([
      "okta.users.read", "okta.groups.read", "okta.apps.read", "okta.roles.read",
    ]);
    const write = load({ domain: "acme.okta.com", "okta-client-id": "0oa1", "okta-private-key": pem, provisioning: true });
    expect(write.okta.auth.kind === "oauth" && write.okta.auth.scopes).toContain("okta.groups.manage");
    expect(read.okta.auth.kind === "oauth" && read.okta.auth.scopes).not.toContain("okta.devices.read");
    // A type's flag brings its scope only when on (BATON_SYNC_WIDGETS here), as baton-okta asks for
    // okta.devices.read only with --sync-devices.
    const typeFlags = [{ spec: { name: "sync-widgets", kind: "boolean", defaultValue: false, description: "widgets" }, oauthScopes: ["okta.widgets.read"] }] as const;
    const oauth = { domain: "acme.okta.com", "okta-client-id": "0oa1", "okta-private-key": pem };
    const widgets = loadConfig({ flags: oauth, env: { BATON_SYNC_WIDGETS: "true" }, readFile, typeFlags });
    expect([...widgets.sync.typeFlags]).toEqual(["sync-widgets"]);
    expect(widgets.okta.auth.kind === "oauth" && widgets.okta.auth.scopes).toContain("okta.widgets.read");
    const noWidgets = loadConfig({ flags: { ...oauth, "sync-widgets": false }, env: { BATON_SYNC_WIDGETS: "true" }, readFile, typeFlags });
    expect(noWidgets.sync.typeFlags.size).toBe(0);
    expect(noWidgets.okta.auth.kind === "oauth" && noWidgets.okta.auth.scopes).not.toContain("okta.widgets.read");
    expect(() => loadConfig({ flags: oauth, env: { BATON_SYNC_WIDGETS: "maybe" }, readFile, typeFlags })).toThrow(/^--sync-widgets: "maybe" is not a boolean/);
  });

  it.each<[string, RawFlags, RegExp]>([
    ["no domain", { "api-token": TOKEN }, /^--domain: is required/],
    ["no credential", { domain: "acme.okta.com" }, /^--api-token: is required/],
    ["both credentials", { domain: "a.okta.com", "api-token": TOKEN, "okta-client-id": "0oa1" }, /both set/],
    ["token and token file", { domain: "a.okta.com", "api-token": TOKEN, "api-token-file": "/secrets/token" }, /--api-token: and --api-token-file are both set/],
    ["missing token file", { domain: "a.okta.com", "api-token-file": "/secrets/missing" }, /--api-token-file: cannot read \/secrets\/missing \(ENOENT\)/],
    ["empty token file", { domain: "a.okta.com", "api-token-file": "/secrets/empty" }, /is empty/],
    ["short token", { domain: "a.okta.com", "api-token": "abc" }, /does not look like an Okta API token/],
    ["client id without key", { domain: "a.okta.com", "okta-client-id": "0oa1" }, /^--okta-private-key: is required/],
    ["garbage key", { domain: "a.okta.com", "okta-client-id": "0oa1", "okta-private-key": "not a key" }, /not a PEM private key/],
    ["bad boolean", { domain: "a.okta.com", "api-token": TOKEN, "sync-custom-roles": "maybe" }, /^--sync-custom-roles: "maybe" is not a boolean/],
    ["bad log level", { domain: "a.okta.com", "api-token": TOKEN, "log-level": "loud" }, /^--log-level: "loud" is not valid; use one of/],
    ["bad listen", { domain: "a.okta.com", "api-token": TOKEN, listen: "nowhere" }, /^--listen: /],
    ["tls key without cert", { domain: "a.okta.com", "api-token": TOKEN, "tls-key": "/k" }, /^--tls-cert: is required/],
    ["client ca without tls", { domain: "a.okta.com", "api-token": TOKEN, "client-ca": "/ca" }, /^--client-ca: needs --tls-cert/],
    ["bad email domain", { domain: "a.okta.com", "api-token": TOKEN, "filter-email-domains": "not a domain" }, /^--filter-email-domains: /],
    ["tiny read limit", { domain: "a.okta.com", "api-token": TOKEN, "read-max-bytes": "10" }, /^--read-max-bytes: /],
    ["contradicting app flags", { domain: "a.okta.com", "api-token": TOKEN, "skip-inactive-apps": true, "sync-inactive-apps": true }, /contradicts/],
  ])("rejects %s with a message naming the flag", (_name, flags, message) => {
    expect(() => load(flags)).toThrow(message);
  });

  it("never puts a secret into an error message or its JSON view", () => {
    const secret = "SECRET-abcdefghijklmnopqrstuvwxyz";
    let message = "";
    try {
      load({ domain: "a.okta.com", "api-token": secret, "okta-client-id": "0oa1" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toBe("");
    expect(message).not.toContain(secret);
    const config = load({ domain: "a.okta.com", "api-token": secret, "auth-token-file": "/secrets/bearer" });
    const json = JSON.stringify(config);
    expect(json).not.toContain(secret);
    expect(json).not.toContain("b".repeat(40));
    expect(json).toContain("[REDACTED]");
  });
});
