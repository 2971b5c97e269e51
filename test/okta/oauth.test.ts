import { generateKeyPairSync } from "node:crypto";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { createOktaClient, isOktaError, type OktaClient, type OktaError } from "../../src/okta/index.js";
import { oktaError, recordingLogger, sendJson, startScriptedOkta, type ScriptedHandler, type ScriptedOkta } from "./support/scripted-okta.js";

const PRIVATE_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const SCOPES = ["okta.users.read", "okta.groups.read"];

let server: ScriptedOkta | undefined;
const savedEnv = { ...process.env };
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

async function start(handler: ScriptedHandler, logger?: ReturnType<typeof recordingLogger>["logger"]): Promise<{ client: OktaClient; server: ScriptedOkta }> {
  server = await startScriptedOkta(handler);
  const client = createOktaClient({
    orgUrl: server.url,
    auth: { kind: "oauth", clientId: "0oaCONNECTOR", privateKeyPem: PRIVATE_KEY, scopes: SCOPES },
    maxRetries: 2,
    retryDelay: { baseMs: 5, capMs: 20 },
    logger,
  });
  return { client, server };
}

/** Okta's DPoP handshake: the first token request gets `use_dpop_nonce`, the retry a DPoP token. */
const dpopOrg: ScriptedHandler = (req, res, { body }) => {
  if (req.url === "/oauth2/v1/token") {
    const form = new URLSearchParams(body);
    const proof = decodeJwt(String(req.headers.dpop));
    if (proof.nonce === undefined) {
      return sendJson(res, 400, { error: "use_dpop_nonce", error_description: "Authorization server requires nonce in DPoP proof." }, { "DPoP-Nonce": "n1" });
    }
    expect(form.get("grant_type")).toBe("client_credentials");
    return sendJson(res, 200, { token_type: "DPoP", expires_in: 3600, access_token: "at-secret-1", scope: SCOPES.join(" ") });
  }
  return sendJson(res, 200, [{ id: "00u1", status: "ACTIVE", profile: {} }]);
};

