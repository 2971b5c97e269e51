import type { IncomingMessage, ServerResponse } from "node:http";
import { isSimHttpError, oktaErrorBody, simError, type SimHttpError } from "../core/errors.js";
import { randomToken } from "../core/okta-ids.js";
import type { OAuthAuthority } from "../oauth.js";
import type { Org } from "../org/org.js";
import { SYSTEM_ACTOR } from "../org/system-log.js";
import { decideAccess, type AdminLevel } from "../permissions.js";
import type { Authenticator } from "./credentials.js";
import type { FaultInjector } from "./faults.js";
import { baseUrlOf, readBody, sendHtml, sendJson } from "./io.js";
import { loopNextLink, type NextLinkLoopMemory, pageLinks } from "./paging.js";
import type { BucketName, RateLimiter, RateLimitState } from "./rate-limits.js";
import type { RequestLog } from "./request-log.js";
import type { RequestContext, RouteMatch } from "./router.js";
import type { StatsRecorder } from "./stats.js";

/** Everything the request pipeline uses. */
export interface PipelineDeps {
  org: Org;
  route: (method: string, path: string) => RouteMatch;
  authenticate: Authenticator;
  oauth: OAuthAuthority;
  limiter: RateLimiter;
  faults: FaultInjector;
  stats: StatsRecorder;
  requestLog: RequestLog;
  /** Simultaneous API requests allowed (Okta: 75 for Workforce orgs); the next one gets a 429 with Limit 0. */
  concurrencyLimit: () => number;
  /** The in-flight gauge the pipeline keeps (shared with the stats). */
  /** API requests being handled; `arrivals` and `lastArrivalMs` count them as they come in. */
  inFlight: { value: number; arrivals: number; lastArrivalMs: number };
  /** Serves `/__sim/*`: no token, no rate limit, no faults. */
  sim: (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, body: string) => Promise<void>;
  scheme: "http" | "https";
  fallbackBase: () => string;
  onInternalError: (error: unknown) => void;
}

const TOKEN_PATH = "/oauth2/v1/token";

/**
 * Builds the request listener. Order per API request: concurrency limit, rate-limit count, body, pause,
 * injected faults, 429 when over the bucket's limit, token endpoint, route, 401, access (403 or `200 []`),
 * handler, then for an applied write a lost reply when that fault is on. Every answer carries
 * `X-Okta-Request-Id`, `Date` (Node's) and the bucket's `X-Rate-Limit-*`; every failure is caught, so no
 * request can crash the process.
 */
