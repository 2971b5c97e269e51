import { simError } from "../core/errors.js";
import type { Reply, RequestContext } from "./router.js";

/** An endpoint's `limit`: default, maximum and minimum (okta-api.md §2). */
export interface LimitSpec {
  default: number;
  max: number;
  min?: number;
  /** `/api/v1/apps` documents -1 as "the server default". */
  minusOneIsDefault?: boolean;
}

/**
 * Reads `limit`. A value that is not an integer, or below 1, is a 400 E0000001. Values above the
 * maximum are clamped, as Okta does (baton-okta asks for 1,000 users and gets 200); values below an
 * endpoint's minimum are raised to it (app group assignments start at 20).
 */
export function parseLimit(query: URLSearchParams, spec: LimitSpec): number {
  const raw = query.get("limit");
  if (raw === null || raw === "") return spec.default;
  if (!/^-?\d+$/.test(raw.trim())) throw simError("E0000001", { detail: "limit", causes: [`limit: '${raw}' is not a valid integer`] });
  const value = Number(raw);
  if (value === -1 && spec.minusOneIsDefault) return spec.default;
  if (value < 1) throw simError("E0000001", { detail: "limit", causes: [`limit: must be at least 1 (got ${value})`] });
  return Math.max(spec.min ?? 1, Math.min(spec.max, value));
}

/**
 * Where a page starts in `items` for the cursor `after` (the last id of the previous page): 0 without a
 * cursor, 400 E0000001 for a cursor that names nothing in the list.
 */
export function startAfter<T>(items: readonly T[], after: string | null, idOf: (item: T) => string): number {
  if (after === null) return 0;
  const index = items.findIndex((item) => idOf(item) === after);
  if (index < 0) throw simError("E0000001", { detail: "after", causes: [`after: '${after}' is not a valid cursor`] });
  return index + 1;
}

/** Takes `limit` items and says whether any remain. */
export function takePage<T>(items: Iterable<T>, limit: number): { items: T[]; more: boolean } {
  const page: T[] = [];
  for (const item of items) {
    if (page.length === limit) return { items: page, more: true };
    page.push(item);
  }
  return { items: page, more: false };
}

/**
 * The `Link` header lines of a page, as Okta sends them: separate `self` and `next` lines with absolute
 * URLs that keep every query parameter (the SDK follows `next` verbatim and re-applies nothing).
 * `limit` is written into `next` when the client did not send it.
 */
export function pageLinks(ctx: RequestContext, nextAfter: string | null, limit: number): string[] {
  const self = `${ctx.base}${ctx.path}${queryString(ctx.query)}`;
  const lines = [`<${self}>; rel="self"`];
  if (nextAfter !== null) lines.push(`<${nextUrl(ctx, nextAfter, limit)}>; rel="next"`);
  return lines;
}

/** The absolute URL of the next page (IAM endpoints put it in the body's `_links.next.href`). */
export function nextUrl(ctx: RequestContext, after: string, limit: number | null): string {
  const next = new URLSearchParams(ctx.query);
  next.set("after", after);
  if (limit !== null && !next.has("limit")) next.set("limit", String(limit));
  return `${ctx.base}${ctx.path}${queryString(next)}`;
}

/** `?a=b&c=d` with spaces as %20 (URLSearchParams writes `+`), or "" for no parameters. */
export function queryString(params: URLSearchParams): string {
  const text = params.toString().replace(/\+/g, "%20");
  return text === "" ? "" : `?${text}`;
}

/** What {@link loopNextLink} remembers: per listing (path and query without `after`), its first `after`. */
export type NextLinkLoopMemory = Map<string, string>;

/**
 * The `loopNextLinks` fault: rewrites a listing page's next link so that the listing goes round in a
 * circle, as a misbehaving Okta (or proxy) could. A page read through the listing's first `after` (the
 * one page 1 links to) answers normally; a page read through any other `after` links back to the first.
 * So pages 2 -> 3 -> 2 …, a circle of two that a client checking only "the cursor I just sent" misses.
 * Requests without `after` and non-listing answers pass unchanged, apart from being remembered.
 */
export function loopNextLink(ctx: RequestContext, reply: Reply, memory: NextLinkLoopMemory): Reply {
  if (ctx.method !== "GET" || reply.status !== 200) return reply;
  const rest = new URLSearchParams(ctx.query);
  rest.delete("after");
  rest.delete("limit");
  rest.sort();
  const listing = `${ctx.path}?${rest.toString()}`;
  const after = ctx.query.get("after");
  if (after === null) {
    const first = afterOfNext(reply);
    if (first !== undefined) memory.set(listing, first);
    return reply;
  }
  const first = memory.get(listing);
  if (first === undefined) {
    memory.set(listing, after);
    return reply;
  }
  if (after === first) return reply;
  const limitParam = ctx.query.get("limit");
  const href = nextUrl(ctx, first, limitParam === null ? null : Number(limitParam));
  const lines = linkLines(reply).filter((line) => !/rel="next"/.test(line));
  const headers = { ...(reply.headers ?? {}), Link: [...lines, `<${href}>; rel="next"`] };
  const body = reply.body;
  if (body !== null && typeof body === "object" && !Array.isArray(body) && "_links" in body) {
    const links = (body as { _links?: Record<string, unknown> })._links ?? {};
    return { ...reply, headers, body: { ...body, _links: { ...links, next: { href } } } };
  }
  return { ...reply, headers };
}

function linkLines(reply: Reply): string[] {
  const link = reply.headers?.["Link"];
  return link === undefined ? [] : Array.isArray(link) ? [...link] : [link];
}

function afterOfNext(reply: Reply): string | undefined {
  const next = linkLines(reply).find((line) => /rel="next"/.test(line));
  const url = next === undefined ? undefined : /^<([^>]*)>/.exec(next)?.[1];
  return url === undefined ? undefined : (new URL(url).searchParams.get("after") ?? undefined);
}
