import { notFound, simError } from "../core/errors.js";
import { evaluateFilter, filterTerms } from "../core/scim-filter.js";
import { pageLinks, parseLimit, startAfter, takePage } from "../http/paging.js";
import type { RequestContext, Route } from "../http/router.js";
import type { AppUserView } from "../org/apps.js";
import type { AppRecord, GroupAssignment, UserRecord } from "../org/types.js";
import { renderApp, renderAppGroup, renderAppUser } from "../render/apps.js";
import { renderGroup } from "../render/groups.js";
import { renderUser } from "../render/users.js";
import { ACCESS, NO_CONTENT, appParam, groupParam, ok, parseExpression, readJsonObject, userParam } from "./common.js";

/** `filter` on apps: the spec's list plus `user.id` and `group.id` from the legacy docs (okta-api.md §1.3). */
const APP_FILTER_ATTRIBUTES = new Set(["id", "status", "name", "user.id", "group.id", "credentials.signing.kid", "settings.slo.enabled"]);

/** Apps: list with filter/q, get, lifecycle, app users and app group assignments. */
export const appRoutes: Route[] = [
  {
    method: "GET", pattern: "/api/v1/apps", bucket: "apps", access: ACCESS.appsList,
    handle(ctx) {
      const { org, query } = ctx;
      // The spec's default is -1 ("server default"): Okta's legacy docs give 20, with 200 the maximum.
      const limit = parseLimit(query, { default: 20, max: 200, minusOneIsDefault: true });
      let predicate: (app: AppRecord) => boolean = () => true;
      const filter = query.get("filter");
      if (filter !== null) {
        const node = parseExpression(filter, "E0000031");
        for (const term of filterTerms(node)) {
          if (!APP_FILTER_ATTRIBUTES.has(term.attr)) throw simError("E0000031", { causes: [`filter: '${term.attr}' cannot be filtered on`] });
        }
        predicate = (app) => evaluateFilter(node, (attr) => appAttribute(ctx, app, attr));
      }
      const q = query.get("q")?.toLowerCase();
      const apps = org.apps.all();
      const start = startAfter(apps, query.get("after"), (a) => a.id);
      const matches = function* () {
        for (let i = start; i < apps.length; i++) {
          const app = apps[i] as AppRecord;
          if (q !== undefined && !app.name.toLowerCase().startsWith(q) && !app.label.toLowerCase().startsWith(q)) continue;
          if (predicate(app)) yield app;
        }
      };
      const page = takePage(matches(), limit);
      const last = page.items[page.items.length - 1];
      return ok(page.items.map((a) => renderApp(a, ctx.base, org.info)), { Link: pageLinks(ctx, page.more && last ? last.id : null, limit) });
    },
  },
  {
    method: "POST", pattern: "/api/v1/apps", bucket: "apps", access: ACCESS.appsWrite,
    handle(ctx) {
      const body = readJsonObject(ctx);
      const text = (field: string): string => {
        const value = body[field];
        if (value !== undefined && typeof value !== "string") throw simError("E0000001", { detail: field, causes: [`${field}: Must be a string`] });
        return value ?? "";
      };
      const settings = body["settings"] as { oauthClient?: { application_type?: unknown }; app?: { url?: unknown } } | undefined;
      const applicationType = settings?.oauthClient?.application_type;
      const url = settings?.app?.url;
      const app = ctx.org.apps.create({
        name: text("name"), label: text("label"), signOnMode: text("signOnMode"),
        ...(applicationType === "service" || applicationType === "web" ? { applicationType } : {}),
        ...(typeof url === "string" ? { url } : {}),
        activate: ctx.query.get("activate") !== "false",
      }, ctx.principal.actor);
      return ok(renderApp(app, ctx.base, ctx.org.info));
    },
  },
  {
    method: "GET", pattern: "/api/v1/apps/:appId", bucket: "app-id", access: ACCESS.appsRead,
    handle: (ctx) => ok(renderApp(appParam(ctx, "appId"), ctx.base, ctx.org.info)),
  },
  {
    method: "PUT", pattern: "/api/v1/apps/:appId", bucket: "app-id", access: ACCESS.appsWrite,
    handle(ctx) {
      const app = appParam(ctx, "appId");
      const body = readJsonObject(ctx);
      const label = body["label"];
      if (typeof label !== "string") throw simError("E0000001", { detail: "label", causes: ["label: The field cannot be left blank"] });
      return ok(renderApp(ctx.org.apps.update(app, { label }, ctx.principal.actor), ctx.base, ctx.org.info));
    },
  },
  {
    method: "DELETE", pattern: "/api/v1/apps/:appId", bucket: "app-id", access: ACCESS.appsWrite,
    handle(ctx) {
      ctx.org.apps.remove(appParam(ctx, "appId"), ctx.principal.actor);
      return NO_CONTENT;
    },
  },
  lifecycleRoute("activate"),
  lifecycleRoute("deactivate"),
  {
    method: "GET", pattern: "/api/v1/apps/:appId/users", bucket: "other", access: ACCESS.appsRead,
    handle(ctx) {
      const app = appParam(ctx, "appId");
      const limit = parseLimit(ctx.query, { default: 50, max: 500 });
      const q = ctx.query.get("q")?.toLowerCase();
      const expandUser = ctx.query.get("expand") === "user";
      const after = ctx.query.get("after");
      const indexes = ctx.org.apps.userIndexes(app);
      const afterIndex = after === null ? -1 : ctx.org.users.indexOf(after);
      if (afterIndex === undefined) throw simError("E0000001", { detail: "after", causes: [`after: '${after}' is not a valid cursor`] });
      const users = ctx.org.users.all();
      const views = function* () {
        for (let p = firstAbove(indexes, afterIndex); p < indexes.length; p++) {
          const view = ctx.org.apps.appUser(app, users[indexes[p] as number] as UserRecord);
          if (view && (q === undefined || appUserMatches(view, q))) yield view;
        }
      };
      const page = takePage(views(), limit);
      const last = page.items[page.items.length - 1];
      const body = page.items.map((v) => renderAppUser(app, v, ctx.base, expandUser ? renderUser(v.user, ctx.base) : undefined));
      return ok(body, { Link: pageLinks(ctx, page.more && last ? last.user.id : null, limit) });
    },
  },
  {
    method: "POST", pattern: "/api/v1/apps/:appId/users", bucket: "other", access: ACCESS.assignmentWrite,
    handle(ctx) {
      const app = appParam(ctx, "appId");
      const body = readJsonObject(ctx);
      if (typeof body["id"] !== "string" || body["id"] === "") throw simError("E0000001", { detail: "id", causes: ["id: The field cannot be left blank"] });
      const user = ctx.org.users.get(body["id"]);
      if (!user) throw notFound(body["id"], "User");
      const credentials = (body["credentials"] ?? {}) as Record<string, unknown>;
      const profile = body["profile"];
      const { view } = ctx.org.apps.assignUser(app, user, {
        ...(typeof credentials["userName"] === "string" ? { userName: credentials["userName"] } : {}),
        ...(typeof profile === "object" && profile !== null && !Array.isArray(profile) ? { profile: profile as Record<string, unknown> } : {}),
      }, ctx.principal.actor);
      return ok(renderAppUser(app, view, ctx.base));
    },
  },
  {
    method: "GET", pattern: "/api/v1/apps/:appId/users/:userId", bucket: "other", access: ACCESS.appsRead,
    handle(ctx) {
      const app = appParam(ctx, "appId");
      const view = appUserParam(ctx, app);
      return ok(renderAppUser(app, view, ctx.base, ctx.query.get("expand") === "user" ? renderUser(view.user, ctx.base) : undefined));
    },
  },
  {
    // Updates an existing direct assignment (username, profile); a user without one is 404.
    method: "POST", pattern: "/api/v1/apps/:appId/users/:userId", bucket: "other", access: ACCESS.assignmentWrite,
    handle(ctx) {
      const app = appParam(ctx, "appId");
      const view = appUserParam(ctx, app);
      if (!view.direct) throw notFound(view.user.id, "AppUser");
      const body = readJsonObject(ctx);
      const credentials = (body["credentials"] ?? {}) as Record<string, unknown>;
      const profile = body["profile"];
      const updated = ctx.org.apps.assignUser(app, view.user, {
        ...(typeof credentials["userName"] === "string" ? { userName: credentials["userName"] } : {}),
        ...(typeof profile === "object" && profile !== null && !Array.isArray(profile) ? { profile: profile as Record<string, unknown> } : {}),
      }, ctx.principal.actor);
      return ok(renderAppUser(app, updated.view, ctx.base));
    },
  },
  {
    method: "DELETE", pattern: "/api/v1/apps/:appId/users/:userId", bucket: "other", access: ACCESS.assignmentWrite,
    handle(ctx) {
      const app = appParam(ctx, "appId");
      ctx.org.apps.unassignUser(app, userParam(ctx, "userId"), ctx.principal.actor);
      return NO_CONTENT;
    },
  },
  {
    method: "GET", pattern: "/api/v1/apps/:appId/groups", bucket: "other", access: ACCESS.appsRead,
    handle(ctx) {
      const app = appParam(ctx, "appId");
      // App group assignments page at 20 by default, 20 at least and 200 at most.
      const limit = parseLimit(ctx.query, { default: 20, min: 20, max: 200 });
      const q = ctx.query.get("q")?.toLowerCase();
      const assignments = [...app.groupAssignments.values()].sort((a, b) => a.priority - b.priority);
      const start = startAfter(assignments, ctx.query.get("after"), (a) => a.groupId);
      const expandGroup = ctx.query.get("expand") === "group";
      const matches = assignments.slice(start).filter((a) => q === undefined || (ctx.org.groups.get(a.groupId)?.profile.name.toLowerCase().startsWith(q) ?? false));
      const page = takePage(matches, limit);
      const last = page.items[page.items.length - 1];
      const body = page.items.map((a) => renderAppGroup(app, a, ctx.base, expandGroup ? embeddedGroup(ctx, a) : undefined));
      return ok(body, { Link: pageLinks(ctx, page.more && last ? last.groupId : null, limit) });
    },
  },
  {
    method: "GET", pattern: "/api/v1/apps/:appId/groups/:groupId", bucket: "other", access: ACCESS.appsRead,
    handle(ctx) {
      const app = appParam(ctx, "appId");
      const groupId = ctx.params["groupId"] ?? "";
      const assignment = app.groupAssignments.get(groupId);
      if (!assignment) throw notFound(groupId, "ApplicationGroupAssignment");
      return ok(renderAppGroup(app, assignment, ctx.base));
    },
  },
  {
    method: "PUT", pattern: "/api/v1/apps/:appId/groups/:groupId", bucket: "other", access: ACCESS.assignmentWrite,
    handle(ctx) {
      const app = appParam(ctx, "appId");
      const group = groupParam(ctx, "groupId");
      const body = readJsonObject(ctx, false);
      const priority = body["priority"];
      if (priority !== undefined && (typeof priority !== "number" || !Number.isInteger(priority) || priority < 0)) {
        throw simError("E0000001", { detail: "priority", causes: ["priority: Must be a non-negative integer"] });
      }
      const profile = body["profile"];
      const { assignment } = ctx.org.apps.assignGroup(app, group, {
        ...(typeof priority === "number" ? { priority } : {}),
        ...(typeof profile === "object" && profile !== null && !Array.isArray(profile) ? { profile: profile as Record<string, unknown> } : {}),
      }, ctx.principal.actor);
      return ok(renderAppGroup(app, assignment, ctx.base));
    },
  },
  {
    method: "DELETE", pattern: "/api/v1/apps/:appId/groups/:groupId", bucket: "other", access: ACCESS.assignmentWrite,
    handle(ctx) {
      const app = appParam(ctx, "appId");
      ctx.org.apps.unassignGroup(app, groupParam(ctx, "groupId"), ctx.principal.actor);
      return NO_CONTENT;
    },
  },
];

