import type { IncomingHttpHeaders } from "node:http";
import type { Org } from "../org/org.js";
import type { LogActor } from "../org/system-log.js";
import type { AccessRule, AdminLevel } from "../permissions.js";
import type { BucketName } from "./rate-limits.js";

/** The authenticated credential behind a request. */
export interface Principal {
  level: AdminLevel;
  /** Granted OAuth scopes; null for SSWS tokens, which have none. */
  scopes: string[] | null;
  kind: "ssws" | "oauth";
  actor: LogActor;
}

/** What a handler gets. */
export interface RequestContext {
  method: string;
  /** The raw path, without query. */
  path: string;
  query: URLSearchParams;
  /** Path parameters, percent-decoded. */
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** `scheme://host[:port]` as the client addressed the org; every link is built on it. */
  base: string;
  org: Org;
  principal: Principal;
  /** The body as text ("" when none). */
  body: string;
}

/** A handler's answer; `body` undefined sends no content (204-style). */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string | string[]>;
}

/** One endpoint. `pattern` uses `:name` for path parameters. */
export interface Route {
  method: string;
  pattern: string;
  bucket: BucketName;
  access: AccessRule;
  handle(ctx: RequestContext): Reply | Promise<Reply>;
}

/** A route match, or why there is none. */
export type RouteMatch =
  | { kind: "match"; route: Route; params: Record<string, string>; template: string }
  | { kind: "method-not-allowed"; template: string }
  | { kind: "not-found" };

/** Compiles routes into a matcher; static segments win over parameters. */
export function createRouter(routes: readonly Route[]): (method: string, path: string) => RouteMatch {
  const compiled = routes.map((route) => ({ route, segments: route.pattern.split("/").filter((s) => s !== "") }));
  compiled.sort((a, b) => specificity(b.segments) - specificity(a.segments));
  return (method, path) => {
    // One trailing slash is tolerated; an empty segment inside the path (`/api/v1//users`) matches nothing.
    const parts = path.split("/").slice(1);
    if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
    let pathMatched: string | null = null;
    for (const { route, segments } of compiled) {
      if (segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segments.length && ok; i++) {
        const seg = segments[i] as string;
        const part = parts[i] as string;
        if (seg.startsWith(":")) {
          const decoded = safeDecode(part);
          if (decoded === null || decoded === "") ok = false;
          else params[seg.slice(1)] = decoded;
        } else if (seg !== part) {
          ok = false;
        }
      }
      if (!ok) continue;
      const template = "/" + segments.map((s) => (s.startsWith(":") ? `{${s.slice(1)}}` : s)).join("/");
      if (route.method === method) return { kind: "match", route, params, template };
      pathMatched ??= template;
    }
    return pathMatched ? { kind: "method-not-allowed", template: pathMatched } : { kind: "not-found" };
  };
}

function specificity(segments: readonly string[]): number {
  return segments.reduce((score, s, i) => score + (s.startsWith(":") ? 0 : 2 ** (16 - i)), 0);
}

function safeDecode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}
