import { createHash, createPublicKey, generateKeyPairSync, randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import okta from "@okta/okta-sdk-nodejs";
import { SignJWT, exportJWK, importPKCS8, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOAuthAuthority, type OAuthAuthority, type OAuthClientSpec } from "./oauth.js";

interface KeyPair { privateKeyPem: string; publicKeyPem: string }
interface Seen { method: string; path: string; status: number; authorization: string | undefined; dpop: boolean }

const newKeyPair = (): KeyPair => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
};

const appKey = newKeyPair();
const strangerKey = newKeyPair();
const readerClient: OAuthClientSpec = {
  clientId: "0oa1readerclient", adminLevel: "read_only", scopes: ["okta.users.read", "okta.groups.read"], publicKeyPem: appKey.publicKeyPem,
};

/** A loopback org exposing only the token endpoint and GET /api/v1/users, recording every exchange. */
async function startOrg(options: { requireDpop?: boolean; now?: () => number } = {}) {
  const seen: Seen[] = [];
  let authority: OAuthAuthority | undefined;
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (chunk: string) => (body += chunk)).on("end", () => {
      void (async () => {
        const url = req.url ?? "/";
        const path = url.split("?")[0] ?? url;
        let status = 404;
        let headers: Record<string, string> = { "Content-Type": "application/json" };
        let payload: unknown = { errorCode: "E0000007", errorSummary: "Not found", errorLink: "E0000007", errorId: "oae1", errorCauses: [] };
        if (req.method === "POST" && path === "/oauth2/v1/token" && authority) {
          ({ status, headers, body: payload } = await authority.handleToken({ headers: flatten(req.headers), body, url }));
        } else if (req.method === "GET" && path === "/api/v1/users" && authority) {
          const auth = await authority.authenticate({
            method: req.method, url, authorization: req.headers.authorization ?? "", dpop: flatten(req.headers)["dpop"],
          });
          status = auth.ok ? 200 : 401;
          payload = auth.ok ? [] : { errorCode: "E0000011", errorSummary: "Invalid token provided", errorLink: "E0000011", errorId: "oae2", errorCauses: [] };
        }
        seen.push({ method: req.method ?? "", path, status, authorization: req.headers.authorization, dpop: req.headers.dpop !== undefined });
        res.writeHead(status, headers).end(JSON.stringify(payload));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  authority = createOAuthAuthority({ orgUrl: () => url, clients: [readerClient], ...options });
  return { url, seen, authority, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function flatten(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : value]));
}

function sdkClient(orgUrl: string, privateKey: string) {
  return new okta.Client({
    orgUrl, authorizationMode: "PrivateKey", clientId: readerClient.clientId, scopes: ["okta.users.read"],
    privateKey, keyId: "kid-1", cacheMiddleware: null,
  });
}

async function listUsers(client: ReturnType<typeof sdkClient>): Promise<unknown[]> {
  const users: unknown[] = [];
  for await (const user of await client.userApi.listUsers()) if (user) users.push(user);
  return users;
}

/** A hand-rolled client (jose + fetch) for the cases the SDK cannot show, since it swallows token errors. */
function handClient(orgUrl: string, keys: KeyPair, nowS: () => number = () => Math.floor(Date.now() / 1000)) {
  const tokenUrl = `${orgUrl}/oauth2/v1/token`;
  const jwk: Promise<JWK> = exportJWK(createPublicKey(keys.publicKeyPem));
  const signingKey = importPKCS8(keys.privateKeyPem, "RS256");
  const proof = async (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: "RS256", typ: "dpop+jwt", jwk: await jwk })
      .setIssuedAt(nowS()).setJti(randomUUID()).sign(await signingKey);
  const assertion = async (jti: string = randomUUID()) =>
    new SignJWT({}).setProtectedHeader({ alg: "RS256" }).setIssuer(readerClient.clientId).setSubject(readerClient.clientId)
      .setAudience(tokenUrl).setIssuedAt(nowS()).setExpirationTime(nowS() + 300).setJti(jti).sign(await signingKey);
  return {
    proof,
    assertion,
    async requestToken(opts: { scope?: string; nonce?: string; clientAssertion?: string }) {
      const form = new URLSearchParams({
        grant_type: "client_credentials", scope: opts.scope ?? "okta.users.read",
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: opts.clientAssertion ?? (await assertion()),
      });
      const dpop = await proof({ htm: "POST", htu: tokenUrl, ...(opts.nonce ? { nonce: opts.nonce } : {}) });
      const res = await fetch(tokenUrl, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", DPoP: dpop }, body: form });
      return { status: res.status, nonce: res.headers.get("dpop-nonce"), body: (await res.json()) as Record<string, unknown> };
    },
    async callUsers(authorization: string, dpop?: string) {
      const res = await fetch(`${orgUrl}/api/v1/users?limit=2`, { headers: { Authorization: authorization, ...(dpop ? { DPoP: dpop } : {}) } });
      await res.arrayBuffer();
      return res.status;
    },
  };
}

const ath = (token: string) => createHash("sha256").update(token).digest("base64url");

describe("fake Okta OAuth with the real @okta/okta-sdk-nodejs (PrivateKey mode)", () => {
  it("completes the DPoP nonce handshake and lists users with a DPoP-bound token", async () => {
    const org = await startOrg();
    try {
      expect(await listUsers(sdkClient(org.url, appKey.privateKeyPem))).toEqual([]);
      expect(org.seen.map((s) => `${s.method} ${s.path} ${s.status}`)).toEqual([
        "POST /oauth2/v1/token 400", "POST /oauth2/v1/token 200", "GET /api/v1/users 200",
      ]);
      expect(org.seen[2]?.authorization).toMatch(/^DPoP [A-Za-z0-9_-]{43}$/);
      expect(org.seen[2]?.dpop).toBe(true);
    } finally {
      await org.close();
    }
  });

  it("issues Bearer tokens without a nonce round when the app does not require DPoP", async () => {
    const org = await startOrg({ requireDpop: false });
    try {
      expect(await listUsers(sdkClient(org.url, appKey.privateKeyPem))).toEqual([]);
      expect(org.seen.map((s) => `${s.method} ${s.path} ${s.status}`)).toEqual(["POST /oauth2/v1/token 200", "GET /api/v1/users 200"]);
      expect(org.seen[1]?.authorization).toMatch(/^Bearer [A-Za-z0-9_-]{43}$/);
    } finally {
      await org.close();
    }
  });

  it("fails the API call with OktaApiError 401 E0000011 when the SDK signs with a key the app does not hold", async () => {
    const org = await startOrg();
    try {
      const error: unknown = await listUsers(sdkClient(org.url, strangerKey.privateKeyPem)).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: "OktaApiError", status: 401, errorCode: "E0000011" });
      // The SDK never checks the token response (okta-api.md §6.8): it caches the invalid_client body and
      // sends its missing access_token; on the 401 it re-mints once, then gives up.
      expect(org.seen.map((s) => `${s.method} ${s.path} ${s.status}`)).toEqual([
        "POST /oauth2/v1/token 400", "POST /oauth2/v1/token 401", "GET /api/v1/users 401",
        "POST /oauth2/v1/token 400", "POST /oauth2/v1/token 401", "GET /api/v1/users 401",
      ]);
      expect(org.seen[2]?.authorization).toBe("DPoP undefined");
    } finally {
      await org.close();
    }
  });
});

