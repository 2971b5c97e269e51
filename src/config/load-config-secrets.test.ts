import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { REDACTED } from "./config.js";
import { loadConfig, type RawFlags } from "./load-config.js";

const TOKEN = "00SecretSswsTokenValue0123456789abcdefghij";
const BEARER = "bearer-secret-0123456789abcdefghijklmnop";
const RSA_PEM = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const EC_PEM = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const CERT_PEM = "-----BEGIN CERTIFICATE-----\nMIIBcertificate\n-----END CERTIFICATE-----\n";

/** Files by path, and how often each was read: a secret file is read once, at start-up. */
function fakeFiles(files: Record<string, string>) {
  const reads = new Map<string, number>();
  const readFile = (path: string) => {
    reads.set(path, (reads.get(path) ?? 0) + 1);
    const content = files[path];
    if (content === undefined) throw Object.assign(new Error(`ENOENT ${path}`), { code: "ENOENT" });
    return Buffer.from(content);
  };
  return { readFile, reads };
}

/** The message of the ConfigError `load` throws. */
function errorOf(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    expect((error as Error).name).toBe("ConfigError");
    return (error as Error).message;
  }
  throw new Error("no ConfigError");
}

describe("loadConfig and secrets", () => {
  it("reads each secret file exactly once", () => {
    const { readFile, reads } = fakeFiles({ "/s/token": TOKEN, "/s/bearer": BEARER, "/s/cert": CERT_PEM, "/s/key": RSA_PEM, "/s/ca": CERT_PEM });
    const flags: RawFlags = { domain: "acme.okta.com", "api-token-file": "/s/token", "auth-token-file": "/s/bearer", "tls-cert": "/s/cert", "tls-key": "/s/key", "client-ca": "/s/ca" };
    loadConfig({ flags, env: {}, readFile });
    expect(Object.fromEntries(reads)).toEqual({ "/s/token": 1, "/s/bearer": 1, "/s/cert": 1, "/s/key": 1, "/s/ca": 1 });
  });

  it("reads the OAuth private key file once", () => {
    const { readFile, reads } = fakeFiles({ "/s/app.pem": RSA_PEM });
    loadConfig({ flags: { domain: "acme.okta.com", "okta-client-id": "0oa1", "okta-private-key-file": "/s/app.pem" }, env: {}, readFile });
    expect(reads.get("/s/app.pem")).toBe(1);
  });

  it("serialises (toJSON, as every log line does) with each secret as [REDACTED]", () => {
    const { readFile } = fakeFiles({ "/s/bearer": BEARER });
    const ssws = loadConfig({ flags: { domain: "acme.okta.com", "auth-token-file": "/s/bearer" }, env: { BATON_API_TOKEN: TOKEN, OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318", OTEL_EXPORTER_OTLP_HEADERS: "x-api-key=collector-secret-123456" }, readFile });
    const oauth = loadConfig({ flags: { domain: "acme.okta.com", "okta-client-id": "0oa1", "okta-private-key": RSA_PEM }, env: {}, readFile });
    const text = JSON.stringify([ssws, oauth]);
    for (const secret of [TOKEN, BEARER, "collector-secret-123456", RSA_PEM.split("\n")[1]!]) expect(text).not.toContain(secret);
    expect(text.split(REDACTED).length - 1).toBe(4);
  });

  // Each row is a bad secret value; the error must name the flag and never carry the value.
  const badSecrets: { name: string; flags: RawFlags; files?: Record<string, string>; secret: string; flag: string }[] = [
    { name: "an API token with a space", flags: { "api-token": "00Secret with a space 0123456789abcdef" }, secret: "Secret with a space", flag: "api-token" },
    { name: "a too-short API token", flags: { "api-token": "00ShortSecret1" }, secret: "00ShortSecret1", flag: "api-token" },
    { name: "an API token file holding a malformed token", flags: { "api-token-file": "/s/t" }, files: { "/s/t": "00Malformed secret token value" }, secret: "Malformed secret", flag: "api-token" },
    { name: "an API token given twice", flags: { "api-token": TOKEN, "api-token-file": "/s/t" }, files: { "/s/t": TOKEN }, secret: TOKEN, flag: "api-token" },
    { name: "a private key that is not PEM", flags: { "okta-client-id": "0oa1", "okta-private-key": "NotAPemButSecretMaterial0123456789" }, secret: "NotAPemButSecretMaterial", flag: "okta-private-key" },
    { name: "an EC private key", flags: { "okta-client-id": "0oa1", "okta-private-key-file": "/s/ec" }, files: { "/s/ec": EC_PEM }, secret: EC_PEM.split("\n")[1]!, flag: "okta-private-key" },
    { name: "a short bearer token", flags: { "auth-token-file": "/s/b" }, files: { "/s/b": "shortbearer99" }, secret: "shortbearer99", flag: "auth-token-file" },
    { name: "a TLS key file that is not PEM", flags: { "tls-cert": "/s/c", "tls-key": "/s/k" }, files: { "/s/c": CERT_PEM, "/s/k": "RawKeyMaterialSecret0123456789" }, secret: "RawKeyMaterialSecret", flag: "tls-key" },
    { name: "a secret file that does not exist", flags: { "api-token-file": "/s/missing" }, secret: "ENOENT /s/missing", flag: "api-token-file" },
  ];
  for (const row of badSecrets) {
    it(`refuses ${row.name} naming --${row.flag}, without the value`, () => {
      const { readFile } = fakeFiles(row.files ?? {});
      const flags: RawFlags = { domain: "acme.okta.com", ...(row.flags["okta-client-id"] === undefined && row.flags["api-token"] === undefined && row.flags["api-token-file"] === undefined ? { "api-token": TOKEN } : {}), ...row.flags };
      const message = errorOf(() => loadConfig({ flags, env: {}, readFile }));
      expect(message.startsWith(`--${row.flag}`)).toBe(true);
      expect(message).not.toContain(row.secret);
      expect(message).not.toContain(TOKEN);
    });
  }
});

describe("--client-cert-subject", () => {
  const { readFile } = fakeFiles({ "/s/cert": CERT_PEM, "/s/key": RSA_PEM, "/s/ca": CERT_PEM });
  const tls: RawFlags = { domain: "acme.okta.com", "api-token": TOKEN, "tls-cert": "/s/cert", "tls-key": "/s/key" };

  it("takes CN=<name> and whole /K=V subjects, comma-separated and repeated", () => {
    const config = loadConfig({ flags: { ...tls, "client-ca": "/s/ca", "client-cert-subject": ["CN=governance-engine,/O=Acme/CN=auditor", "CN=second"] }, env: {}, readFile });
    expect(config.server.tls?.clientSubjects).toEqual(["CN=governance-engine", "/O=Acme/CN=auditor", "CN=second"]);
  });

  it("reads BATON_CLIENT_CERT_SUBJECT, and defaults to no pinning", () => {
    const pinned = loadConfig({ flags: { ...tls, "client-ca": "/s/ca" }, env: { BATON_CLIENT_CERT_SUBJECT: "CN=engine" }, readFile });
    expect(pinned.server.tls?.clientSubjects).toEqual(["CN=engine"]);
    expect(loadConfig({ flags: { ...tls, "client-ca": "/s/ca" }, env: {}, readFile }).server.tls?.clientSubjects).toEqual([]);
  });

  it("needs --client-ca", () => {
    expect(errorOf(() => loadConfig({ flags: { ...tls, "client-cert-subject": ["CN=engine"] }, env: {}, readFile }))).toMatch(/^--client-cert-subject: needs --client-ca; /);
  });

  it.each(["O=Acme", "cn=engine", "CN=", "/O=Acme/", "/CN", "governance-engine"])("refuses %j, naming the forms it takes", (subject) => {
    const message = errorOf(() => loadConfig({ flags: { ...tls, "client-ca": "/s/ca", "client-cert-subject": [subject] }, env: {}, readFile }));
    expect(message).toMatch(/^--client-cert-subject: .* give CN=<name>, or the whole subject/);
  });
});
