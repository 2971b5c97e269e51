import type { GroundTruth, GroundTruthApiToken, GroundTruthApp, GroundTruthDevice, GroundTruthGroup, GroundTruthGroupRule, GroundTruthUser } from "../../fake-okta/index.js";
import { STANDARD_ROLE_LABELS } from "../../fake-okta/org/types.js";

/**
 * What a sync must return for an org, computed from the simulator's ground truth and the rules of
 * issue 4 and baton-okta.md §2–3, never from the connector's code. Ids follow baton-sdk's shapes:
 * entitlement `{type}:{resource}:{slug}`, grant `{entitlementId}:{principalType}:{principalId}`.
 */

export interface ExpectedOptions {
  readonly syncCustomRoles: boolean;
  /** --sync-devices: the `device` type, its `user` entitlement and a grant per device user. */
  readonly syncDevices: boolean;
  /** --sync-mfa-status: each user's UserTrait.mfa_status from its factors. */
  readonly syncMfaStatus: boolean;
  /** --sync-secrets: the `api-token` type, one resource per API token, no entitlement or grant. */
  readonly syncSecrets: boolean;
  /** False for credentials Okta refuses the token listing (403): the type is there, empty, with a gap. */
  readonly apiTokensReadable: boolean;
  readonly syncDeprovisionedUsers: boolean;
  readonly skipSecondaryEmails: boolean;
  readonly filterEmailDomains: readonly string[];
  readonly skipAppGroups: boolean;
  readonly syncInactiveApps: boolean;
  /** False for credentials without the Super Administrator role: no role data at all. */
  readonly rolesReadable: boolean;
  /** False for credentials Okta refuses /api/v1/groups/rules: no rule resources and no rule sources. */
  readonly groupRulesReadable: boolean;
}

export const DEFAULT_EXPECTED_OPTIONS: ExpectedOptions = {
  syncCustomRoles: false,
  syncDevices: false,
  syncMfaStatus: false,
  syncSecrets: false,
  apiTokensReadable: true,
  syncDeprovisionedUsers: false,
  skipSecondaryEmails: false,
  filterEmailDomains: [],
  skipAppGroups: false,
  syncInactiveApps: true,
  rolesReadable: true,
  groupRulesReadable: true,
};

/** baton-okta's ten standard roles (role.go), always listed when roles are readable. */
export const BATON_OKTA_ROLE_TYPES = [
  "API_ACCESS_MANAGEMENT_ADMIN", "MOBILE_ADMIN", "ORG_ADMIN", "READ_ONLY_ADMIN", "REPORT_ADMIN",
  "SUPER_ADMIN", "USER_ADMIN", "HELP_DESK_ADMIN", "APP_ADMIN", "GROUP_MEMBERSHIP_ADMIN",
] as const;

/** Okta's label of a standard role type; MOBILE_ADMIN is legacy and absent from the current spec. */
export function roleLabel(type: string): string {
  if (type === "MOBILE_ADMIN") return "Mobile Administrator";
  return (STANDARD_ROLE_LABELS as Record<string, string>)[type] ?? type;
}

/** baton-okta §2.1: the user status table (STAGED counts as disabled since PR #184). */
export function expectedUserStatus(oktaStatus: string): "ENABLED" | "DISABLED" | "UNSPECIFIED" {
  if (["ACTIVE", "PROVISIONED", "RECOVERY", "PASSWORD_EXPIRED", "LOCKED_OUT"].includes(oktaStatus)) return "ENABLED";
  if (["STAGED", "SUSPENDED", "DEPROVISIONED"].includes(oktaStatus)) return "DISABLED";
  return "UNSPECIFIED";
}

/** baton-okta §2.2: group_source_type by Okta group type. */
export function expectedGroupSourceType(type: string): string {
  return ({ BUILT_IN: "built_in", APP_GROUP: "app_imported", OKTA_GROUP: "native" } as Record<string, string>)[type] ?? "";
}

