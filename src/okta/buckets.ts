/**
 * Okta's per-minute rate-limit buckets (okta-api.md §3, Okta's "management rate limits" table).
 *
 * Okta counts each request against one bucket and reports that bucket's state in the response's
 * `X-Rate-Limit-*` headers. Pacing keeps one state per bucket, so the partition here must not join
 * two of Okta's buckets into one key (their headers would overwrite each other). The named buckets
 * cover exactly the listed path shapes (plus user lifecycle calls, which Okta counts as user writes);
 * sub-resources (`/groups/{id}/users`, `/apps/{id}/users`, `/users/{id}/roles`, `/iam/*`) fall into
 * Okta's "all other /api/v1" bucket.
 */

/** Bucket names, also used as keys of `stats().byBucket`. */
export const OKTA_BUCKETS = {
  /** GET (list) and POST (create) on /api/v1/users: 600/min on Workforce orgs. */
  users: "/api/v1/users",
  /** GET /api/v1/users/{idOrLogin}: 2000/min. */
  userGet: "GET /api/v1/users/{id}",
  /** POST, PUT, DELETE /api/v1/users/{id} and POST /api/v1/users/{id}/lifecycle/{op}: 600/min. */
  userWrite: "POST/PUT/DELETE /api/v1/users/{id}",
  /** GET (list) and POST (create) on /api/v1/groups: 500/min. */
  groups: "/api/v1/groups",
  /** GET, PUT, DELETE /api/v1/groups/{id}: 1000/min. */
  group: "/api/v1/groups/{id}",
  /** GET (list) and POST (create) on /api/v1/apps: 100/min. */
  apps: "/api/v1/apps",
  /** GET, PUT, DELETE /api/v1/apps/{id}: 500/min. */
  app: "/api/v1/apps/{id}",
  /** /api/v1/logs: 120/min. */
  logs: "/api/v1/logs",
  /** POST /oauth2/v1/token on the org authorization server: 2000/min. */
  token: "/oauth2/v1/token",
  /** Every other /api/v1 endpoint: 1200/min. */
  other: "/api/v1",
  /** Anything outside /api/v1 and the token endpoint. */
  outside: "other",
} as const;

/** One of {@link OKTA_BUCKETS}' values. */
export type OktaBucket = (typeof OKTA_BUCKETS)[keyof typeof OKTA_BUCKETS];

/**
 * The bucket a request counts against, from its method and URL path (query ignored, no trailing
 * slash expected). Unknown methods are treated like GET.
 */
export function bucketFor(method: string, path: string): OktaBucket {
  const verb = method.toUpperCase();
  const pathOnly = path.split("?")[0] ?? "";
  if (pathOnly === "/oauth2/v1/token") return OKTA_BUCKETS.token;
  // Admin roles of OAuth clients (the Role Assignment API's client endpoints). Our research does not
  // give their bucket; they are counted with the Roles API's other endpoints, as the simulated org does.
  if (pathOnly.startsWith("/oauth2/v1/clients/") && /\/roles(\/|$)/.test(pathOnly)) return OKTA_BUCKETS.other;
  if (!pathOnly.startsWith("/api/v1/") && pathOnly !== "/api/v1") return OKTA_BUCKETS.outside;

  const segments = pathOnly.slice("/api/v1/".length).split("/");
  const [collection, id, ...rest] = segments;
  // User lifecycle operations count against the user-write bucket, as Okta's table groups them.
  if (collection === "users" && id !== undefined && id !== "me" && rest[0] === "lifecycle" && rest.length === 2) {
    return OKTA_BUCKETS.userWrite;
  }
  if (rest.length > 0 || collection === undefined) return OKTA_BUCKETS.other;

  if (collection === "logs" && id === undefined) return OKTA_BUCKETS.logs;
  if (collection === "users") {
    if (id === undefined) return OKTA_BUCKETS.users;
    if (id === "me") return OKTA_BUCKETS.other;
    return verb === "GET" || verb === "HEAD" ? OKTA_BUCKETS.userGet : OKTA_BUCKETS.userWrite;
  }
  if (collection === "groups") {
    if (id === undefined) return OKTA_BUCKETS.groups;
    // /api/v1/groups/rules is its own collection, not a group id.
    return id === "rules" ? OKTA_BUCKETS.other : OKTA_BUCKETS.group;
  }
  if (collection === "apps") return id === undefined ? OKTA_BUCKETS.apps : OKTA_BUCKETS.app;
  return OKTA_BUCKETS.other;
}
