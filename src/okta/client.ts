/**
 * `createOktaClient`: the one place the @okta/okta-sdk-nodejs transport is built.
 *
 * It is what the SDK's `Client` constructor builds for its APIs, without them (sdk-transport.ts says
 * why): an `Http` with our executor, an `OAuth` for private_key_jwt, and the SDK's user agent. Nothing is
 * left for the SDK to pick up on its own (okta-api.md §6.2): no ConfigLoader runs, so neither
 * `okta.yaml` nor `OKTA_CLIENT_*` variables apply, and the proxy agent `Http` builds from `HTTPS_PROXY`
 * is replaced by the `httpsProxy` option (none by default). The response cache is off
 * (`cacheMiddleware: null`): it never expires and would hide changes made outside this client (§6.6).
 *
 * All calls go through {@link OktaClient.request}, which uses the SDK's `http.http`: the SDK still
 * adds authorisation (SSWS, or OAuth private_key_jwt with DPoP), the user agent, and our executor.
 */
import { createPrivateKey } from "node:crypto";
import { setTimeout as sleepFor } from "node:timers/promises";
import type { Response } from "node-fetch";
import { withCallContext } from "./call-context.js";
import { OktaError, oktaErrorFrom } from "./errors.js";
import {
  isTransientTokenFailure,
  OktaRequestExecutor,
  parsedJsonOf,
  type ExecutorRequest,
  type OktaCallStats,
  type OktaLogger,
  type OktaRequestObserver,
} from "./executor.js";
import type { PacingOptions } from "./pacing.js";
import type { HeaderReader } from "./rate-limit-headers.js";
import { retryDelayMs, type RetryDelayOptions } from "./retry.js";
import { Http, OAuth, SDK_USER_AGENT } from "./sdk-transport.js";


/** How the connector authenticates to Okta. */
export type OktaAuth =
  | { kind: "ssws"; token: string }
  | {
      kind: "oauth";
      clientId: string;
      /** RSA private key, PEM (PKCS#1 or PKCS#8). EC keys fail in SDK 7.3.0–8.1.0 (issue #496). */
      privateKeyPem: string;
      keyId?: string | undefined;
      scopes: string[];
    };

/** Options of {@link createOktaClient}. */
export interface OktaClientOptions {
  /** `https://example.okta.com`; a trailing slash is removed (the SDK would send `//api/…`). */
  orgUrl: string;
  auth: OktaAuth;
  /** Per attempt, headers and body included. Default 30 s. */
  requestTimeoutMs?: number | undefined;
  /** Retries after the first attempt for 429, 5xx, resets and timeouts. Default 5. */
  maxRetries?: number | undefined;
  logger?: OktaLogger | undefined;
  /** Proxy for Okta calls. `HTTPS_PROXY` is deliberately not read. */
  httpsProxy?: string | undefined;
  /** Prepended to the SDK's own user agent. */
  userAgent?: string | undefined;
  /** Longest single pacing or retry wait before giving up. Default 120 s. */
  maxWaitMs?: number | undefined;
  retryDelay?: RetryDelayOptions | undefined;
  pacing?: PacingOptions | undefined;
  /** See every attempt, retry and pacing wait (metrics, tracing); never given a secret. */
  observers?: readonly OktaRequestObserver[] | undefined;
}

export type OktaMethod = "GET" | "POST" | "PUT" | "DELETE";

/** Query parameters; undefined values are left out, the rest percent-encoded (`%20`, never `+`). */
export type OktaQuery = Record<string, string | number | boolean | undefined>;

/** One Okta call. `path` starts with `/api/v1/` or `/oauth2/v1/` and holds only validated ids. */
export interface OktaRequest {
  method?: OktaMethod;
  path: string;
  query?: OktaQuery | undefined;
  /** Serialised as JSON. Omit for bodyless POST/PUT (node-fetch then sends `Content-Length: 0`). */
  body?: unknown;
  headers?: Record<string, string> | undefined;
  signal?: AbortSignal | undefined;
  /** Local epoch ms; no retry or pacing wait may end after it. */
  deadlineMs?: number | undefined;
  /** A share of the bucket's limit (0..1) this call leaves to others, waiting for the next window rather than take it. */
  leaveForOthers?: number | undefined;
}

/** A successful answer; `body` is the parsed JSON, or undefined for 204 and empty bodies. */
export interface OktaResponse<T> {
  status: number;
  headers: HeaderReader;
  body: T | undefined;
}

