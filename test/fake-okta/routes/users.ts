import { randomToken } from "../core/okta-ids.js";
import { simError } from "../core/errors.js";
import { pageLinks, parseLimit } from "../http/paging.js";
import type { Route } from "../http/router.js";
import type { LifecycleOp } from "../org/users.js";
import { renderGroup } from "../render/groups.js";
import { oktaResponseOptions, renderUser } from "../render/users.js";
import { ACCESS, NO_CONTENT, ok, queryBool, readJsonObject, userParam } from "./common.js";
import { queryUsers } from "./user-query.js";
import { passwordValueOf, rememberPassword } from "../org/passwords.js";

const LIFECYCLE_OPS = new Set<LifecycleOp>(["activate", "deactivate", "suspend", "unsuspend", "reactivate", "unlock"]);

/** Users: list (search, filter, q), get by id or login, create, update, lifecycle, delete, groups. */
export const userRoutes: Route[] = [
  {
    method: "GET", pattern: "/api/v1/users", bucket: "users", access: ACCESS.usersList,
    handle(ctx) {
      // Users default to 200 per page (10 with q) and Okta caps a page at 200.
      const page = queryUsers(ctx, (q) => parseLimit(ctx.query, { default: q ? 10 : 200, max: 200 }));
      const render = oktaResponseOptions(ctx.headers["content-type"]);
      const last = page.users[page.users.length - 1];
      const next = page.pageable && page.more && last ? last.id : null;
      return ok(page.users.map((u) => renderUser(u, ctx.base, render)), { Link: pageLinks(ctx, next, page.limit) });
    },
  },
  {
    method: "POST", pattern: "/api/v1/users", bucket: "users", access: ACCESS.usersWrite,
    handle(ctx) {
      const body = readJsonObject(ctx);
      const profile = body["profile"];
      if (typeof profile !== "object" || profile === null || Array.isArray(profile)) {
        throw simError("E0000001", { detail: "profile", causes: ["profile: The field cannot be left blank"] });
      }
      const credentials = (body["credentials"] ?? {}) as Record<string, unknown>;
      const password = typeof credentials["password"] === "object" && credentials["password"] !== null;
      const groupIds = Array.isArray(body["groupIds"]) ? body["groupIds"].filter((g): g is string => typeof g === "string") : [];
      const nextLogin = ctx.query.get("nextLogin");
      if (nextLogin !== null && nextLogin !== "changePassword") throw simError("E0000001", { detail: "nextLogin", causes: [`nextLogin: '${nextLogin}' is not supported`] });
      const user = ctx.org.users.create({
        profile: profile as Record<string, unknown>,
        password,
        activate: queryBool(ctx, "activate", true),
        provider: queryBool(ctx, "provider", false),
        nextLoginChangePassword: nextLogin === "changePassword",
        groupIds,
      }, ctx.principal.actor);
      const value = passwordValueOf(credentials);
      if (value !== undefined) rememberPassword(user, value);
      return ok(renderUser(user, ctx.base, { single: true }));
    },
  },
  {
    method: "GET", pattern: "/api/v1/users/:id", bucket: "user-get", access: ACCESS.usersRead,
    handle(ctx) {
      const user = userParam(ctx, "id", true);
      return ok(renderUser(user, ctx.base, { single: true, ...oktaResponseOptions(ctx.headers["content-type"]) }), { ETag: `W/"${user.lastUpdated}"` });
    },
  },
  updateRoute("POST", false),
  updateRoute("PUT", true),
  {
    method: "DELETE", pattern: "/api/v1/users/:id", bucket: "user-write", access: ACCESS.usersWrite,
    handle(ctx) {
      // The first DELETE of a user that is not DEPROVISIONED deactivates it; the second deletes it.
      ctx.org.users.remove(userParam(ctx, "id", true), ctx.principal.actor);
      return NO_CONTENT;
    },
  },
  {
    method: "POST", pattern: "/api/v1/users/:id/lifecycle/:op", bucket: "user-write", access: ACCESS.usersWrite,
    handle(ctx) {
      const op = ctx.params["op"] as LifecycleOp;
      if (!LIFECYCLE_OPS.has(op)) throw simError("E0000008");
      const user = userParam(ctx, "id");
      ctx.org.users.lifecycle(user, op, ctx.principal.actor);
      // activate and reactivate hand back the activation token when Okta is told not to email it.
      if ((op === "activate" || op === "reactivate") && !queryBool(ctx, "sendEmail", true)) {
        const token = randomToken(20);
        return ok({ activationUrl: `${ctx.base}/welcome/${token}`, activationToken: token });
      }
      return ok({});
    },
  },
  {
    method: "GET", pattern: "/api/v1/users/:id/groups", bucket: "other", access: ACCESS.usersRead,
    handle(ctx) {
      const user = userParam(ctx, "id", true);
      return ok(ctx.org.groups.groupsOf(user).map((g) => renderGroup(g, ctx.base)));
    },
  },
];

function updateRoute(method: "POST" | "PUT", replace: boolean): Route {
  return {
    method, pattern: "/api/v1/users/:id", bucket: "user-write", access: ACCESS.usersWrite,
    handle(ctx) {
      const user = userParam(ctx, "id", true);
      const body = readJsonObject(ctx);
      const profile = body["profile"];
      if (profile !== undefined && (typeof profile !== "object" || profile === null || Array.isArray(profile))) {
        throw simError("E0000001", { detail: "profile", causes: ["profile: Must be an object"] });
      }
      if (replace && profile === undefined) throw simError("E0000001", { detail: "profile", causes: ["profile: The field cannot be left blank"] });
      const credentials = (body["credentials"] ?? {}) as Record<string, unknown>;
      const password = typeof credentials["password"] === "object" && credentials["password"] !== null;
      ctx.org.users.updateProfile(user, profile as Record<string, unknown> | undefined, { replace, password }, ctx.principal.actor);
      const value = passwordValueOf(credentials);
      if (value !== undefined) rememberPassword(user, value);
      return ok(renderUser(user, ctx.base, { single: true }));
    },
  };
}