/** A user as the sync must show it. */
export interface ExpectedUser {
  readonly displayName: string;
  readonly emails: readonly { address: string; primary: boolean }[];
  readonly login: string;
  readonly loginAliases: readonly string[];
  readonly status: "ENABLED" | "DISABLED" | "UNSPECIFIED";
  readonly statusDetails: string;
  readonly profile: Record<string, unknown>;
  readonly employeeIds: readonly string[];
  readonly createdAt: string;
  readonly lastLogin: string | null;
  /** Always HUMAN: Okta's user JSON names no service accounts. */
  readonly accountType: "HUMAN";
  /** With --sync-mfa-status: has an ACTIVE factor; otherwise null (unknown, the trait has no mfa_status). */
  readonly mfaEnabled: boolean | null;
  /** UserTrait.structured_name from the profile's name attributes; null when there are none. */
  readonly structuredName: { givenName: string; familyName: string; middleNames: string[]; prefix: string; suffix: string } | null;
}

const STATUS_MEANING: Record<string, string> = {
  STAGED: "created, never activated",
  PROVISIONED: "activated, the user has not set a password yet",
  RECOVERY: "password reset in progress",
  PASSWORD_EXPIRED: "must change password at next sign-in",
  LOCKED_OUT: "locked after too many failed sign-ins",
  SUSPENDED: "suspended by an admin, cannot sign in",
  DEPROVISIONED: "deactivated",
};

/**
 * Issue 15 item 4: the status detail a reviewer reads, from Okta's user fields. `ACTIVE since
 * 2025-04-03; password changed 2024-11-03`, with what a status means, `never signed in` and
 * `no password set in Okta` where they apply (dates, so the detail only changes when Okta's data does).
 */
export function expectedStatusDetails(user: Pick<GroundTruthUser, "status" | "statusChanged" | "lastLogin" | "passwordChanged">): string {
  const day = (iso: string | null) => (iso ? iso.slice(0, 10) : null);
  let head = user.status;
  if (user.statusChanged) head += ` since ${day(user.statusChanged)}`;
  if (STATUS_MEANING[user.status]) head += ` (${STATUS_MEANING[user.status]})`;
  return [head, ...(user.lastLogin ? [] : ["never signed in"]), user.passwordChanged ? `password changed ${day(user.passwordChanged)}` : "no password set in Okta"].join("; ");
}

export interface ExpectedGrant {
  /** GrantExpandable's entitlement ids; undefined when the grant must not carry one. */
  readonly expandsTo: readonly string[] | undefined;
  /** Grant.sources (entitlement id → is_direct); undefined when the grant must carry none. */
  readonly sources?: Readonly<Record<string, boolean>> | undefined;
  /** Carries GrantImmutable (access Okta grants through groups, which it refuses to unassign). */
  readonly immutable?: boolean;
}

export interface ExpectedSync {
  readonly resourceTypeIds: readonly string[];
  readonly users: ReadonlyMap<string, ExpectedUser>;
  readonly groups: ReadonlyMap<string, GroundTruthGroup & { appsCount: number }>;
  readonly apps: ReadonlyMap<string, GroundTruthApp>;
  /** Role type → label. */
  readonly roles: ReadonlyMap<string, string>;
  readonly customRoles: ReadonlyMap<string, { label: string; description: string }>;
  readonly resourceSets: ReadonlyMap<string, { label: string; description: string }>;
  /** `{rsId}:{crId}` → the resource set's label (baton-okta names bindings after their set). */
  readonly bindings: ReadonlyMap<string, string>;
  readonly devices: ReadonlyMap<string, GroundTruthDevice>;
  readonly apiTokens: ReadonlyMap<string, GroundTruthApiToken>;
  /** OAuth API Services apps by client id (the `service-app` principals), every one, holding a role or not. */
  readonly serviceApps: ReadonlyMap<string, GroundTruthApp>;
  readonly groupRules: ReadonlyMap<string, GroundTruthGroupRule>;
  readonly entitlementIds: ReadonlySet<string>;
  readonly grants: ReadonlyMap<string, ExpectedGrant>;
}

