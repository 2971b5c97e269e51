import { notFound, simError } from "../core/errors.js";
import { isFilterSyntaxError, parseFilter, type FilterNode } from "../core/scim-filter.js";
import type { RequestContext } from "../http/router.js";
import type { AppRecord, GroupRecord, UserRecord } from "../org/types.js";
import type { AccessRule } from "../permissions.js";

/** Access rules by scope family; the routes pick one per endpoint. */
export const ACCESS = {
  usersRead: { capability: "read", scope: "okta.users.read" },
  usersList: { capability: "read", scope: "okta.users.read", emptyForNoRole: true },
  usersWrite: { capability: "admin", scope: "okta.users.manage" },
  groupsRead: { capability: "read", scope: "okta.groups.read" },
  groupsList: { capability: "read", scope: "okta.groups.read", emptyForNoRole: true },
  groupsWrite: { capability: "admin", scope: "okta.groups.manage" },
  membershipWrite: { capability: "assign", scope: "okta.groups.manage" },
  appsRead: { capability: "read", scope: "okta.apps.read" },
  appsList: { capability: "read", scope: "okta.apps.read", emptyForNoRole: true },
  appsWrite: { capability: "admin", scope: "okta.apps.manage" },
  assignmentWrite: { capability: "assign", scope: "okta.apps.manage" },
  rolesRead: { capability: "roles-read", scope: "okta.roles.read" },
  rolesWrite: { capability: "roles-write", scope: "okta.roles.manage" },
  devicesRead: { capability: "read", scope: "okta.devices.read" },
  devicesList: { capability: "read", scope: "okta.devices.read", emptyForNoRole: true },
  apiTokensRead: { capability: "api-tokens-read", scope: "okta.apiTokens.read" },
  logsRead: { capability: "read", scope: "okta.logs.read" },
  orgRead: { capability: "read", scope: "okta.orgs.read" },
} as const satisfies Record<string, AccessRule>;

/**
 * Parses the body as JSON. Malformed JSON is 400 E0000003; `required` also refuses an empty body
 * (Okta's answer to a POST /api/v1/users without one).
 */
export function readJson(ctx: RequestContext, required: boolean): unknown {
  if (ctx.body.trim() === "") {
    if (required) throw simError("E0000003");
    return undefined;
  }
  try {
    return JSON.parse(ctx.body) as unknown;
  } catch {
    throw simError("E0000003");
  }
}

/** The body as a JSON object (400 E0000003 for anything else). */
export function readJsonObject(ctx: RequestContext, required = true): Record<string, unknown> {
  const value = readJson(ctx, required);
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw simError("E0000003");
  return value as Record<string, unknown>;
}

/** A boolean query parameter (`true`/`false`), 400 E0000001 for anything else. */
export function queryBool(ctx: RequestContext, name: string, fallback: boolean): boolean {
  const raw = ctx.query.get(name);
  if (raw === null || raw === "") return fallback;
  if (raw === "true") return true;
  if (raw === "false") return false;
  throw simError("E0000001", { detail: name, causes: [`${name}: '${raw}' is not a boolean`] });
}

/** Parses a `search`/`filter` expression; syntax errors are 400 with `code`. */
export function parseExpression(text: string, code: "E0000031" | "E0000053"): FilterNode {
  try {
    return parseFilter(text);
  } catch (error) {
    if (isFilterSyntaxError(error)) throw simError(code, { causes: [error.message] });
    throw error;
  }
}

/** The live user named by `:param` (id or login), or 404 E0000007. */
export function userParam(ctx: RequestContext, param: string, byLogin = false): UserRecord {
  const key = ctx.params[param] ?? "";
  const user = byLogin ? ctx.org.users.find(key) : ctx.org.users.get(key);
  if (!user) throw notFound(key, "User");
  return user;
}

/** The live group named by `:param`, or 404 E0000007. */
export function groupParam(ctx: RequestContext, param: string): GroupRecord {
  const key = ctx.params[param] ?? "";
  const group = ctx.org.groups.get(key);
  if (!group) throw notFound(key, "UserGroup");
  return group;
}

/** The app named by `:param`, or 404 E0000007. */
export function appParam(ctx: RequestContext, param: string): AppRecord {
  const key = ctx.params[param] ?? "";
  const app = ctx.org.apps.get(key);
  if (!app) throw notFound(key, "AppInstance");
  return app;
}

/** A JSON reply with status 200. */
export function ok(body: unknown, headers?: Record<string, string | string[]>): { status: number; body: unknown; headers?: Record<string, string | string[]> } {
  return headers ? { status: 200, body, headers } : { status: 200, body };
}

/** A reply without content. */
export const NO_CONTENT = { status: 204 } as const;
