import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveFlagsWith } from "../../src/config/index.js";
import { OKTA_TYPE_FLAGS } from "../../src/connector/okta-type-descriptors.js";
import { buildCliIfStale, runCli } from "../support/serve-process.js";

/** Every serve flag: the connector's own and those its resource types declare. */
const allServeFlags = serveFlagsWith(OKTA_TYPE_FLAGS);

/**
 * Issue 8 §4: `--help` and configuration errors of the real binary never print a secret's value,
 * whether it came from a flag, a BATON_* variable or a file. Every case exits before listening, so
 * nothing here reaches a network.
 */

const TOKEN = "00HelpSecretToken0123456789abcdefghijklmn";
const BEARER = "bearer-help-secret-0123456789abcdefghijkl";
const KEY_PEM = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const KEY_LINE = KEY_PEM.split("\n")[2]!;
let dir: string;
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
};

beforeAll(async () => {
  await buildCliIfStale();
  dir = mkdtempSync(join(tmpdir(), "okta-connector-redaction-"));
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function expectNoSecret(output: string, secrets: readonly string[]): void {
  for (const secret of secrets) {
    expect(output).not.toContain(secret);
    expect(output).not.toContain(secret.slice(0, 14));
  }
}

describe("serve --help", () => {
  it("marks the secret flags and prints no secret from the environment", async () => {
    const result = await runCli(["serve", "--help"], { env: { BATON_API_TOKEN: TOKEN, BATON_OKTA_PRIVATE_KEY: KEY_PEM } });
    expect(result.code).toBe(0);
    for (const spec of allServeFlags) expect(result.stdout).toContain(`--${spec.name}`);
    expect(allServeFlags.filter((s) => s.secret).map((s) => s.name)).toEqual(["api-token", "okta-private-key"]);
    // A secret flag never has a default to show: a default secret would be one everybody knows.
    expect(allServeFlags.filter((s) => s.secret && s.defaultValue !== undefined)).toEqual([]);
    expectNoSecret(result.stdout + result.stderr, [TOKEN, KEY_LINE]);
  });
});

describe("a mistyped flag", () => {
  it("does not echo the value given with it: --api-tokn=SECRET prints [REDACTED]", async () => {
    const result = await runCli(["serve", `--api-tokn=${TOKEN}`]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("unknown option '--api-tokn=[REDACTED]'");
    expectNoSecret(result.stdout + result.stderr, [TOKEN]);
  });
});

describe.concurrent("serve configuration errors never echo a secret", () => {
  const rows: { why: string; args: () => string[]; env?: () => Record<string, string>; flag: string; secrets: () => string[] }[] = [
    { why: "an API token with a space, on the command line", args: () => ["--api-token", "00Secret Token Value 0123456789abcdef"], flag: "api-token", secrets: () => ["Secret Token Value"] },
    { why: "a short API token in BATON_API_TOKEN", args: () => [], env: () => ({ BATON_API_TOKEN: "00TooShortSecret" }), flag: "api-token", secrets: () => ["00TooShortSecret"] },
    { why: "an API token file holding a malformed token", args: () => ["--api-token-file", file("bad-token", "00Malformed Secret Token 0123456789\n")], flag: "api-token", secrets: () => ["Malformed Secret Token"] },
    { why: "--api-token and --api-token-file together", args: () => ["--api-token", TOKEN, "--api-token-file", file("token", TOKEN)], flag: "api-token", secrets: () => [TOKEN] },
    { why: "a private key that is not a key, in BATON_OKTA_PRIVATE_KEY", args: () => ["--okta-client-id", "0oa1"], env: () => ({ BATON_OKTA_PRIVATE_KEY: "NotAKeyButSecretMaterial0123456789abcdef" }), flag: "okta-private-key", secrets: () => ["NotAKeyButSecretMaterial"] },
    { why: "an EC private key file", args: () => ["--okta-client-id", "0oa1", "--okta-private-key-file", file("ec.pem", generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString())], flag: "okta-private-key", secrets: () => [] },
    { why: "a bearer token file holding a short token", args: () => ["--api-token", TOKEN, "--auth-token-file", file("short-bearer", "shortbearer99\n")], flag: "auth-token-file", secrets: () => ["shortbearer99", TOKEN] },
    { why: "a missing private key file", args: () => ["--okta-client-id", "0oa1", "--okta-private-key-file", join(dir, "missing.pem")], flag: "okta-private-key-file", secrets: () => [] },
    { why: "a bad --log-level, with every secret set", args: () => ["--log-level", "loud", "--auth-token-file", file("bearer", BEARER)], env: () => ({ BATON_API_TOKEN: TOKEN }), flag: "log-level", secrets: () => [TOKEN, BEARER] },
  ];

  it.for(rows)("exits 2 naming --$flag, for $why", async (row, { expect }) => {
    const result = await runCli(["serve", "--domain", "http://127.0.0.1:9", ...row.args()], { env: row.env?.() ?? {} });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^okta-connector: --${row.flag}: `));
    for (const secret of [...row.secrets(), KEY_LINE]) {
      expect(result.stdout + result.stderr).not.toContain(secret);
    }
  });
});

describe.concurrent("engine-side commands never echo the bearer token file", () => {
  it.for(["sync", "grant", "revoke"])("%s: a bearer token file with whitespace is refused by path, not content", async (command, { expect }) => {
    const path = file(`${command}-bearer`, "bearer with spaces secret 0123456789\n");
    const args = { sync: ["--out", join(dir, "x.db")], grant: ["--entitlement", "group:00g1:member", "--principal", "user:00u1"], revoke: ["--grant", "group:00g1:member:user:00u1"] }[command]!;
    const result = await runCli([command, "--connector", "127.0.0.1:9", "--auth-token-file", path, ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(path);
    expect(result.stdout + result.stderr).not.toContain("with spaces secret");
  });
});