export function createPipeline(deps: PipelineDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const gauge = deps.inFlight;
  let lastConcurrencyEvent = 0;
  const lastRateEvent = new Map<string, number>();
  const loopMemory: NextLinkLoopMemory = new Map();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader("X-Okta-Request-Id", randomToken(27));
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const query = new URLSearchParams(q < 0 ? "" : rawUrl.slice(q + 1));
    const method = (req.method ?? "GET").toUpperCase();
    if (path === "/__sim" || path.startsWith("/__sim/")) {
      await deps.sim(req, res, path, query, (await readBody(req)) ?? "");
      return;
    }

    const isToken = path === TOKEN_PATH;
    const match: RouteMatch = isToken ? { kind: "not-found" } : deps.route(method, path);
    const bucket: BucketName = isToken ? "token" : match.kind === "match" ? match.route.bucket : "other";
    const routeKey = isToken ? `${method} ${TOKEN_PATH}` : match.kind === "not-found" ? `${method} (unmatched)` : `${method} ${match.template}`;
    let level: AdminLevel | null = null;
    const finish = (status: number, bytes: number): void => {
      deps.stats.record(bucket, routeKey, status, bytes);
      deps.requestLog.push({ method, path: rawUrl, status, bucket, level });
    };
    const fail = (error: SimHttpError, headers: Record<string, string>, truncate = false): void => {
      finish(error.status, sendJson(res, error.status, error.body, { ...headers, ...error.headers }, truncate));
    };

    let headers: Record<string, string> = {};
    gauge.value++;
    gauge.arrivals++;
    gauge.lastArrivalMs = Date.now();
    try {
      if (gauge.value > deps.concurrencyLimit()) {
        // Okta's concurrency 429: Limit and Remaining are 0 and Reset is only an estimate.
        const now = deps.org.now();
        if (now - lastConcurrencyEvent > 60_000) {
          lastConcurrencyEvent = now;
          deps.org.log.record({ eventType: "core.concurrency.org.limit.violation", displayMessage: "Rate limit violation", actor: SYSTEM_ACTOR, targets: [], severity: "WARN", outcome: { result: "DENY" } });
        }
        fail(simError("E0000047"), rateHeaders({ allowed: false, limit: 0, remaining: 0, resetSec: Math.floor(now / 1000) + 1 }));
        return;
      }
      const rate = deps.limiter.take(bucket);
      headers = rateHeaders(rate);
      const body = await readBody(req);
      if (body === null) return fail(simError("E0000001", { detail: "body", causes: ["The request body is larger than 1 MiB"] }), headers);
      await deps.faults.whenResumed(req.method);
      const fault = deps.faults.decide(bucket);
      if (fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (fault.action === "reset") {
        req.socket.destroy();
        finish(0, 0);
        return;
      }
      if (fault.action === "error") {
        if (fault.errorStatus === 500) return fail(simError("E0000009"), headers);
        finish(fault.errorStatus, sendHtml(res, fault.errorStatus, fault.errorStatus === 502 ? "502 Bad Gateway" : "503 Service Unavailable", headers));
        return;
      }
      if (fault.action === "storm") {
        // A storm's reset is "now", so the SDK's retry (Reset − Date + 1 s) waits about a second.
        const nowSec = Math.floor(deps.org.now() / 1000);
        return fail(simError("E0000047"), rateHeaders({ allowed: false, limit: rate.limit, remaining: 0, resetSec: nowSec }));
      }
      if (!rate.allowed) {
        noteRateViolation(bucket);
        return fail(simError("E0000047"), headers);
      }
      const truncate = fault.action === "malformed";
      const base = baseUrlOf(req, deps.scheme, deps.fallbackBase());

      if (isToken) {
        if (method !== "POST") return fail(simError("E0000022"), headers);
        const answer = await deps.oauth.handleToken({ headers: flatHeaders(req), body, url: `${base}${rawUrl}` });
        finish(answer.status, sendJson(res, answer.status, answer.body, { ...answer.headers, ...headers }, truncate));
        return;
      }
      if (match.kind === "not-found") return fail(simError("E0000008"), headers);
      if (match.kind === "method-not-allowed") return fail(simError("E0000022"), headers);

      const authorization = req.headers.authorization;
      const principal = await deps.authenticate({ method, url: `${base}${rawUrl}`, authorization, dpop: single(req.headers["dpop"]) });
      if (!principal) {
        const scheme = /^(Bearer|DPoP)\s/i.exec(authorization ?? "")?.[1];
        const challenge: Record<string, string> = scheme ? { "WWW-Authenticate": `${scheme} authorization_uri="${base}/oauth2/v1/authorize", realm="IdpError", error="invalid_token", error_description="The access token is invalid.", resource="${path}"` } : {};
        return fail(simError("E0000011", { headers: challenge }), headers);
      }
      level = principal.level;
      const decision = decideAccess(principal.level, principal.scopes, match.route.access);
      if (decision === "missing-scope") {
        const challenge = `Bearer authorization_uri="${base}/oauth2/v1/authorize", realm="IdpError", scope="${match.route.access.scope}", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="${path}"`;
        return fail(simError("E0000006", { headers: { "WWW-Authenticate": challenge } }), headers);
      }
      if (decision === "forbidden") return fail(simError("E0000006"), headers);
      const ctx: RequestContext = { method, path, query, params: match.params, headers: req.headers, base, org: deps.org, principal, body };
      if (decision === "empty") {
        // An OAuth app with scopes but no admin role gets an empty first page, not an error.
        finish(200, sendJson(res, 200, [], { ...headers, Link: pageLinks(ctx, null, 0) }));
        return;
      }
      const handled = await match.route.handle(ctx);
      const settings = deps.faults.settings();
      const reply = settings.loopNextLinks && (settings.buckets.length === 0 || settings.buckets.includes(bucket)) ? loopNextLink(ctx, handled, loopMemory) : handled;
      // A lost reply: the write is applied (the handler ran) and the client never learns it.
      const lost = method !== "GET" && reply.status < 400 ? deps.faults.decideLostReply(bucket) : "none";
      if (lost === "reset") {
        req.socket.destroy();
        finish(0, 0);
        return;
      }
      if (lost === "502") {
        finish(502, sendHtml(res, 502, "502 Bad Gateway", headers));
        return;
      }
      finish(reply.status, sendJson(res, reply.status, reply.body, { ...headers, ...(reply.headers ?? {}) }, truncate));
    } catch (error) {
      if (isSimHttpError(error)) {
        fail(error, headers);
      } else {
        deps.onInternalError(error);
        if (!res.headersSent) fail(simError("E0000009"), headers);
        else res.destroy();
      }
    } finally {
      gauge.value--;
    }
  }

  function noteRateViolation(bucket: string): void {
    const now = deps.org.now();
    const windowMs = 60_000 / deps.limiter.options().scale;
    if (now - (lastRateEvent.get(bucket) ?? 0) < windowMs) return;
    lastRateEvent.set(bucket, now);
    deps.org.log.record({ eventType: "system.org.rate_limit.violation", displayMessage: `Rate limit violation (${bucket})`, actor: SYSTEM_ACTOR, targets: [], severity: "WARN", outcome: { result: "DENY" }, debugData: { bucket } });
  }

  return (req, res) => {
    res.on("error", () => {});
    handle(req, res).catch((error: unknown) => {
      deps.onInternalError(error);
      if (!res.headersSent) sendJson(res, 500, oktaErrorBody("E0000009"), {});
      else res.destroy();
    });
  };
}

function rateHeaders(rate: RateLimitState): Record<string, string> {
  return { "X-Rate-Limit-Limit": String(rate.limit), "X-Rate-Limit-Remaining": String(rate.remaining), "X-Rate-Limit-Reset": String(rate.resetSec) };
}

function flatHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) out[name] = single(value);
  return out;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
