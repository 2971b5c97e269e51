/**
 * The simulated org's role model (issue #3 §4). Every credential, SSWS token or OAuth service app, acts
 * with one admin level; OAuth apps are also bounded by their granted scopes (okta-api.md §5: the role
 * bounds which resources, the scopes which actions). Anything not allowed gets 403 E0000006.
 *
 * | level            | may do                                                            |
 * |------------------|-------------------------------------------------------------------|
 * | read_only        | read users (and their MFA factors), groups, group rules, apps, their assignments, devices, API tokens, the System Log |
 * | app_group_admin  | read as read_only but not API tokens; write group memberships and app assignments |
 * | super_admin      | also read and write roles, and every other write                   |
 * | no_role          | nothing: top-level lists answer `200 []`, everything else 403      |
 *
 * `no_role` reproduces an OAuth app with scopes but no admin role, which Okta answers with an empty
 * `GET /api/v1/users` rather than an error (baton-okta.md §1.4).
 *
 * API tokens (`api-tokens-read`): the token page sits under Security > API, which read-only and super
 * admins see and an app or group-membership admin does not; so app_group_admin gets 403 E0000006 there.
 * This follows Okta's role model (a read-only admin views every admin page, scoped admins only their
 * resources); Okta documents which roles may create tokens, not which may list them.
 */

/** An admin level a credential acts with. */
export type AdminLevel = "read_only" | "app_group_admin" | "super_admin" | "no_role";

/** All levels, in the order the CLI prints their tokens. */
export const ADMIN_LEVELS: readonly AdminLevel[] = ["read_only", "app_group_admin", "super_admin", "no_role"];

/**
 * What an endpoint needs: `read` (users, groups, group rules, apps, assignments, devices, logs), `assign` (group memberships
 * and app assignments), `roles-read` and `roles-write` (admin roles, custom roles, resource sets),
 * `api-tokens-read` (API token metadata), or `admin` (every other write: users, groups, app lifecycle).
 */
export type Capability = "read" | "assign" | "roles-read" | "roles-write" | "api-tokens-read" | "admin";

/** An endpoint's access rule: the capability, the OAuth scope, and whether no_role gets `200 []`. */
export interface AccessRule {
  capability: Capability;
  scope: string;
  emptyForNoRole?: boolean;
}

const LEVEL_CAPABILITIES: Record<AdminLevel, ReadonlySet<Capability>> = {
  no_role: new Set(),
  read_only: new Set(["read", "api-tokens-read"]),
  app_group_admin: new Set(["read", "assign"]),
  super_admin: new Set(["read", "assign", "roles-read", "roles-write", "api-tokens-read", "admin"]),
};

const READ_SCOPES = ["okta.users.read", "okta.groups.read", "okta.apps.read", "okta.roles.read", "okta.logs.read", "okta.orgs.read", "okta.devices.read", "okta.apiTokens.read"];

/** The scopes the simulator grants each level's OAuth service app. */
export const OAUTH_SCOPES_BY_LEVEL: Record<AdminLevel, readonly string[]> = {
  no_role: READ_SCOPES,
  read_only: READ_SCOPES,
  app_group_admin: [...READ_SCOPES, "okta.groups.manage", "okta.apps.manage"],
  super_admin: [...READ_SCOPES, "okta.users.manage", "okta.groups.manage", "okta.apps.manage", "okta.roles.manage"],
};

/** True when `level` has `capability`. */
export function levelAllows(level: AdminLevel, capability: Capability): boolean {
  return LEVEL_CAPABILITIES[level].has(capability);
}

/** True when the granted scopes cover `scope`; Okta's `*.manage` scopes include the matching `*.read`. */
export function scopeAllows(granted: readonly string[], scope: string): boolean {
  if (granted.includes(scope)) return true;
  return scope.endsWith(".read") && granted.includes(`${scope.slice(0, -".read".length)}.manage`);
}

/** The outcome of an access check. */
export type AccessDecision = "allow" | "empty" | "missing-scope" | "forbidden";

/**
 * Decides a request: scopes first (an OAuth token without the scope is refused whatever its role), then
 * the level. `scopes` is null for SSWS tokens, which carry no scopes.
 */
export function decideAccess(level: AdminLevel, scopes: readonly string[] | null, rule: AccessRule): AccessDecision {
  if (scopes !== null && !scopeAllows(scopes, rule.scope)) return "missing-scope";
  if (levelAllows(level, rule.capability)) return "allow";
  if (level === "no_role" && rule.emptyForNoRole) return "empty";
  return "forbidden";
}