describe("fake Okta /oauth2/v1/token", () => {
  let org: Awaited<ReturnType<typeof startOrg>>;
  beforeAll(async () => {
    org = await startOrg();
  });
  afterAll(async () => org.close());

  it("answers a proof without a nonce with 400 use_dpop_nonce and a DPoP-Nonce header", async () => {
    const res = await handClient(org.url, appKey).requestToken({});
    expect(res.status).toBe(400);
    expect(res.body["error"]).toBe("use_dpop_nonce");
    expect(res.body["error_description"]).toEqual(expect.any(String));
    expect(res.nonce).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it("issues a DPoP token for the granted scopes once the nonce is echoed", async () => {
    const client = handClient(org.url, appKey);
    const { nonce } = await client.requestToken({});
    const res = await client.requestToken({ nonce: nonce ?? "", scope: "okta.users.read okta.groups.read" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ token_type: "DPoP", expires_in: 3600, access_token: expect.any(String), scope: "okta.users.read okta.groups.read" });
  });

  it("refuses a scope the app was not granted with 400 invalid_scope", async () => {
    const client = handClient(org.url, appKey);
    const { nonce } = await client.requestToken({});
    const res = await client.requestToken({ nonce: nonce ?? "", scope: "okta.users.read okta.roles.manage" });
    expect(res.status).toBe(400);
    expect(res.body["error"]).toBe("invalid_scope");
    expect(res.body["error_description"]).toContain("okta.roles.manage");
  });

  it("refuses a replayed client_assertion jti with 401 invalid_client", async () => {
    const client = handClient(org.url, appKey);
    const { nonce } = await client.requestToken({});
    const jti = randomUUID();
    const first = await client.requestToken({ nonce: nonce ?? "", clientAssertion: await client.assertion(jti) });
    const replay = await client.requestToken({ nonce: nonce ?? "", clientAssertion: await client.assertion(jti) });
    expect(first.status).toBe(200);
    expect(replay.status).toBe(401);
    expect(replay.body["error"]).toBe("invalid_client");
  });

  it("refuses an assertion signed by another key with 401 invalid_client", async () => {
    const client = handClient(org.url, appKey);
    const { nonce } = await client.requestToken({});
    const forged = await handClient(org.url, strangerKey).assertion();
    const res = await client.requestToken({ nonce: nonce ?? "", clientAssertion: forged });
    expect(res.status).toBe(401);
    expect(res.body["error"]).toBe("invalid_client");
  });
});

describe("fake Okta API authentication of DPoP tokens", () => {
  let org: Awaited<ReturnType<typeof startOrg>>;
  // A frozen clock: expiry is decided to the second, and a real one could tick between mint and use.
  const startMs = Date.now();
  let clockMs = startMs;
  const nowS = () => Math.floor(clockMs / 1000);
  beforeAll(async () => {
    org = await startOrg({ now: () => clockMs });
  });
  afterAll(async () => org.close());

  async function mint(keys: KeyPair = appKey) {
    const client = handClient(org.url, keys, nowS);
    const { nonce } = await client.requestToken({});
    const res = await client.requestToken({ nonce: nonce ?? "" });
    return { client, token: String(res.body["access_token"]) };
  }

  it("resolves a valid token and proof to the client's admin level and scopes", async () => {
    const { client, token } = await mint();
    const dpop = await client.proof({ htm: "GET", htu: `${org.url}/api/v1/users`, ath: ath(token) });
    const result = await org.authority.authenticate({ method: "GET", url: "/api/v1/users?limit=2", authorization: `DPoP ${token}`, dpop });
    expect(result).toEqual({ ok: true, clientId: readerClient.clientId, adminLevel: "read_only", scopes: ["okta.users.read"] });
  });

  it("rejects proofs that do not fit the request or the token", async () => {
    const { client, token } = await mint();
    const usersUrl = `${org.url}/api/v1/users`;
    const stranger = handClient(org.url, strangerKey, nowS);
    const cases: Array<[string, string, string | undefined]> = [
      ["presented as Bearer", `Bearer ${token}`, await client.proof({ htm: "GET", htu: usersUrl, ath: ath(token) })],
      ["without a proof", `DPoP ${token}`, undefined],
      ["proof for another method", `DPoP ${token}`, await client.proof({ htm: "POST", htu: usersUrl, ath: ath(token) })],
      ["proof for another URL", `DPoP ${token}`, await client.proof({ htm: "GET", htu: `${org.url}/api/v1/groups`, ath: ath(token) })],
      ["proof without ath", `DPoP ${token}`, await client.proof({ htm: "GET", htu: usersUrl })],
      ["proof by another key", `DPoP ${token}`, await stranger.proof({ htm: "GET", htu: usersUrl, ath: ath(token) })],
      ["unknown token", `DPoP ${"x".repeat(43)}`, await client.proof({ htm: "GET", htu: usersUrl, ath: ath("x".repeat(43)) })],
    ];
    const statuses = await Promise.all(cases.map(async ([name, authorization, dpop]) => [name, await client.callUsers(authorization, dpop)]));
    expect(statuses).toEqual(cases.map(([name]) => [name, 401]));
  });

  it("rejects a replayed proof", async () => {
    const { client, token } = await mint();
    const dpop = await client.proof({ htm: "GET", htu: `${org.url}/api/v1/users`, ath: ath(token) });
    expect(await client.callUsers(`DPoP ${token}`, dpop)).toBe(200);
    expect(await client.callUsers(`DPoP ${token}`, dpop)).toBe(401);
  });

  it("expires tokens after expires_in", async () => {
    const { client, token } = await mint();
    const call = async () => client.callUsers(`DPoP ${token}`, await client.proof({ htm: "GET", htu: `${org.url}/api/v1/users`, ath: ath(token) }));
    clockMs = startMs + 3599_000;
    expect(await call()).toBe(200);
    clockMs = startMs + 3600_000;
    expect(await call()).toBe(401);
    clockMs = startMs;
  });
});
