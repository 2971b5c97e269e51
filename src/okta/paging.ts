/**
 * Okta pagination, followed in one place (style §6).
 *
 * Classic lists (`/users`, `/groups`, `/apps/{id}/users`, …) answer a JSON array and put the next
 * page in a `Link: <…>; rel="next"` header. The IAM lists (`/iam/roles`, `/iam/resource-sets`,
 * `/iam/assignees/users`, bindings, members) answer a wrapper object (`{roles: […]}`,
 * `{"resource-sets": […]}`, `{value: […]}`) with the next page in `_links.next.href`.
 *
 * Both return `{ items, after }`, where `after` is the cursor taken out of the next link. Callers
 * checkpoint `after` (the SDK's Collections hide it, okta-api.md §6.4) and resume by passing it back;
 * the query is rebuilt from the caller's own parameters, which also keeps `expand` that Okta's own
 * next link drops (okta-sdk-nodejs #439).
 */
import type { OktaClient, OktaQuery } from "./client.js";
import { OktaError } from "./errors.js";
import { validateCursor } from "./ids.js";
import type { Page, PageOptions } from "./types.js";

/** Options of {@link fetchPage} and {@link fetchIamPage}. */
export interface FetchPageOptions extends PageOptions {
  headers?: Record<string, string> | undefined;
}

/** One page of a Link-header listing. `options.limit` is sent as `limit` when set. */
export async function fetchPage<T>(
  client: OktaClient,
  path: string,
  query: OktaQuery,
  options: FetchPageOptions = {},
): Promise<Page<T>> {
  const after = options.after === undefined ? undefined : validateCursor(options.after);
  const response = await client.request<unknown>({
    path,
    query: { ...query, limit: options.limit, after },
    headers: options.headers,
    signal: options.signal,
    deadlineMs: options.deadlineMs,
  });
  if (!Array.isArray(response.body)) {
    throw new OktaError({ kind: "unavailable", message: `${path} answered ${describeBody(response.body)}, not a JSON array` });
  }
  return pageOf(response.body as T[], afterFromNextLink(nextLinkFromHeader(response.headers.get("link")), after, path));
}

/**
 * One page of an IAM listing whose body wraps the items under `itemsKey` and links the next page
 * in `_links.next.href` (a `Link` header is used when the body has no next link).
 */
export async function fetchIamPage<T>(
  client: OktaClient,
  path: string,
  itemsKey: string,
  query: OktaQuery,
  options: FetchPageOptions = {},
): Promise<Page<T>> {
  const after = options.after === undefined ? undefined : validateCursor(options.after);
  const response = await client.request<unknown>({
    path,
    query: { ...query, limit: options.limit, after },
    headers: options.headers,
    signal: options.signal,
    deadlineMs: options.deadlineMs,
  });
  const body = response.body;
  const items = typeof body === "object" && body !== null ? (body as Record<string, unknown>)[itemsKey] : undefined;
  if (!Array.isArray(items)) {
    throw new OktaError({ kind: "unavailable", message: `${path} answered ${describeBody(body)} without a "${itemsKey}" array` });
  }
  const next = nextHrefFromBody(body) ?? nextLinkFromHeader(response.headers.get("link"));
  return pageOf(items as T[], afterFromNextLink(next, after, path));
}

/**
 * The URL of the `rel="next"` link in a `Link` header, or undefined. Handles several links in one
 * header (node-fetch joins repeated headers with ", ") and quoted or bare, multi-valued `rel`.
 */
export function nextLinkFromHeader(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  for (const match of header.matchAll(/<([^>]*)>([^<]*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]+))/i.exec(match[2] ?? "");
    const values = (rel?.[1] ?? rel?.[2] ?? "").toLowerCase().split(/\s+/);
    if (values.includes("next")) return match[1];
  }
  return undefined;
}

/** `_links.next.href` of an IAM wrapper body, or undefined. */
export function nextHrefFromBody(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const next = (body as { _links?: { next?: { href?: unknown } } })._links?.next;
  return typeof next?.href === "string" && next.href !== "" ? next.href : undefined;
}

/**
 * The `after` parameter of a next link; undefined when there is no next link. A next link without
 * `after`, or one that repeats the cursor just sent, would make a caller loop or stop short, so it
 * is an error rather than the end of the list.
 */
export function afterFromNextLink(next: string | undefined, previousAfter: string | undefined, path = "listing"): string | undefined {
  if (next === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(next, "http://relative.invalid");
  } catch {
    throw new OktaError({ kind: "unavailable", message: `${path} sent an unreadable next link` });
  }
  const after = url.searchParams.get("after");
  if (after === null || after === "") {
    throw new OktaError({ kind: "unavailable", message: `${path} sent a next link without an after cursor` });
  }
  if (after === previousAfter) {
    throw new OktaError({ kind: "unavailable", message: `${path} sent a next link repeating after=${after}` });
  }
  return after;
}

/** The body of a 2xx that must carry a JSON object; anything else is Okta (or a proxy) misbehaving. */
export function expectObject<T>(body: T | undefined, operation: string): T {
  if (body === undefined || body === null || typeof body !== "object") {
    throw new OktaError({ kind: "unavailable", message: `${operation}: Okta answered without a JSON object` });
  }
  return body;
}

function pageOf<T>(items: T[], after: string | undefined): Page<T> {
  return after === undefined ? { items } : { items, after };
}

function describeBody(body: unknown): string {
  if (body === undefined) return "an empty body";
  if (Array.isArray(body)) return "an array";
  return typeof body === "object" ? "an object" : `a ${typeof body}`;
}
