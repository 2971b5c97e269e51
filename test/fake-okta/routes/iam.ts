import { notFound, simError } from "../core/errors.js";
import { nextUrl, pageLinks, parseLimit, startAfter, takePage } from "../http/paging.js";
import type { RequestContext, Route } from "../http/router.js";
import type { PrincipalRef } from "../org/roles.js";
import type { BindingRecord, CustomRoleRecord, ResourceSetRecord } from "../org/types.js";
import { link } from "../render/json-shapes.js";
import {
  renderBindingMember, renderBindingRole, renderCustomRole, renderPermissions, renderResource, renderResourceSet,
} from "../render/roles.js";
import { ACCESS, NO_CONTENT, ok, readJsonObject } from "./common.js";

const IAM_LIMIT = { default: 100, max: 100 };

/** Custom roles, resource sets, their resources, bindings and binding members (`/api/v1/iam/*`). */
export const iamRoutes: Route[] = [
  {
    method: "GET", pattern: "/api/v1/iam/roles", bucket: "other", access: ACCESS.rolesRead,
    handle: (ctx) => wrapperPage(ctx, "roles", ctx.org.roles.customRoles(), (r) => r.id, (r) => renderCustomRole(r, ctx.base)),
  },
  {
    method: "GET", pattern: "/api/v1/iam/roles/:roleIdOrLabel", bucket: "other", access: ACCESS.rolesRead,
    handle: (ctx) => ok(renderCustomRole(roleParam(ctx), ctx.base)),
  },
  {
    method: "GET", pattern: "/api/v1/iam/roles/:roleIdOrLabel/permissions", bucket: "other", access: ACCESS.rolesRead,
    handle: (ctx) => ok(renderPermissions(roleParam(ctx), ctx.base)),
  },
  {
    method: "GET", pattern: "/api/v1/iam/resource-sets", bucket: "other", access: ACCESS.rolesRead,
    handle: (ctx) => wrapperPage(ctx, "resource-sets", ctx.org.roles.resourceSets(), (s) => s.id, (s) => renderResourceSet(s, ctx.base)),
  },
  {
    method: "GET", pattern: "/api/v1/iam/resource-sets/:setId", bucket: "other", access: ACCESS.rolesRead,
    handle: (ctx) => ok(renderResourceSet(setParam(ctx), ctx.base)),
  },
  {
    method: "GET", pattern: "/api/v1/iam/resource-sets/:setId/resources", bucket: "other", access: ACCESS.rolesRead,
    handle(ctx) {
      const set = setParam(ctx);
      return wrapperPage(ctx, "resources", set.resources, (r) => r.id, (r) => renderResource(r, ctx.base));
    },
  },
  {
    method: "GET", pattern: "/api/v1/iam/resource-sets/:setId/bindings", bucket: "other", access: ACCESS.rolesRead,
    handle(ctx) {
      const set = setParam(ctx);
      return wrapperPage(ctx, "roles", [...set.bindings.values()], (b) => b.roleId, (b) => renderBindingRole(set, b.roleId, ctx.base), {
        "resource-set": link(ctx.base, `/api/v1/iam/resource-sets/${set.id}`),
      });
    },
  },
  {
    method: "POST", pattern: "/api/v1/iam/resource-sets/:setId/bindings", bucket: "other", access: ACCESS.rolesWrite,
    handle(ctx) {
      const set = setParam(ctx);
      const body = readJsonObject(ctx);
      if (typeof body["role"] !== "string") throw simError("E0000001", { detail: "role", causes: ["role: The field cannot be left blank"] });
      const role = ctx.org.roles.customRole(body["role"]);
      if (!role) throw notFound(body["role"], "Role");
      const members = memberRefs(ctx, body["members"], "members");
      ctx.org.roles.createBinding(set, role, members, ctx.principal.actor);
      return ok({ _links: { self: link(ctx.base, `/api/v1/iam/resource-sets/${set.id}/bindings/${role.id}`), bindings: link(ctx.base, `/api/v1/iam/resource-sets/${set.id}/bindings`) } });
    },
  },
  {
    method: "GET", pattern: "/api/v1/iam/resource-sets/:setId/bindings/:roleIdOrLabel", bucket: "other", access: ACCESS.rolesRead,
    handle(ctx) {
      const set = setParam(ctx);
      return ok(renderBindingRole(set, bindingParam(ctx, set).roleId, ctx.base));
    },
  },
  {
    method: "DELETE", pattern: "/api/v1/iam/resource-sets/:setId/bindings/:roleIdOrLabel", bucket: "other", access: ACCESS.rolesWrite,
    handle(ctx) {
      const set = setParam(ctx);
      ctx.org.roles.deleteBinding(set, bindingParam(ctx, set), ctx.principal.actor);
      return NO_CONTENT;
    },
  },
  {
    method: "GET", pattern: "/api/v1/iam/resource-sets/:setId/bindings/:roleIdOrLabel/members", bucket: "other", access: ACCESS.rolesRead,
    handle(ctx) {
      const set = setParam(ctx);
      const binding = bindingParam(ctx, set);
      return wrapperPage(ctx, "members", binding.members, (m) => m.id, (m) => renderBindingMember(m, ctx.base), {
        binding: link(ctx.base, `/api/v1/iam/resource-sets/${set.id}/bindings/${binding.roleId}`),
      });
    },
  },
  {
    method: "PATCH", pattern: "/api/v1/iam/resource-sets/:setId/bindings/:roleIdOrLabel/members", bucket: "other", access: ACCESS.rolesWrite,
    handle(ctx) {
      const set = setParam(ctx);
      const binding = bindingParam(ctx, set);
      const body = readJsonObject(ctx);
      ctx.org.roles.addBindingMembers(set, binding, memberRefs(ctx, body["additions"], "additions"), ctx.principal.actor);
      return ok({ _links: { self: link(ctx.base, `/api/v1/iam/resource-sets/${set.id}/bindings/${binding.roleId}`) } });
    },
  },
  {
    method: "GET", pattern: "/api/v1/iam/resource-sets/:setId/bindings/:roleIdOrLabel/members/:memberId", bucket: "other", access: ACCESS.rolesRead,
    handle(ctx) {
      const set = setParam(ctx);
      const id = ctx.params["memberId"] ?? "";
      const member = bindingParam(ctx, set).members.find((m) => m.id === id);
      if (!member) throw notFound(id, "Member");
      return ok(renderBindingMember(member, ctx.base));
    },
  },
  {
    method: "DELETE", pattern: "/api/v1/iam/resource-sets/:setId/bindings/:roleIdOrLabel/members/:memberId", bucket: "other", access: ACCESS.rolesWrite,
    handle(ctx) {
      const set = setParam(ctx);
      ctx.org.roles.removeBindingMember(set, bindingParam(ctx, set), ctx.params["memberId"] ?? "", ctx.principal.actor);
      return NO_CONTENT;
    },
  },
];

