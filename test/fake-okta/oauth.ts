import { createHash, createPublicKey, randomBytes } from "node:crypto";
import {
  EmbeddedJWK,
  calculateJwkThumbprint,
  decodeJwt,
  errors as joseErrors,
  importSPKI,
  jwtVerify,
  type CryptoKey,
  type JWTPayload,
  type JWTHeaderParameters,
} from "jose";
import type { AdminLevel } from "./permissions.js";

/** A credential the authority saw on the wire or issued: what a leak test must never find in the connector's output. */
export interface SeenOAuthCredential {
  kind: "client_assertion" | "dpop_proof" | "access_token";
  value: string;
}

const credentialListeners = new Set<(credential: SeenOAuthCredential) => void>();

/**
 * Test hook: calls `listener` with every client assertion and DPoP proof any authority in this process
 * receives and every access token it issues, so a leak test can grep for the exact values the connector
 * sent. Returns the function that removes the listener.
 */
export function onOAuthCredential(listener: (credential: SeenOAuthCredential) => void): () => void {
  credentialListeners.add(listener);
  return () => void credentialListeners.delete(listener);
}

function reportCredential(kind: SeenOAuthCredential["kind"], value: string | null | undefined): void {
  if (!value) return;
  for (const listener of credentialListeners) listener({ kind, value });
}

/** An OAuth service app ("API Services" app) registered in the simulated org. */
export interface OAuthClientSpec {
  clientId: string;
  adminLevel: AdminLevel;
  /** Okta API scopes granted to the app (`okta.users.read`, …); a token request may ask for a subset. */
  scopes: string[];
  /** Public half of the app's key, PEM (SPKI or PKCS#1), used to verify `client_assertion`s. */
  publicKeyPem: string;
}

/** Okta's org authorization server, reduced to client credentials with `private_key_jwt` and DPoP. */
export interface OAuthAuthority {
  /** Answers `POST /oauth2/v1/token`. `url` is the request target (path or absolute URL). */
  handleToken(req: { headers: Record<string, string | undefined>; body: string; url: string }):
    Promise<{ status: number; headers: Record<string, string>; body: unknown }>;
  /** Checks an API request's `Authorization` (and `DPoP`) header against the issued tokens. */
  authenticate(req: { method: string; url: string; authorization: string; dpop?: string }):
    Promise<{ ok: true; clientId: string; adminLevel: AdminLevel; scopes: string[] } | { ok: false; status: 401 }>;
}

/** Options of {@link createOAuthAuthority}. */
export interface OAuthAuthorityOptions {
  /** The org's base URL without a trailing slash; assertions must name `${orgUrl()}/oauth2/v1/token`. */
  orgUrl: () => string;
  clients: OAuthClientSpec[];
  /** Okta turns DPoP on for new API Services apps (since Feb 2024); false issues plain Bearer tokens. */
  requireDpop?: boolean;
  /** Clock in epoch milliseconds, so tests can expire tokens without waiting. */
  now?: () => number;
}

const TOKEN_PATH = "/oauth2/v1/token";
const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const TOKEN_LIFETIME_S = 3600; // Okta fixes org-AS access tokens at one hour.
const MAX_ASSERTION_LIFETIME_S = 3600; // Okta rejects a client_assertion whose exp is over an hour away.
const PROOF_MAX_AGE_S = 300;
const CLOCK_SKEW_S = 60;
const NONCE_LIFETIME_S = 300;
const ASSERTION_ALGS = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"];
const PROOF_ALGS = [...ASSERTION_ALGS, "PS256", "PS384", "PS512"];
const JSON_HEADERS = { "Content-Type": "application/json", "Cache-Control": "no-store", Pragma: "no-cache" };

interface IssuedToken { clientId: string; scopes: string[]; jkt: string | undefined; expiresAtS: number }
type TokenResponse = Awaited<ReturnType<OAuthAuthority["handleToken"]>>;

/**
 * Builds the simulated org's OAuth authority. Tokens are opaque random strings kept in memory, bound to
 * the DPoP key's thumbprint (`cnf.jkt`) when DPoP is on. Errors use OAuth's `{error, error_description}`
 * body, not Okta's E-code format, as the real `/oauth2/v1/token` does.
 */
