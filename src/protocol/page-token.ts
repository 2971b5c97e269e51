import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/**
 * Page tokens: what the engine stores in its checkpoint and replays, possibly to a new process after a
 * restart, so they must carry all state themselves (no server-side session).
 *
 * Layout: base64url( version(1) | mac(16) | json ). The JSON holds the syncer's cursor plus the
 * listing it belongs to (scope), so a token from one listing cannot be replayed against another. The
 * HMAC key is derived from the org URL and the credential, which is stable across restarts but unknown
 * to anyone without the credential: a tampered or forged token fails the check, and a token minted
 * for another org or credential is recognised as foreign.
 */
const VERSION = 1;
const MAC_BYTES = 16;
/** baton-sdk's PGV limit on page_token. */
export const MAX_PAGE_TOKEN_BYTES = 1024 * 1024;

export interface PageTokenKey {
  readonly mac: Buffer;
}

/** Derives the signing key. `secretMaterial` is the credential (token or private key); never logged. */
export function derivePageTokenKey(orgUrl: string, secretMaterial: string, purpose = "page-token"): PageTokenKey {
  const mac = Buffer.from(hkdfSync("sha256", secretMaterial, orgUrl, `okta-connector ${purpose} v${VERSION}`, 32));
  return { mac };
}

export type PageTokenProblem = "malformed" | "version" | "integrity" | "scope";

export class PageTokenError extends Error {
  override name = "PageTokenError";
  constructor(
    readonly problem: PageTokenProblem,
    message: string,
  ) {
    super(message);
  }
}

/**
 * `history` is optional state the listing carries from page to page besides the cursor (the digests
 * listing-loop.ts keeps to catch next links that go round in a circle); tokens without it stay valid.
 */
export function encodePageToken(key: PageTokenKey, scope: string, cursor: unknown, history?: unknown): string {
  const json = Buffer.from(JSON.stringify(history === undefined ? { s: scope, c: cursor } : { s: scope, c: cursor, h: history }), "utf8");
  const mac = sign(key, json);
  const token = Buffer.concat([Buffer.from([VERSION]), mac, json]).toString("base64url");
  if (token.length > MAX_PAGE_TOKEN_BYTES) {
    // A syncer cursor is a few ids; this only trips on a bug, and an engine would reject the token.
    throw new Error(`page token of ${token.length} bytes exceeds ${MAX_PAGE_TOKEN_BYTES}`);
  }
  return token;
}

/** Returns the cursor, or throws PageTokenError saying what is wrong with the token. */
export function decodePageToken(key: PageTokenKey, scope: string, token: string): unknown {
  return decodePageTokenPayload(key, scope, token).cursor;
}

/** Returns the cursor and the history it was encoded with, or throws PageTokenError. */
export function decodePageTokenPayload(key: PageTokenKey, scope: string, token: string): { cursor: unknown; history: unknown } {
  if (token.length > MAX_PAGE_TOKEN_BYTES) {
    throw new PageTokenError("malformed", `page_token of ${token.length} bytes exceeds ${MAX_PAGE_TOKEN_BYTES}`);
  }
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new PageTokenError("malformed", "page_token is not a token this connector issued");
  const raw = Buffer.from(token, "base64url");
  if (raw.length <= 1 + MAC_BYTES) throw new PageTokenError("malformed", "page_token is truncated");
  if (raw[0] !== VERSION) {
    throw new PageTokenError("version", `page_token has version ${raw[0]}, this connector reads version ${VERSION}; restart the listing`);
  }
  const mac = raw.subarray(1, 1 + MAC_BYTES);
  const json = raw.subarray(1 + MAC_BYTES);
  if (!timingSafeEqual(mac, sign(key, json))) {
    throw new PageTokenError("integrity", "page_token failed its integrity check (altered, or issued for another org or credential)");
  }
  let payload: { s?: unknown; c?: unknown; h?: unknown };
  try {
    payload = JSON.parse(json.toString("utf8")) as { s?: unknown; c?: unknown; h?: unknown };
  } catch {
    throw new PageTokenError("malformed", "page_token payload is not valid");
  }
  if (payload.s !== scope) {
    throw new PageTokenError("scope", "page_token belongs to another listing; pass it only with the request that returned it");
  }
  return { cursor: payload.c, history: payload.h };
}

/**
 * Reads a token's payload WITHOUT checking its integrity, only to explain a rejection (for example
 * "minted for another org"). Never use the result for anything else.
 */
export function inspectPageToken(token: string): { version: number; scope?: unknown; cursor?: unknown } | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const raw = Buffer.from(token, "base64url");
  if (raw.length <= 1 + MAC_BYTES) return undefined;
  try {
    const payload = JSON.parse(raw.subarray(1 + MAC_BYTES).toString("utf8")) as { s?: unknown; c?: unknown };
    return { version: raw[0]!, scope: payload.s, cursor: payload.c };
  } catch {
    return { version: raw[0]! };
  }
}

function sign(key: PageTokenKey, data: Buffer): Buffer {
  return createHmac("sha256", key.mac).update(data).digest().subarray(0, MAC_BYTES);
}