describe("OAuth service app (private_key_jwt with DPoP)", () => {
  it("completes the DPoP nonce handshake and calls the API with a DPoP token", async () => {
    const { client, server } = await start(dpopOrg);
    const response = await client.request({ path: "/api/v1/users", query: { limit: 1 } });
    expect(response.body).toHaveLength(1);
    const [challenge, token, api] = server.requests;
    expect([challenge?.url, token?.url, api?.url]).toEqual(["/oauth2/v1/token", "/oauth2/v1/token", "/api/v1/users?limit=1"]);
    const assertion = new URLSearchParams(token?.body).get("client_assertion") ?? "";
    expect(decodeJwt(assertion)).toMatchObject({ iss: "0oaCONNECTOR", sub: "0oaCONNECTOR", aud: `${server.url}/oauth2/v1/token` });
    expect(api?.headers.authorization).toBe("DPoP at-secret-1");
    expect(decodeJwt(String(api?.headers.dpop))).toMatchObject({ htm: "GET", htu: `${server.url}/api/v1/users` });
    expect(client.grantedScopes()).toEqual(SCOPES);
    expect(client.stats().byBucket).toEqual({ "/oauth2/v1/token": 2, "/api/v1/users": 1 });
  });

  it("signs every retried API call with a fresh DPoP proof", async () => {
    let apiCalls = 0;
    const { client, server } = await start((req, res, call) => {
      if (req.url !== "/oauth2/v1/token" && apiCalls++ === 0) return sendJson(res, 503, oktaError("E0000009", "busy"));
      return dpopOrg(req, res, call);
    });
    await client.request({ path: "/api/v1/users" });
    const proofs = server.requests.filter((r) => r.url === "/api/v1/users").map((r) => decodeJwt(String(r.headers.dpop)).jti);
    expect(proofs).toHaveLength(2);
    expect(new Set(proofs).size).toBe(2);
  });

  it("retries a token request that failed transiently with a fresh client assertion", async () => {
    let tokenCalls = 0;
    const { client, server } = await start((req, res, call) => {
      if (req.url === "/oauth2/v1/token" && tokenCalls++ === 0) return sendJson(res, 503, { error: "temporarily_unavailable" });
      return dpopOrg(req, res, call);
    });
    expect((await client.request({ path: "/api/v1/users" })).status).toBe(200);
    const assertions = server.requests
      .filter((r) => r.url === "/oauth2/v1/token")
      .map((r) => decodeJwt(new URLSearchParams(r.body).get("client_assertion") ?? "").jti);
    // 503, then the nonce challenge and the token.
    expect(assertions).toHaveLength(3);
    expect(assertions[0]).not.toBe(assertions[1]);
    expect(client.stats()).toMatchObject({ retries: 1 });
  });

  it("fails with unauthenticated when the token endpoint refuses, never sending 'Bearer undefined'", async () => {
    const { lines, logger } = recordingLogger();
    const { client, server } = await start(
      (req, res) =>
        req.url === "/oauth2/v1/token"
          ? sendJson(res, 401, { error: "invalid_client", error_description: "The client_assertion signature is invalid." })
          : sendJson(res, 200, []),
      logger,
    );
    let error: OktaError | undefined;
    try {
      await client.request({ path: "/api/v1/users" });
    } catch (thrown) {
      if (isOktaError(thrown)) error = thrown;
    }
    expect(error).toMatchObject({ kind: "unauthenticated", status: 401, errorCode: "invalid_client" });
    expect(error?.message).toBe("OAuth token request refused: HTTP 401 invalid_client: The client_assertion signature is invalid.");
    expect(server.requests.filter((r) => r.url.startsWith("/api/"))).toHaveLength(0);
    expect(JSON.stringify(lines)).not.toContain("BEGIN");
  });

  it("reports a refused scope as forbidden", async () => {
    const { client } = await start((_req, res) => sendJson(res, 400, { error: "invalid_scope", error_description: "The requested scope is invalid." }));
    await expect(client.request({ path: "/api/v1/users" })).rejects.toMatchObject({ kind: "forbidden", errorCode: "invalid_scope" });
  });

  it("ignores OKTA_CLIENT_* variables and HTTPS_PROXY left in the environment", async () => {
    process.env.OKTA_CLIENT_KEYID = "leaked-kid";
    process.env.OKTA_CLIENT_SCOPES = "okta.everything.manage";
    process.env.OKTA_CLIENT_ORGURL = "https://leaked.okta.com";
    // Nothing listens on the discard port: any request routed through this proxy would fail.
    process.env.HTTPS_PROXY = "http://127.0.0.1:9";
    const { client, server } = await start(dpopOrg);
    await client.request({ path: "/api/v1/users" });
    const assertion = new URLSearchParams(server.requests[1]?.body).get("client_assertion") ?? "";
    expect(decodeProtectedHeader(assertion).kid).toBeUndefined();
    expect(new URLSearchParams(server.requests[1]?.body).get("scope")).toBe(SCOPES.join(" "));
  });
});

describe("SSWS token", () => {
  it("sends the token and keeps it out of logs and errors", async () => {
    const token = "00SECRETssws-token_value";
    const { lines, logger } = recordingLogger();
    server = await startScriptedOkta((req, res, { index }) =>
      index === 0
        ? sendJson(res, 503, oktaError("E0000009", "busy"))
        : sendJson(res, 401, oktaError("E0000011", `Invalid token provided: SSWS ${String(req.headers.authorization).slice(5)}`)),
    );
    process.env.OKTA_CLIENT_TOKEN = "leaked-token";
    const client = createOktaClient({ orgUrl: server.url, auth: { kind: "ssws", token }, logger, retryDelay: { baseMs: 1, capMs: 2 } });
    let error: unknown;
    try {
      await client.request({ path: "/api/v1/users" });
    } catch (thrown) {
      error = thrown;
    }
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([`SSWS ${token}`, `SSWS ${token}`]);
    expect(error).toMatchObject({ kind: "unauthenticated", errorCode: "E0000011" });
    const everything = JSON.stringify(lines) + String((error as Error).message) + JSON.stringify(error);
    expect(everything).not.toContain(token);
  });
});
