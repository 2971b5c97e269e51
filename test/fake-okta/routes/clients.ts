import { notFound } from "../core/errors.js";
import { pageLinks } from "../http/paging.js";
import type { RequestContext, Route } from "../http/router.js";
import { appTarget } from "../org/log-targets.js";
import type { AppRecord } from "../org/types.js";
import { renderRoleAssignment } from "../render/roles.js";
import { ACCESS, NO_CONTENT, ok, readJsonObject } from "./common.js";

const BASE = "/oauth2/v1/clients/:clientId/roles";

/**
 * Admin roles of OAuth client apps (`/oauth2/v1/clients/{clientId}/roles`): standard roles assigned to
 * the client and custom roles bound to it over a resource set, with `assignmentType: "CLIENT"`. Okta
 * has no bulk listing of the clients holding roles (`/iam/assignees` lists users only), so a reader
 * asks each client. POST answers 200, as the spec declares for clients (users get 201).
 */
export const clientRoleRoutes: Route[] = [
  {
    method: "GET", pattern: BASE, bucket: "other", access: ACCESS.rolesRead,
    handle: (ctx) => ok(assignments(ctx).map((a) => renderRoleAssignment(a, ctx.base)), { Link: pageLinks(ctx, null, 0) }),
  },
  {
    method: "POST", pattern: BASE, bucket: "other", access: ACCESS.rolesWrite,
    handle(ctx) {
      const app = clientParam(ctx);
      const body = readJsonObject(ctx);
      const view = ctx.org.roles.assign(ref(app), { type: body["type"], role: body["role"], resourceSet: body["resource-set"] }, ctx.principal.actor, appTarget(app));
      return ok(renderRoleAssignment(view, ctx.base));
    },
  },
  {
    method: "GET", pattern: `${BASE}/:assignmentId`, bucket: "other", access: ACCESS.rolesRead,
    handle(ctx) {
      const id = ctx.params["assignmentId"] ?? "";
      const found = assignments(ctx).find((a) => a.id === id);
      if (!found) throw notFound(id, "RoleAssignment");
      return ok(renderRoleAssignment(found, ctx.base));
    },
  },
  {
    method: "DELETE", pattern: `${BASE}/:assignmentId`, bucket: "other", access: ACCESS.rolesWrite,
    handle(ctx) {
      const app = clientParam(ctx);
      ctx.org.roles.unassign(ref(app), ctx.params["assignmentId"] ?? "", ctx.principal.actor, appTarget(app));
      return NO_CONTENT;
    },
  },
];

/** The OIDC app whose client id is `:clientId`, or 404 E0000007. */
function clientParam(ctx: RequestContext): AppRecord {
  const clientId = ctx.params["clientId"] ?? "";
  const app = ctx.org.apps.all().find((a) => a.clientId !== null && a.clientId === clientId);
  if (!app) throw notFound(clientId, "Client");
  return app;
}

const ref = (app: AppRecord) => ({ principalType: "CLIENT" as const, principalId: app.clientId ?? app.id });

function assignments(ctx: RequestContext) {
  return ctx.org.roles.assignmentsOf("CLIENT", ref(clientParam(ctx)).principalId);
}