/** baton-okta §1.1: any of email, secondEmail or an @-login ends with `@domain` (case-insensitive). */
export function passesEmailFilter(user: GroundTruthUser, domains: readonly string[]): boolean {
  if (domains.length === 0) return true;
  const addresses = [user.email, user.secondEmail, user.login.includes("@") ? user.login : null].filter((a): a is string => typeof a === "string");
  return addresses.some((address) => domains.some((domain) => address.toLowerCase().endsWith(`@${domain.toLowerCase()}`)));
}

function expectedUser(user: GroundTruthUser, options: ExpectedOptions): ExpectedUser {
  const p = user.profile;
  const nonEmpty = (v: unknown): v is string => typeof v === "string" && v.trim() !== "";
  const displayName = nonEmpty(p["displayName"])
    ? p["displayName"]
    : `${nonEmpty(p["firstName"]) ? p["firstName"] : "unknown"} ${nonEmpty(p["lastName"]) ? p["lastName"] : "unknown"}`;
  const emails: { address: string; primary: boolean }[] = [];
  if (user.email) emails.push({ address: user.email, primary: true });
  if (user.secondEmail && !options.skipSecondaryEmails) emails.push({ address: user.secondEmail, primary: false });
  const profile: Record<string, unknown> = { ...p, c1_okta_raw_user_status: user.status };
  if (options.skipSecondaryEmails && "secondEmail" in profile) profile["secondEmail"] = null;
  const parts = user.login.split("@");
  const employeeIds = Object.entries(p)
    .filter(([key, value]) => /^(employeenumber|employeeid|employeeidnumber|employee_number|employee_id|employee_idnumber)$/i.test(key) && nonEmpty(value))
    .map(([, value]) => value as string);
  return {
    displayName,
    emails,
    login: user.login,
    loginAliases: parts.length === 2 ? [parts[0]!] : [],
    status: expectedUserStatus(user.status),
    statusDetails: expectedStatusDetails(user),
    profile,
    employeeIds,
    createdAt: user.created,
    lastLogin: user.lastLogin,
    accountType: "HUMAN",
    mfaEnabled: options.syncMfaStatus ? user.factors.some((f) => f.status === "ACTIVE") : null,
    structuredName: nameParts(p),
  };
}

function nameParts(p: Record<string, unknown>): ExpectedUser["structuredName"] {
  const text = (key: string) => (typeof p[key] === "string" ? (p[key] as string).trim() : "");
  const name = { givenName: text("firstName"), familyName: text("lastName"), middleNames: text("middleName") ? [text("middleName")] : [], prefix: text("honorificPrefix"), suffix: text("honorificSuffix") };
  return Object.values(name).some((v) => (Array.isArray(v) ? v.length > 0 : v !== "")) ? name : null;
}