export function createOAuthAuthority(options: OAuthAuthorityOptions): OAuthAuthority {
  const requireDpop = options.requireDpop ?? true;
  const nowS = (): number => Math.floor((options.now ?? Date.now)() / 1000);
  const clients = new Map(options.clients.map((client) => [client.clientId, withKeyCache(client)]));
  const tokens = new Map<string, IssuedToken>();
  const nonces = createExpiringKeys(nowS);
  const seenAssertions = createExpiringKeys(nowS);
  const seenProofs = createExpiringKeys(nowS);

  async function verifyProof(proof: string, expected: { htm: string; htu: string; ath?: string }):
    Promise<{ ok: true; jkt: string; nonce: unknown } | { ok: false; reason: string }> {
    reportCredential("dpop_proof", proof);
    let payload: JWTPayload;
    let header: JWTHeaderParameters;
    try {
      ({ payload, protectedHeader: header } = await jwtVerify(proof, EmbeddedJWK, {
        typ: "dpop+jwt", algorithms: PROOF_ALGS, maxTokenAge: PROOF_MAX_AGE_S, clockTolerance: CLOCK_SKEW_S,
        currentDate: new Date(nowS() * 1000), requiredClaims: ["jti", "htm", "htu"],
      }));
    } catch (error) {
      return { ok: false, reason: `The DPoP proof is invalid: ${describeJoseError(error)}` };
    }
    if (payload["htm"] !== expected.htm) return { ok: false, reason: "The DPoP proof htm does not match the request method." };
    if (normalizeUrl(payload["htu"]) !== normalizeUrl(expected.htu)) return { ok: false, reason: "The DPoP proof htu does not match the request URL." };
    if (expected.ath !== undefined && payload["ath"] !== expected.ath) return { ok: false, reason: "The DPoP proof ath does not match the access token." };
    const jkt = await calculateJwkThumbprint(header.jwk ?? {}, "sha256");
    const replayKey = `${jkt} ${String(payload.jti)}`;
    if (seenProofs.has(replayKey)) return { ok: false, reason: "The DPoP proof jti has already been used." };
    seenProofs.add(replayKey, nowS() + PROOF_MAX_AGE_S + CLOCK_SKEW_S);
    return { ok: true, jkt, nonce: payload["nonce"] };
  }

  async function authenticateClient(form: URLSearchParams, tokenUrl: string):
    Promise<{ ok: true; client: ClientEntry } | { ok: false; response: TokenResponse }> {
    const fail = (description: string) => ({ ok: false as const, response: oauthError(401, "invalid_client", description) });
    const assertion = form.get("client_assertion");
    reportCredential("client_assertion", assertion);
    if (form.get("client_assertion_type") !== ASSERTION_TYPE || !assertion) {
      return fail("Client authentication failed. Either the client or the client credentials are invalid.");
    }
    let claims: JWTPayload;
    try {
      claims = decodeJwt(assertion);
    } catch {
      return fail("The client_assertion token is malformed.");
    }
    const clientId = form.get("client_id") ?? claims.iss;
    const client = clientId === undefined ? undefined : clients.get(clientId);
    if (!client || claims.iss !== clientId) return fail("Invalid value for 'client_id' parameter.");
    try {
      await jwtVerify(assertion, (header) => client.keyFor(header.alg ?? ""), {
        issuer: client.spec.clientId, subject: client.spec.clientId, audience: tokenUrl, algorithms: ASSERTION_ALGS,
        requiredClaims: ["exp"], currentDate: new Date(nowS() * 1000),
      });
    } catch (error) {
      return fail(`The client_assertion token is invalid: ${describeJoseError(error)}`);
    }
    const exp = claims.exp ?? 0;
    if (exp - nowS() > MAX_ASSERTION_LIFETIME_S) return fail("The client_assertion token has an expiration too far into the future.");
    // Okta's Go SDK sends no jti (okta-sdk-golang#458) and Okta accepts that, so only a present jti is tracked.
    if (claims.jti !== undefined) {
      const replayKey = `${client.spec.clientId} ${claims.jti}`;
      if (seenAssertions.has(replayKey)) return fail("The client_assertion token has already been used.");
      seenAssertions.add(replayKey, exp);
    }
    return { ok: true, client };
  }

  return {
    async handleToken(req) {
      const tokenUrl = `${options.orgUrl()}${TOKEN_PATH}`;
      const contentType = headerValue(req.headers, "content-type") ?? "";
      if (!contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
        return oauthError(400, "invalid_request", "The request must be form-encoded (application/x-www-form-urlencoded).");
      }
      const form = new URLSearchParams(req.body);
      const grantType = form.get("grant_type");
      if (!grantType) return oauthError(400, "invalid_request", "The 'grant_type' parameter is missing.");
      if (grantType !== "client_credentials") {
        return oauthError(400, "unsupported_grant_type", `The authorization grant type '${grantType}' is not supported by the authorization server.`);
      }
      let jkt: string | undefined;
      if (requireDpop) {
        // The nonce challenge comes before client authentication, so an assertion is not spent on it and a
        // client that resends the same assertion with the nonce still succeeds.
        const proof = headerValue(req.headers, "dpop");
        if (!proof) return oauthError(400, "invalid_dpop_proof", "The DPoP proof JWT header is missing.");
        const verified = await verifyProof(proof, { htm: "POST", htu: absoluteUrl(req.url, options.orgUrl()) });
        if (!verified.ok) return oauthError(400, "invalid_dpop_proof", verified.reason);
        if (typeof verified.nonce !== "string" || !nonces.has(verified.nonce)) {
          const nonce = randomBytes(24).toString("base64url");
          nonces.add(nonce, nowS() + NONCE_LIFETIME_S);
          return oauthError(400, "use_dpop_nonce", "Authorization server requires nonce in DPoP proof.", { "DPoP-Nonce": nonce });
        }
        jkt = verified.jkt;
      }
      const authenticated = await authenticateClient(form, tokenUrl);
      if (!authenticated.ok) return authenticated.response;
      const requested = (form.get("scope") ?? "").split(" ").filter((scope) => scope !== "");
      if (requested.length === 0) {
        return oauthError(400, "invalid_scope", "The authorization server resource does not have any configured default scopes, 'scope' must be provided.");
      }
      const notGranted = requested.filter((scope) => !authenticated.client.spec.scopes.includes(scope));
      if (notGranted.length > 0) {
        return oauthError(400, "invalid_scope", `The following scopes were requested, but not granted: ${notGranted.join(" ")}`);
      }
      for (const [key, token] of tokens) if (token.expiresAtS <= nowS()) tokens.delete(key);
      const accessToken = randomBytes(32).toString("base64url");
      reportCredential("access_token", accessToken);
      tokens.set(accessToken, { clientId: authenticated.client.spec.clientId, scopes: requested, jkt, expiresAtS: nowS() + TOKEN_LIFETIME_S });
      const body = { token_type: requireDpop ? "DPoP" : "Bearer", expires_in: TOKEN_LIFETIME_S, access_token: accessToken, scope: requested.join(" ") };
      return { status: 200, headers: { ...JSON_HEADERS }, body };
    },

    async authenticate(req) {
      const denied = { ok: false as const, status: 401 as const };
      const match = /^(\S+) +(\S+)$/.exec(req.authorization.trim());
      if (!match) return denied;
      const scheme = (match[1] ?? "").toLowerCase();
      const accessToken = match[2] ?? "";
      const token = tokens.get(accessToken);
      if (!token || token.expiresAtS <= nowS()) return denied;
      const client = clients.get(token.clientId);
      if (!client) return denied;
      if (token.jkt === undefined) {
        if (scheme !== "bearer") return denied;
      } else {
        // A DPoP-bound token is useless without a proof from the same key (RFC 9449 §7).
        if (scheme !== "dpop" || !req.dpop) return denied;
        const ath = createHash("sha256").update(accessToken).digest("base64url");
        const verified = await verifyProof(req.dpop, { htm: req.method.toUpperCase(), htu: absoluteUrl(req.url, options.orgUrl()), ath });
        if (!verified.ok || verified.jkt !== token.jkt) return denied;
      }
      return { ok: true, clientId: token.clientId, adminLevel: client.spec.adminLevel, scopes: [...token.scopes] };
    },
  };
}