/**
 * An IAM list: a wrapper object `{<key>: [...], _links: {self, next?}}` with the next page in the body's
 * `_links.next.href` (and in a Link header, which Okta may also send), 100 per page, cursor = last id.
 */
function wrapperPage<T>(ctx: RequestContext, key: string, items: readonly T[], idOf: (item: T) => string, render: (item: T) => unknown, extraLinks: Record<string, unknown> = {}) {
  const limit = parseLimit(ctx.query, IAM_LIMIT);
  const page = takePage(items.slice(startAfter(items, ctx.query.get("after"), idOf)), limit);
  const last = page.items[page.items.length - 1];
  const next = page.more && last !== undefined ? idOf(last) : null;
  const links: Record<string, unknown> = { self: { href: `${ctx.base}${ctx.path}` }, ...extraLinks };
  if (next !== null) links["next"] = { href: nextUrl(ctx, next, limit) };
  return ok({ [key]: page.items.map(render), _links: links }, { Link: pageLinks(ctx, next, limit) });
}

function roleParam(ctx: RequestContext): CustomRoleRecord {
  const key = ctx.params["roleIdOrLabel"] ?? "";
  const role = ctx.org.roles.customRole(key);
  if (!role) throw notFound(key, "Role");
  return role;
}

function setParam(ctx: RequestContext): ResourceSetRecord {
  const key = ctx.params["setId"] ?? "";
  const set = ctx.org.roles.resourceSet(key);
  if (!set) throw notFound(key, "ResourceSet");
  return set;
}

function bindingParam(ctx: RequestContext, set: ResourceSetRecord): BindingRecord {
  const key = ctx.params["roleIdOrLabel"] ?? "";
  const binding = ctx.org.roles.binding(set, key);
  if (!binding) throw notFound(key, "Binding");
  return binding;
}

/** Binding members are named by URL (`https://{org}/api/v1/users/00u…` or `…/groups/00g…`). */
function memberRefs(ctx: RequestContext, value: unknown, field: string): PrincipalRef[] {
  if (!Array.isArray(value) || value.length === 0) throw simError("E0000001", { detail: field, causes: [`${field}: a non-empty array of user or group URLs is required`] });
  return value.map((entry) => {
    const match = typeof entry === "string" ? /\/api\/v1\/(users|groups)\/([^/?#]+)\/?$/.exec(entry) : null;
    if (!match) throw simError("E0000001", { detail: field, causes: [`${field}: '${String(entry)}' is not a user or group URL`] });
    const id = decodeURIComponent(match[2] ?? "");
    if (match[1] === "users") {
      if (!ctx.org.users.get(id)) throw notFound(id, "User");
      return { principalType: "USER" as const, principalId: id };
    }
    if (!ctx.org.groups.get(id)) throw notFound(id, "UserGroup");
    return { principalType: "GROUP" as const, principalId: id };
  });
}
