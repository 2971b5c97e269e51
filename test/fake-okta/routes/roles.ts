import { notFound } from "../core/errors.js";
import { nextUrl, pageLinks, parseLimit, takePage } from "../http/paging.js";
import type { RequestContext, Route } from "../http/router.js";
import { groupTarget, userTarget } from "../org/log-targets.js";
import type { PrincipalType } from "../org/types.js";
import { renderRoleAssignedUser, renderRoleAssignment } from "../render/roles.js";
import { ACCESS, NO_CONTENT, groupParam, ok, readJsonObject, userParam } from "./common.js";
import { cursorIndex } from "./user-query.js";

/**
 * Admin role assignments of users and groups, and `/iam/assignees/users`. A user's list also shows the
 * roles of its groups with `assignmentType: "GROUP"` (baton-okta keeps only USER ones from it).
 */
export const roleRoutes: Route[] = [
  ...principalRoutes("USER"),
  ...principalRoutes("GROUP"),
  {
    method: "GET", pattern: "/api/v1/iam/assignees/users", bucket: "other", access: ACCESS.rolesRead,
    handle(ctx) {
      // An IAM wrapper: `{value, _links.next.href}` in the body, which the SDK does not page by itself.
      const limit = parseLimit(ctx.query, { default: 100, max: 100 });
      const ids = ctx.org.roles.usersWithRoles();
      // The cursor is a user id; seeking by user order keeps paging stable if that user lost its roles.
      const after = ctx.query.get("after");
      const afterIndex = after === null ? -1 : cursorIndex(ctx, after);
      const start = ids.findIndex((id) => (ctx.org.users.indexOf(id) ?? -1) > afterIndex);
      const page = takePage(ids.slice(start < 0 ? ids.length : start), limit);
      const last = page.items[page.items.length - 1];
      const next = page.more && last ? last : null;
      const links: Record<string, unknown> = next ? { next: { href: nextUrl(ctx, next, limit) } } : {};
      return ok({ value: page.items.map((id) => renderRoleAssignedUser(id, ctx.org.info, ctx.base)), _links: links }, { Link: pageLinks(ctx, next, limit) });
    },
  },
];

function principalRoutes(type: PrincipalType): Route[] {
  const base = type === "USER" ? "/api/v1/users/:principalId/roles" : "/api/v1/groups/:principalId/roles";
  const principal = (ctx: RequestContext) => {
    if (type === "USER") {
      const user = userParam(ctx, "principalId");
      return { ref: { principalType: type, principalId: user.id }, target: userTarget(user), user };
    }
    const group = groupParam(ctx, "principalId");
    return { ref: { principalType: type, principalId: group.id }, target: groupTarget(group), user: null };
  };
  const assignments = (ctx: RequestContext) => {
    const p = principal(ctx);
    return p.user ? ctx.org.roles.rolesOfUser(p.user, ctx.org.groups.groupsOf(p.user)) : ctx.org.roles.assignmentsOf(type, p.ref.principalId);
  };
  return [
    {
      method: "GET", pattern: base, bucket: "other", access: ACCESS.rolesRead,
      handle: (ctx) => ok(assignments(ctx).map((a) => renderRoleAssignment(a, ctx.base)), { Link: pageLinks(ctx, null, 0) }),
    },
    {
      method: "POST", pattern: base, bucket: "other", access: ACCESS.rolesWrite,
      handle(ctx) {
        const p = principal(ctx);
        const body = readJsonObject(ctx);
        const view = ctx.org.roles.assign(p.ref, { type: body["type"], role: body["role"], resourceSet: body["resource-set"] }, ctx.principal.actor, p.target);
        // Users get 201 Created; groups get 200 with the assignment (the spec declares both for groups).
        return { status: type === "USER" ? 201 : 200, body: renderRoleAssignment(view, ctx.base) };
      },
    },
    {
      method: "GET", pattern: `${base}/:assignmentId`, bucket: "other", access: ACCESS.rolesRead,
      handle(ctx) {
        const id = ctx.params["assignmentId"] ?? "";
        const found = assignments(ctx).find((a) => a.id === id);
        if (!found) throw notFound(id, "RoleAssignment");
        return ok(renderRoleAssignment(found, ctx.base));
      },
    },
    {
      method: "DELETE", pattern: `${base}/:assignmentId`, bucket: "other", access: ACCESS.rolesWrite,
      handle(ctx) {
        const p = principal(ctx);
        ctx.org.roles.unassign(p.ref, ctx.params["assignmentId"] ?? "", ctx.principal.actor, p.target);
        return NO_CONTENT;
      },
    },
  ];
}
