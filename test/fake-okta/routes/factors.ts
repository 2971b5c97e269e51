import { notFound, simError } from "../core/errors.js";
import type { RequestContext, Route } from "../http/router.js";
import type { UserRecord } from "../org/types.js";
import { renderFactor } from "../render/factors.js";
import { ACCESS, ok, userParam } from "./common.js";

/**
 * A user's enrolled MFA factors: the list (no paging: Okta answers them all) and one factor. Okta counts
 * them in the "other" bucket; reading them takes okta.users.read and an admin role that reads users.
 */
export const factorRoutes: Route[] = [
  {
    method: "GET", pattern: "/api/v1/users/:id/factors", bucket: "other", access: ACCESS.usersRead,
    handle(ctx) {
      const user = factorUser(ctx);
      return ok(ctx.org.factors.of(user.id).map((f) => renderFactor(f, user.id, ctx.base)));
    },
  },
  {
    method: "GET", pattern: "/api/v1/users/:id/factors/:factorId", bucket: "other", access: ACCESS.usersRead,
    handle(ctx) {
      const user = factorUser(ctx);
      const key = ctx.params["factorId"] ?? "";
      const factor = ctx.org.factors.get(user.id, key);
      if (!factor) throw notFound(key, "UserFactor");
      return ok(renderFactor(factor, user.id, ctx.base));
    },
  },
];

/** The live user (404 E0000007 otherwise), unless its factors are restricted from this admin (403 E0000006). */
function factorUser(ctx: RequestContext): UserRecord {
  const user = userParam(ctx, "id");
  if (ctx.org.factors.isRestricted(user.id) && ctx.principal.level !== "super_admin") throw simError("E0000006");
  return user;
}