/** The Okta access point handed to the API modules. Holds no secret a caller could read or log. */
export interface OktaClient {
  readonly orgUrl: string;
  readonly authKind: OktaAuth["kind"];
  /** Sends one call (with pacing and retries); failures are thrown as OktaError. */
  request<T = unknown>(request: OktaRequest): Promise<OktaResponse<T>>;
  /** HTTP calls made so far. */
  stats(): OktaCallStats;
  /** Whether Okta has room for one more call now (executor.ts headroom): for work that may start later. */
  headroom?(): boolean;
  /** The scopes Okta granted in the last OAuth token, or undefined (SSWS, or no token yet). */
  grantedScopes(): string[] | undefined;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 5;
const DEFAULT_USER_AGENT = "okta-connector";
const ALLOWED_PATH = /^\/(api\/v1|oauth2\/v1)(\/[A-Za-z0-9._~-]+)*$/;

/** Builds an {@link OktaClient}. Throws OktaError kind "invalid" for bad options, naming the field. */
export function createOktaClient(options: OktaClientOptions): OktaClient {
  const orgUrl = normaliseOrgUrl(options.orgUrl);
  validateAuth(options.auth);
  const maxRetries = nonNegative(options.maxRetries ?? DEFAULT_MAX_RETRIES, "maxRetries");
  const executor = new OktaRequestExecutor({
    requestTimeoutMs: positive(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, "requestTimeoutMs"),
    maxRetries,
    logger: options.logger,
    retryDelay: options.retryDelay,
    pacing: options.pacing,
    maxWaitMs: options.maxWaitMs,
    observers: options.observers,
    // A DPoP proof is single-use; a retried request needs a fresh one (and the current token).
    prepareRetry:
      options.auth.kind === "oauth"
        ? async (request) => {
            await sdk.http.prepareRequest(request as Parameters<typeof sdk.http.prepareRequest>[0]);
          }
        : undefined,
  });
  const sdk = createSdkTransport(orgUrl, options.auth, executor, options.userAgent ?? DEFAULT_USER_AGENT, options.httpsProxy);

  async function request<T>(call: OktaRequest): Promise<OktaResponse<T>> {
    const url = buildUrl(orgUrl, call.path, call.query);
    const headers: Record<string, string> = { Accept: "application/json", ...call.headers };
    const init: ExecutorRequest = { method: call.method ?? "GET", headers };
    if (call.body !== undefined) {
      init.body = JSON.stringify(call.body);
      headers["Content-Type"] ??= "application/json";
    }
    for (let attempt = 0; ; attempt++) {
      try {
        const response = (await withCallContext({ signal: call.signal, deadlineMs: call.deadlineMs, leaveForOthers: call.leaveForOthers }, () =>
          sdk.http.http(url, { ...init, headers: { ...headers } } as Parameters<typeof sdk.http.http>[1]),
        )) as unknown as Response;
        return { status: response.status, headers: response.headers, body: (await bodyOf(response)) as T | undefined };
      } catch (error) {
        // A token request is never replayed by the executor (its assertion is single-use); retrying
        // the whole call lets the SDK mint a fresh one.
        if (!isTransientTokenFailure(error) || attempt >= maxRetries) throw oktaErrorFrom(error);
        executor.countRetry();
        await sleepUnlessCancelled(retryDelayMs(attempt + 1, undefined, options.retryDelay), call.signal);
      }
    }
  }

  return {
    orgUrl,
    authKind: options.auth.kind,
    request,
    stats: () => executor.stats(),
    headroom: () => executor.headroom(),
    grantedScopes: () => {
      const scope = (sdk.oauth as { accessToken?: { scope?: unknown } } | undefined)?.accessToken?.scope;
      return typeof scope === "string" ? scope.split(" ").filter(Boolean) : undefined;
    },
  };
}

/**
 * The SDK's transport as its `Client` constructor wires it (8.1.0's client.js): the fields `OAuth`,
 * its JWT and DPoP helpers read from the client (base URL, executor, client id, scopes, key), an
 * `Http` over our executor, SSWS or OAuth authorisation, and the user agent with the SDK's appended.
 */
function createSdkTransport(orgUrl: string, auth: OktaAuth, executor: OktaRequestExecutor, userAgent: string, httpsProxy: string | undefined) {
  const client: { baseUrl: string; requestExecutor: OktaRequestExecutor; authorizationMode: string; clientId?: string; scopes?: string[]; privateKey?: string; keyId?: string; oauth?: InstanceType<typeof OAuth> } = {
    baseUrl: orgUrl,
    requestExecutor: executor,
    authorizationMode: auth.kind === "ssws" ? "SSWS" : "PrivateKey",
  };
  if (auth.kind === "oauth") {
    Object.assign(client, { clientId: auth.clientId, scopes: [...auth.scopes], privateKey: auth.privateKeyPem, keyId: auth.keyId ?? "" });
    client.oauth = new OAuth(client as never);
  }
  const http = new Http({ httpsProxy, cacheMiddleware: null, requestExecutor: executor as never, oauth: client.oauth as never });
  // Http builds a proxy agent from HTTPS_PROXY when no httpsProxy is given; the connector's proxy is its own option.
  if (httpsProxy === undefined) (http as { agent?: unknown }).agent = undefined;
  if (auth.kind === "ssws") http.defaultHeaders["Authorization"] = `SSWS ${auth.token}`;
  http.defaultHeaders["User-Agent"] = `${userAgent} ${SDK_USER_AGENT}`;
  return { http, oauth: client.oauth };
}

function validateAuth(auth: OktaAuth): void {
  if (auth.kind === "ssws") {
    if (typeof auth.token !== "string" || auth.token.trim() === "") throw invalidOption("auth.token", "auth.token is empty");
    if (/\s/.test(auth.token)) throw invalidOption("auth.token", "auth.token contains whitespace");
    return;
  }
  if (typeof auth.clientId !== "string" || auth.clientId === "") throw invalidOption("auth.clientId", "auth.clientId is empty");
  if (!Array.isArray(auth.scopes) || auth.scopes.length === 0) throw invalidOption("auth.scopes", "auth.scopes is empty");
  let keyType: string | undefined;
  try {
    keyType = createPrivateKey(auth.privateKeyPem).asymmetricKeyType;
  } catch {
    throw invalidOption("auth.privateKeyPem", "auth.privateKeyPem is not a readable PEM private key");
  }
  if (keyType !== "rsa") {
    // The SDK signs its DPoP proof with RS256 whatever the key (okta-sdk-nodejs issue #496).
    throw invalidOption("auth.privateKeyPem", `auth.privateKeyPem is a ${keyType ?? "unknown"} key; the Okta SDK needs RSA`);
  }
}

function normaliseOrgUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidOption("orgUrl", `orgUrl ${JSON.stringify(raw)} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw invalidOption("orgUrl", `orgUrl scheme ${url.protocol} is not http(s)`);
  if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    throw invalidOption("orgUrl", "orgUrl must not carry credentials, a query or a fragment");
  }
  if (url.pathname.replace(/\/+$/, "") !== "") throw invalidOption("orgUrl", `orgUrl has a path ${url.pathname}`);
  return url.origin;
}

/** Joins org URL, path and query. The path is checked so that no caller can leave /api/v1. */
export function buildUrl(orgUrl: string, path: string, query: OktaQuery | undefined): string {
  if (!ALLOWED_PATH.test(path) || path.split("/").some((segment) => segment === "." || segment === "..")) {
    throw new OktaError({ kind: "invalid", message: `path ${JSON.stringify(path)} is not an Okta API path` });
  }
  const pairs = Object.entries(query ?? {})
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  return pairs.length === 0 ? `${orgUrl}${path}` : `${orgUrl}${path}?${pairs.join("&")}`;
}

async function sleepUnlessCancelled(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleepFor(ms, undefined, signal === undefined ? undefined : { signal });
  } catch (error) {
    throw new OktaError({ kind: "cancelled", message: "Okta call cancelled by the caller", cause: signal?.reason ?? error });
  }
}

async function bodyOf(response: Response): Promise<unknown> {
  const parsed = parsedJsonOf(response);
  if (parsed !== undefined) return parsed.value;
  const text = await response.text();
  if (text === "" || !/json/i.test(response.headers.get("content-type") ?? "")) return undefined;
  return JSON.parse(text);
}

function positive(value: number, field: string): number {
  if (!Number.isFinite(value) || value <= 0) throw invalidOption(field, `${field} ${value} must be > 0`);
  return value;
}

function nonNegative(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0) throw invalidOption(field, `${field} ${value} must be an integer ≥ 0`);
  return value;
}

function invalidOption(field: string, message: string): OktaError {
  return new OktaError({ kind: "invalid", message, errorSummary: field });
}
