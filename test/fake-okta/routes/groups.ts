import { simError } from "../core/errors.js";
import { evaluateFilter, filterTerms } from "../core/scim-filter.js";
import { pageLinks, parseLimit, startAfter, takePage } from "../http/paging.js";
import type { RequestContext, Route } from "../http/router.js";
import type { GroupRecord } from "../org/types.js";
import { renderApp } from "../render/apps.js";
import { renderGroup, type GroupEmbeds } from "../render/groups.js";
import { iso } from "../render/json-shapes.js";
import { oktaResponseOptions, renderUser } from "../render/users.js";
import { ACCESS, NO_CONTENT, groupParam, ok, parseExpression, readJsonObject, userParam } from "./common.js";
import { cursorIndex } from "./user-query.js";

/** `filter` on groups supports only these attributes (okta-api.md §1.2). */
const GROUP_FILTER_ATTRIBUTES = new Set(["id", "type", "lastUpdated", "lastMembershipUpdated"]);

/** Groups: list (q, search, filter, expand=stats/app), CRUD, members, member add/remove, apps. */
export const groupRoutes: Route[] = [
  {
    method: "GET", pattern: "/api/v1/groups", bucket: "groups", access: ACCESS.groupsList,
    handle(ctx) {
      const { query, org } = ctx;
      const q = query.get("q");
      const search = query.get("search");
      const filter = query.get("filter");
      if (search !== null && filter !== null) throw simError("E0000033");
      // "Most orgs" get 200 groups per page by default; the spec allows up to 10,000. q is not pageable
      // and defaults to 300.
      const isQ = q !== null && search === null && filter === null;
      const limit = parseLimit(query, { default: isQ ? 300 : 200, max: 10_000 });
      let predicate: (g: GroupRecord) => boolean = () => true;
      if (isQ) {
        const needle = q.toLowerCase();
        predicate = (g) => g.profile.name.toLowerCase().startsWith(needle);
      } else if (search !== null || filter !== null) {
        const node = parseExpression((search ?? filter) as string, "E0000031");
        if (filter !== null) {
          for (const term of filterTerms(node)) {
            if (!GROUP_FILTER_ATTRIBUTES.has(term.attr)) throw simError("E0000031", { causes: [`filter: '${term.attr}' cannot be filtered on; use search`] });
          }
        }
        predicate = (g) => evaluateFilter(node, (attr) => groupAttribute(g, attr));
      }
      const after = isQ ? null : query.get("after");
      const start = after === null ? 0 : groupCursor(ctx, after) + 1;
      const groups = org.groups.all();
      const matches = function* () {
        for (let i = start; i < groups.length; i++) {
          const g = groups[i] as GroupRecord;
          if (!g.deleted && predicate(g)) yield g;
        }
      };
      const page = takePage(matches(), limit);
      const last = page.items[page.items.length - 1];
      const next = !isQ && page.more && last ? last.id : null;
      return ok(page.items.map((g) => renderGroup(g, ctx.base, embedsFor(ctx, g))), { Link: pageLinks(ctx, next, limit) });
    },
  },
  {
    method: "POST", pattern: "/api/v1/groups", bucket: "groups", access: ACCESS.groupsWrite,
    handle(ctx) {
      const body = readJsonObject(ctx);
      const group = ctx.org.groups.create((body["profile"] ?? {}) as Record<string, unknown>, ctx.principal.actor);
      return ok(renderGroup(group, ctx.base));
    },
  },
  {
    method: "GET", pattern: "/api/v1/groups/:groupId", bucket: "group-id", access: ACCESS.groupsRead,
    handle: (ctx) => {
      const group = groupParam(ctx, "groupId");
      return ok(renderGroup(group, ctx.base, embedsFor(ctx, group)));
    },
  },
  {
    method: "PUT", pattern: "/api/v1/groups/:groupId", bucket: "group-id", access: ACCESS.groupsWrite,
    handle(ctx) {
      const group = groupParam(ctx, "groupId");
      const body = readJsonObject(ctx);
      ctx.org.groups.replace(group, (body["profile"] ?? {}) as Record<string, unknown>, ctx.principal.actor);
      return ok(renderGroup(group, ctx.base));
    },
  },
  {
    method: "DELETE", pattern: "/api/v1/groups/:groupId", bucket: "group-id", access: ACCESS.groupsWrite,
    handle(ctx) {
      ctx.org.groups.remove(groupParam(ctx, "groupId"), ctx.principal.actor);
      return NO_CONTENT;
    },
  },
  {
    method: "GET", pattern: "/api/v1/groups/:groupId/users", bucket: "other", access: ACCESS.groupsRead,
    handle(ctx) {
      const group = groupParam(ctx, "groupId");
      // Okta's default page is 1,000 members; it recommends 200. Larger asks are clamped to 1,000.
      const limit = parseLimit(ctx.query, { default: 1000, max: 1000 });
      const after = ctx.query.get("after");
      const from = after === null ? -1 : cursorIndex(ctx, after);
      const users = ctx.org.users.all();
      const members = function* () {
        for (const index of ctx.org.groups.membersAfter(group, from)) {
          const user = users[index];
          if (user && !user.deleted) yield user;
        }
      };
      const page = takePage(members(), limit);
      const last = page.items[page.items.length - 1];
      const render = oktaResponseOptions(ctx.headers["content-type"]);
      return ok(page.items.map((u) => renderUser(u, ctx.base, render)), { Link: pageLinks(ctx, page.more && last ? last.id : null, limit) });
    },
  },
  membershipRoute("PUT"),
  membershipRoute("DELETE"),
  {
    method: "GET", pattern: "/api/v1/groups/:groupId/apps", bucket: "other", access: ACCESS.groupsRead,
    handle(ctx) {
      const group = groupParam(ctx, "groupId");
      const limit = parseLimit(ctx.query, { default: 20, max: 200 });
      const apps = ctx.org.apps.appsOfGroup(group);
      const page = takePage(apps.slice(startAfter(apps, ctx.query.get("after"), (a) => a.id)), limit);
      const last = page.items[page.items.length - 1];
      return ok(page.items.map((a) => renderApp(a, ctx.base, ctx.org.info)), { Link: pageLinks(ctx, page.more && last ? last.id : null, limit) });
    },
  },
];