function lifecycleRoute(op: "activate" | "deactivate"): Route {
  return {
    method: "POST", pattern: `/api/v1/apps/:appId/lifecycle/${op}`, bucket: "other", access: ACCESS.appsWrite,
    handle(ctx) {
      ctx.org.apps.setStatus(appParam(ctx, "appId"), op === "activate" ? "ACTIVE" : "INACTIVE", ctx.principal.actor);
      return ok({});
    },
  };
}

function appUserParam(ctx: RequestContext, app: AppRecord): AppUserView {
  const userId = ctx.params["userId"] ?? "";
  const user = ctx.org.users.get(userId);
  const view = user ? ctx.org.apps.appUser(app, user) : undefined;
  if (!view) throw notFound(userId, "AppUser");
  return view;
}

function appUserMatches(view: AppUserView, q: string): boolean {
  const p = view.user.profile;
  const userName = view.direct?.userName ?? p.login;
  return [userName, p["firstName"], p["lastName"], p["email"]].some((v) => typeof v === "string" && v.toLowerCase().startsWith(q));
}

function embeddedGroup(ctx: RequestContext, assignment: GroupAssignment): Record<string, unknown> | undefined {
  const group = ctx.org.groups.get(assignment.groupId);
  return group ? renderGroup(group, ctx.base) : undefined;
}

function appAttribute(ctx: RequestContext, app: AppRecord, attr: string): unknown {
  switch (attr) {
    case "id":
      return app.id;
    case "status":
      return app.status;
    case "name":
      return app.name;
    case "user.id":
      return Array.from(ctx.org.apps.userIndexes(app), (i) => ctx.org.users.all()[i]?.id);
    case "group.id":
      return [...app.groupAssignments.keys()];
    default:
      return undefined;
  }
}

/** Position of the first element greater than `value` in an ascending array. */
function firstAbove(sorted: Uint32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
