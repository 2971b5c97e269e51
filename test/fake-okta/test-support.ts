/** Helpers shared by the simulator's own tests: an SDK client per credential and a small JSON fetcher. */
import okta from "@okta/okta-sdk-nodejs";
import type { AdminLevel, FakeOkta } from "./index.js";

/** The answer of {@link call}: status, headers and the parsed JSON body (undefined when empty). */
export interface CallResult {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

/**
 * Calls the simulator with an SSWS token (`level`), or with `authorization` verbatim (null sends none).
 * `body` objects are sent as JSON; strings are sent as they are (to test malformed JSON).
 */
export async function call(fake: FakeOkta, method: string, path: string, options: { level?: AdminLevel; authorization?: string | null; body?: unknown; headers?: Record<string, string> } = {}): Promise<CallResult> {
  const headers: Record<string, string> = { Accept: "application/json", ...(options.headers ?? {}) };
  const authorization = options.authorization === undefined ? `SSWS ${fake.tokens[options.level ?? "super_admin"]}` : options.authorization;
  if (authorization !== null) headers["Authorization"] = authorization;
  let payload: string | undefined;
  if (options.body !== undefined) {
    payload = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["Content-Type"] = "application/json";
  }
  const res = await fetch(path.startsWith("http") ? path : `${fake.url}${path}`, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
  const text = await res.text();
  let body: unknown;
  try {
    body = text === "" ? undefined : (JSON.parse(text) as unknown);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** Follows `Link: rel="next"` from `path` and returns every item of every page, and the page count. */
export async function listAll<T = Record<string, unknown>>(fake: FakeOkta, path: string, level: AdminLevel = "super_admin"): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let next: string | null = path;
  let pages = 0;
  while (next !== null) {
    const res: CallResult = await call(fake, "GET", next, { level });
    if (res.status !== 200) throw new Error(`GET ${next} answered ${res.status}: ${res.text}`);
    items.push(...(res.body as T[]));
    pages++;
    next = nextLink(res.headers);
  }
  return { items, pages };
}

/** The `rel="next"` URL of a response, or null. */
export function nextLink(headers: Headers): string | null {
  return /<([^>]+)>;\s*rel="next"/.exec(headers.get("link") ?? "")?.[1] ?? null;
}

/** An Okta Node SDK client on an SSWS token, without the SDK's response cache (okta-api.md §6.6). */
export function sdkClient(fake: FakeOkta, level: AdminLevel = "super_admin", extra: Record<string, unknown> = {}): InstanceType<typeof okta.Client> {
  return new okta.Client({ orgUrl: fake.url, token: fake.tokens[level], cacheMiddleware: null, ...extra });
}

/** An Okta Node SDK client on the level's OAuth service app (private_key_jwt, DPoP). */
export function sdkOAuthClient(fake: FakeOkta, level: AdminLevel, scopes: string[]): InstanceType<typeof okta.Client> {
  const client = fake.oauthClients[level];
  return new okta.Client({ orgUrl: fake.url, authorizationMode: "PrivateKey", clientId: client.clientId, scopes, privateKey: client.privateKeyPem, keyId: "fake-okta-test", cacheMiddleware: null });
}

/** Collects an SDK Collection (for await), dropping the nulls it yields on empty pages. */
export async function collect<T>(collection: AsyncIterable<T | null>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of collection) if (item !== null) out.push(item);
  return out;
}