/** Adding and removing members: both 204 whether or not anything changed (idempotent). */
function membershipRoute(method: "PUT" | "DELETE"): Route {
  return {
    method, pattern: "/api/v1/groups/:groupId/users/:userId", bucket: "other", access: ACCESS.membershipWrite,
    handle(ctx) {
      const group = groupParam(ctx, "groupId");
      const user = userParam(ctx, "userId");
      if (method === "PUT") ctx.org.groups.addMember(group, user, ctx.principal.actor);
      else ctx.org.groups.removeMember(group, user, ctx.principal.actor);
      return NO_CONTENT;
    },
  };
}

function embedsFor(ctx: RequestContext, group: GroupRecord): GroupEmbeds {
  const expand = new Set((ctx.query.get("expand") ?? "").split(",").map((s) => s.trim()));
  const embeds: GroupEmbeds = {};
  if (expand.has("stats")) {
    embeds.stats = { usersCount: ctx.org.groups.memberCount(group), appsCount: ctx.org.apps.appsOfGroup(group).length, groupPushMappingsCount: 0 };
  }
  if (expand.has("app") && group.sourceAppId) {
    const app = ctx.org.apps.get(group.sourceAppId);
    if (app) embeds.app = app;
  }
  return embeds;
}

function groupCursor(ctx: RequestContext, after: string): number {
  const group = ctx.org.groups.all().find((g) => g.id === after);
  if (!group) throw simError("E0000001", { detail: "after", causes: [`after: '${after}' is not a valid cursor`] });
  return group.index;
}

function groupAttribute(group: GroupRecord, attr: string): unknown {
  if (attr.startsWith("profile.")) return group.profile[attr.slice("profile.".length)];
  switch (attr) {
    case "id":
      return group.id;
    case "type":
      return group.type;
    case "created":
      return iso(group.created);
    case "lastUpdated":
      return iso(group.lastUpdated);
    case "lastMembershipUpdated":
      return iso(group.lastMembershipUpdated);
    case "source.id":
      return group.sourceAppId;
    default:
      return undefined;
  }
}
