import { simError } from "../core/errors.js";
import { evaluateFilter, filterTerms, type FilterNode } from "../core/scim-filter.js";
import { startAfter, takePage } from "../http/paging.js";
import type { RequestContext } from "../http/router.js";
import type { UserRecord } from "../org/types.js";
import { iso, isoOrNull } from "../render/json-shapes.js";
import { parseExpression } from "./common.js";

/** `filter` on users supports only these attributes, with `eq` (and ranges on lastUpdated) (okta-api.md §1.1). */
const FILTER_ATTRIBUTES = new Set(["status", "lastUpdated", "id", "profile.login", "profile.email", "profile.firstName", "profile.lastName"]);

/** A page of users and whether more follow; `pageable` is false for `q`, which Okta never pages. */
export interface UserPage {
  users: UserRecord[];
  more: boolean;
  pageable: boolean;
  limit: number;
}

/** Reads one attribute of a user the way `search` and `filter` name it (`profile.login`, `type.id`, …). */
export function userAttribute(user: UserRecord, attr: string): unknown {
  if (attr.startsWith("profile.")) return user.profile[attr.slice("profile.".length)];
  switch (attr) {
    case "id":
      return user.id;
    case "status":
      return user.status;
    case "type.id":
      return user.typeId;
    case "created":
      return iso(user.created);
    case "lastUpdated":
      return iso(user.lastUpdated);
    case "activated":
      return isoOrNull(user.activated);
    case "statusChanged":
      return isoOrNull(user.statusChanged);
    case "lastLogin":
      return isoOrNull(user.lastLogin);
    case "passwordChanged":
      return isoOrNull(user.passwordChanged);
    default:
      return undefined;
  }
}

/**
 * Answers `GET /api/v1/users` for `q`, `search`, `filter` or none of them:
 * - no query: every user but DEPROVISIONED ones;
 * - `q`: startsWith on firstName, lastName or email, DEPROVISIONED left out, default limit 10, no paging;
 * - `filter`: the limited attribute set, DEPROVISIONED included;
 * - `search`: any attribute (`status pr` lists every status), read from the lagging search index,
 *   optionally sorted with `sortBy`/`sortOrder`.
 * The cursor is the last user's id.
 */
export function queryUsers(ctx: RequestContext, limitFor: (q: boolean) => number): UserPage {
  const { query, org } = ctx;
  const search = query.get("search");
  const filter = query.get("filter");
  const q = query.get("q");
  if (search !== null && filter !== null) throw simError("E0000033");
  const limit = limitFor(q !== null && search === null && filter === null);

  if (q !== null && search === null && filter === null) {
    const needle = q.toLowerCase();
    const starts = (v: unknown): boolean => typeof v === "string" && v.toLowerCase().startsWith(needle);
    const matches = function* () {
      for (const user of org.users.all()) {
        if (user.deleted || user.status === "DEPROVISIONED") continue;
        if (starts(user.profile["firstName"]) || starts(user.profile["lastName"]) || starts(user.profile["email"])) yield user;
      }
    };
    return { users: takePage(matches(), limit).items, more: false, pageable: false, limit };
  }

  let predicate: (user: UserRecord) => boolean = (user) => user.status !== "DEPROVISIONED";
  let view: (user: UserRecord) => UserRecord | null = (user) => (user.deleted ? null : user);
  if (filter !== null) {
    const node = parseExpression(filter, "E0000031");
    validateUserFilter(node);
    predicate = (user) => evaluateFilter(node, (attr) => userAttribute(user, attr));
  } else if (search !== null) {
    const node = parseExpression(search, "E0000031");
    predicate = (user) => evaluateFilter(node, (attr) => userAttribute(user, attr));
    view = (user) => org.users.searchView(user);
  }

  const after = query.get("after");
  const sortBy = search !== null ? query.get("sortBy") : null;
  if (sortBy !== null) {
    const descending = (query.get("sortOrder") ?? "asc").toLowerCase() === "desc";
    const all: UserRecord[] = [];
    for (const user of org.users.all()) {
      const seen = view(user);
      if (seen && predicate(seen)) all.push(seen);
    }
    const key = (u: UserRecord): string => String(userAttribute(u, sortBy) ?? "").toLowerCase();
    all.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      const byKey = ka < kb ? -1 : ka > kb ? 1 : 0;
      return (descending ? -byKey : byKey) || (a.index - b.index);
    });
    const page = takePage(all.slice(startAfter(all, after, (u) => u.id)), limit);
    return { users: page.items, more: page.more, pageable: true, limit };
  }

  const startIndex = after === null ? 0 : cursorIndex(ctx, after) + 1;
  const matches = function* () {
    const users = org.users.all();
    for (let i = startIndex; i < users.length; i++) {
      const seen = view(users[i] as UserRecord);
      if (seen && predicate(seen)) yield seen;
    }
  };
  const page = takePage(matches(), limit);
  return { users: page.items, more: page.more, pageable: true, limit };
}

/** The index a user-id cursor points at; an id the org never issued is 400 E0000001. */
export function cursorIndex(ctx: RequestContext, after: string): number {
  const index = ctx.org.users.indexOf(after);
  if (index === undefined) throw simError("E0000001", { detail: "after", causes: [`after: '${after}' is not a valid cursor`] });
  return index;
}

function validateUserFilter(node: FilterNode): void {
  for (const term of filterTerms(node)) {
    if (term.op === "not") throw simError("E0000031", { causes: ["filter: 'not' is not supported; use search"] });
    if (!FILTER_ATTRIBUTES.has(term.attr)) throw simError("E0000031", { causes: [`filter: '${term.attr}' cannot be filtered on; use search`] });
    const ranged = term.op === "gt" || term.op === "ge" || term.op === "lt" || term.op === "le";
    if (term.op !== "eq" && !(ranged && term.attr === "lastUpdated")) throw simError("E0000031", { causes: [`filter: operator '${term.op}' is not supported on ${term.attr}`] });
  }
}
