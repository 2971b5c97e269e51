import { generateKeyPair } from "node:crypto";
import { promisify } from "node:util";
import { createIdFactory } from "../core/okta-ids.js";
import { createPrng } from "../core/prng.js";
import type { OAuthAuthority, OAuthClientSpec } from "../oauth.js";
import type { LogActor } from "../org/system-log.js";
import type { OrgInfo } from "../org/types.js";
import { ADMIN_LEVELS, OAUTH_SCOPES_BY_LEVEL, type AdminLevel } from "../permissions.js";
import type { Principal } from "./router.js";

const generateKeyPairAsync = promisify(generateKeyPair);
const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** An OAuth service app of the simulated org, with the private key its caller signs assertions with. */
export interface OAuthClientCredentials {
  clientId: string;
  privateKeyPem: string;
  publicKeyPem: string;
  scopes: string[];
}

/**
 * SSWS API tokens, one per admin level: 42 characters starting `00` like Okta's, derived from the seed so
 * a scripted run can reuse them.
 */
export function mintApiTokens(seed: number): Record<AdminLevel, string> {
  const prng = createPrng(seed, "api-tokens");
  const token = (): string => {
    let out = "00";
    for (let i = 0; i < 40; i++) out += ALPHABET[prng.int(62)];
    return out;
  };
  return Object.fromEntries(ADMIN_LEVELS.map((level) => [level, token()])) as Record<AdminLevel, string>;
}

let keyPairs: Promise<{ privateKeyPem: string; publicKeyPem: string }[]> | undefined;

/**
 * One OAuth service app per admin level. RSA 2048 keys (the Node SDK signs its DPoP proofs RS256 and fails
 * on EC keys, okta-api.md §6.8) are generated once per process and shared by every simulator started in it.
 */
export async function createOAuthClients(seed: number): Promise<Record<AdminLevel, OAuthClientCredentials>> {
  keyPairs ??= Promise.all(ADMIN_LEVELS.map(async () => {
    const { privateKey, publicKey } = await generateKeyPairAsync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    return { privateKeyPem: privateKey, publicKeyPem: publicKey };
  }));
  const keys = await keyPairs;
  const ids = createIdFactory(createPrng(seed, "oauth-clients"));
  return Object.fromEntries(ADMIN_LEVELS.map((level, i) => {
    const key = keys[i] as { privateKeyPem: string; publicKeyPem: string };
    return [level, { clientId: ids.mint("0oa"), ...key, scopes: [...OAUTH_SCOPES_BY_LEVEL[level]] }];
  })) as Record<AdminLevel, OAuthClientCredentials>;
}

/** The specs oauth.ts verifies assertions with. */
export function oauthClientSpecs(clients: Record<AdminLevel, OAuthClientCredentials>): OAuthClientSpec[] {
  return ADMIN_LEVELS.map((level) => ({ clientId: clients[level].clientId, adminLevel: level, scopes: clients[level].scopes, publicKeyPem: clients[level].publicKeyPem }));
}

/** Resolves an `Authorization` header (SSWS, Bearer or DPoP) to a principal, or null (401 E0000011). */
export type Authenticator = (req: { method: string; url: string; authorization: string | undefined; dpop: string | undefined }) => Promise<Principal | null>;

/** Creates the authenticator: SSWS tokens by table lookup, OAuth tokens through oauth.ts. */
export function createAuthenticator(tokens: Record<AdminLevel, string>, oauth: OAuthAuthority, info: OrgInfo): Authenticator {
  const byToken = new Map<string, AdminLevel>(ADMIN_LEVELS.map((level) => [tokens[level], level]));
  const tokenActor = (level: AdminLevel): LogActor => ({
    id: `00u${level.replace(/_/g, "").padEnd(17, "0").slice(0, 17)}`,
    type: "User",
    alternateId: `${level.replace(/_/g, ".")}.admin@${info.domain}`,
    displayName: `${level.replace(/_/g, " ")} admin (API token)`,
  });
  return async ({ method, url, authorization, dpop }) => {
    const header = (authorization ?? "").trim();
    const ssws = /^SSWS\s+(\S+)$/i.exec(header);
    if (ssws) {
      const level = byToken.get(ssws[1] ?? "");
      return level ? { level, scopes: null, kind: "ssws", actor: tokenActor(level) } : null;
    }
    if (!/^(Bearer|DPoP)\s+\S+$/i.test(header)) return null;
    const result = await oauth.authenticate({ method, url, authorization: header, ...(dpop === undefined ? {} : { dpop }) });
    if (!result.ok) return null;
    return {
      level: result.adminLevel,
      scopes: result.scopes,
      kind: "oauth",
      actor: { id: result.clientId, type: "PublicClientApp", alternateId: result.clientId, displayName: `Service app (${result.adminLevel})` },
    };
  };
}