interface ClientEntry { spec: OAuthClientSpec; keyFor(alg: string): Promise<CryptoKey> }

function withKeyCache(spec: OAuthClientSpec): ClientEntry {
  // Normalise PKCS#1 or SPKI PEM to SPKI once; a bad key fails here, at start-up, not at the first request.
  const spki = createPublicKey(spec.publicKeyPem).export({ type: "spki", format: "pem" }).toString();
  const keys = new Map<string, Promise<CryptoKey>>();
  return {
    spec,
    keyFor(alg) {
      let key = keys.get(alg);
      if (!key) {
        key = importSPKI(spki, alg);
        keys.set(alg, key);
      }
      return key;
    },
  };
}

function oauthError(status: number, error: string, description: string, extra: Record<string, string> = {}): TokenResponse {
  return { status, headers: { ...JSON_HEADERS, ...extra }, body: { error, error_description: description } };
}

function headerValue(headers: Record<string, string | undefined>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

function absoluteUrl(url: string, base: string): string {
  return new URL(url, `${base}/`).href;
}

/** RFC 9449 §4.3: htu is compared without query and fragment, after URL normalisation. */
function normalizeUrl(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  try {
    const url = new URL(value);
    return `${url.origin}${url.pathname}`;
  } catch {
    return undefined;
  }
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JOSEError) return error.message;
  return "the token could not be verified";
}

interface ExpiringKeys { has(key: string): boolean; add(key: string, expiresAtS: number): void }

/** A set of keys that lapse (replay caches, nonces); swept at most every 30 s, since proofs come per API call. */
function createExpiringKeys(nowS: () => number): ExpiringKeys {
  const expiries = new Map<string, number>();
  let sweptAtS = nowS();
  return {
    has: (key) => (expiries.get(key) ?? 0) > nowS(),
    add(key, expiresAtS) {
      if (nowS() - sweptAtS >= 30) {
        sweptAtS = nowS();
        for (const [known, expiry] of expiries) if (expiry <= sweptAtS) expiries.delete(known);
      }
      expiries.set(key, expiresAtS);
    },
  };
}