/** The whole expected sync of `truth` under `options`. */
export function expectedSync(truth: GroundTruth, partial: Partial<ExpectedOptions> = {}): ExpectedSync {
  const options: ExpectedOptions = { ...DEFAULT_EXPECTED_OPTIONS, ...partial };
  const customTypes = options.syncCustomRoles;
  // service-app is on by default; it sits after group because the role types depend on it.
  const resourceTypeIds = ["user", "group", "service-app", "role", "app", ...(customTypes ? ["custom-role", "resource-set", "resourceset-binding"] : []), ...(options.syncDevices ? ["device"] : []), ...(options.syncSecrets ? ["api-token"] : []), "group-rule"];

  const users = new Map<string, ExpectedUser>();
  for (const user of truth.users) {
    if (user.status === "DEPROVISIONED" && !options.syncDeprovisionedUsers) continue;
    if (!passesEmailFilter(user, options.filterEmailDomains)) continue;
    users.set(user.id, expectedUser(user, options));
  }
  const groups = new Map<string, GroundTruthGroup & { appsCount: number }>();
  for (const group of truth.groups) {
    if (group.type === "APP_GROUP" && options.skipAppGroups) continue;
    groups.set(group.id, { ...group, appsCount: truth.apps.filter((a) => a.groups.some((g) => g.groupId === group.id)).length });
  }
  const apps = new Map(truth.apps.filter((a) => options.syncInactiveApps || a.status === "ACTIVE").map((a) => [a.id, a]));

  const roles = new Map<string, string>();
  const customRoles = new Map<string, { label: string; description: string }>();
  const resourceSets = new Map<string, { label: string; description: string }>();
  const bindings = new Map<string, string>();
  // Service apps matter as role holders: without reading roles there are none (a coverage gap).
  const serviceApps = new Map<string, GroundTruthApp>();
  if (options.rolesReadable) {
    for (const app of truth.apps) if (app.signOnMode === "OPENID_CONNECT" && app.applicationType === "service") serviceApps.set(app.clientId ?? app.id, app);
    for (const type of BATON_OKTA_ROLE_TYPES) roles.set(type, roleLabel(type));
    for (const a of truth.roleAssignments) if (!roles.has(a.type)) roles.set(a.type, a.label);
    if (customTypes) {
      for (const r of truth.customRoles) customRoles.set(r.id, { label: r.label, description: r.description });
      for (const s of truth.resourceSets) resourceSets.set(s.id, { label: s.label, description: s.description });
      for (const b of truth.bindings) bindings.set(`${b.resourceSetId}:${b.roleId}`, resourceSets.get(b.resourceSetId)?.label ?? "");
    }
  }

  // Devices do not depend on roles being readable: every admin level may list them.
  const devices = new Map(options.syncDevices ? truth.devices.map((d) => [d.id, d]) : []);
  // Every active token, whoever its owner: baton-okta applies no user filter to tokens (§2.1), and a
  // secret hidden because its owner is filtered out would be a secret nobody reviews.
  const apiTokens = new Map(options.syncSecrets && options.apiTokensReadable ? truth.apiTokens.map((t) => [t.id, t]) : []);

  // Group rules are on by default and read with the groups; every status is listed.
  const groupRules = new Map(options.groupRulesReadable ? truth.groupRules.map((r) => [r.id, r]) : []);

  const entitlementIds = new Set<string>([
    ...[...devices.keys()].map((id) => `device:${id}:user`),
    ...[...groupRules.keys()].map((id) => `group-rule:${id}:assigns`),
    ...[...groups.keys()].map((id) => `group:${id}:member`),
    ...[...apps.keys()].map((id) => `app:${id}:access`),
    ...[...roles.keys()].map((type) => `role:${type}:assigned`),
    ...[...customRoles.keys()].map((id) => `custom-role:${id}:assigned`),
    ...[...resourceSets.keys()].map((id) => `resource-set:${id}:bindings`),
    ...[...bindings.keys()].map((id) => `resourceset-binding:${id}:member`),
  ]);

  // A grant names a principal the same sync returns; anything else would dangle in the engine.
  const grants = new Map<string, ExpectedGrant>();
  // A CLIENT holder is an OAuth client app, shown as a service-app principal by its client id.
  const principalKnown = (type: "USER" | "GROUP" | "CLIENT", id: string): boolean => (type === "USER" ? users.has(id) : type === "GROUP" ? groups.has(id) : serviceApps.has(id));
  const principalTypeId = { USER: "user", GROUP: "group", CLIENT: "service-app" } as const;
  const toPrincipal = (entitlementId: string, type: "USER" | "GROUP" | "CLIENT", id: string, shape: Partial<ExpectedGrant> = {}): void => {
    if (!principalKnown(type, id)) return;
    const expandsTo = type === "GROUP" ? [`group:${id}:member`] : undefined;
    grants.set(`${entitlementId}:${principalTypeId[type]}:${id}`, { expandsTo, ...shape });
  };
  // Issue 13 item 1: after the engine's expansion the app grants must be exactly Okta's app users.
  // Expanding a group's app grant over the members the sync holds gives exactly its group-derived app
  // users only when no DEPROVISIONED member is synced (they are never app users) and no assigned group
  // is left out; otherwise the connector writes each app user's grant in the expansion's own shape.
  const appExpansionExact = !options.syncDeprovisionedUsers && !options.skipAppGroups;
  const memberSources = (groupIds: readonly string[]) => Object.fromEntries(groupIds.map((g) => [`group:${g}:member`, true]));
  // A membership an ACTIVE rule keeps names that rule in its sources (not direct), when the
  // connector can read the rule's expression, beside the membership itself (direct: baton-sdk's
  // shallow expansion follows only grants whose sources name their own entitlement).
  const keepingRules = new Map<string, string[]>();
  for (const rule of groupRules.values()) {
    if (!rule.commonSubset) continue;
    for (const { groupId, userIds } of rule.managed) {
      for (const userId of userIds) keepingRules.set(`${groupId}:${userId}`, [...(keepingRules.get(`${groupId}:${userId}`) ?? []), rule.id]);
    }
  }
  for (const group of groups.values()) {
    for (const member of group.memberIds) {
      const rules = keepingRules.get(`${group.id}:${member}`);
      const sources = rules ? { [`group:${group.id}:member`]: true, ...Object.fromEntries(rules.map((id) => [`group-rule:${id}:assigns`, false])) } : undefined;
      toPrincipal(`group:${group.id}:member`, "USER", member, { sources });
    }
  }
  // A rule's `assigns` is held by the groups it fills, which expands to no one.
  for (const rule of groupRules.values()) {
    for (const groupId of rule.groupIds) toPrincipal(`group-rule:${rule.id}:assigns`, "GROUP", groupId, { expandsTo: undefined });
  }
  for (const app of apps.values()) {
    const access = `app:${app.id}:access`;
    for (const assignment of app.groups) {
      toPrincipal(access, "GROUP", assignment.groupId, appExpansionExact ? {} : { expandsTo: undefined });
    }
    for (const appUser of app.users) {
      if (appExpansionExact) {
        // Access through a group is the group's grant, expanded by the engine (issue 4 §5).
        if (appUser.scope === "USER") toPrincipal(access, "USER", appUser.userId);
      } else if (appUser.scope === "USER") {
        // Direct, and through the groups too: sources as the expansion stamps a direct grant it reaches.
        const sources = appUser.groupIds.length > 0 ? { [access]: true, ...memberSources(appUser.groupIds) } : undefined;
        toPrincipal(access, "USER", appUser.userId, { sources });
      } else {
        // Only through groups, named even when --skip-app-groups leaves them out of the sync.
        toPrincipal(access, "USER", appUser.userId, { sources: memberSources(appUser.groupIds), immutable: true });
      }
    }
  }
  for (const device of devices.values()) {
    for (const userId of device.userIds) toPrincipal(`device:${device.id}:user`, "USER", userId);
  }
  if (options.rolesReadable) {
    for (const a of truth.roleAssignments) toPrincipal(`role:${a.type}:assigned`, a.assigneeType, a.assigneeId);
    if (customTypes) {
      for (const b of truth.bindings) {
        grants.set(`resource-set:${b.resourceSetId}:bindings:custom-role:${b.roleId}`, { expandsTo: undefined });
        for (const m of b.members) {
          toPrincipal(`custom-role:${b.roleId}:assigned`, m.assigneeType, m.assigneeId);
          toPrincipal(`resourceset-binding:${b.resourceSetId}:${b.roleId}:member`, m.assigneeType, m.assigneeId);
        }
      }
    }
  }
  return { resourceTypeIds, users, groups, apps, roles, customRoles, resourceSets, bindings, devices, apiTokens, serviceApps, groupRules, entitlementIds, grants };
}
