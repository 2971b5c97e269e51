import type { Prng } from "../core/prng.js";
import type {
  AppRecord, BindingMemberRecord, CustomRoleRecord, GroupRecord, PrincipalType, ResourceRecord, ResourceSetRecord,
  RoleAssignmentRecord, StandardRoleType, UserRecord,
} from "../org/types.js";
import type { GenerateContext } from "./users.js";

const DAY_MS = 86_400_000;
const USER_ROLE_CYCLE: StandardRoleType[] = [
  "SUPER_ADMIN", "ORG_ADMIN", "APP_ADMIN", "USER_ADMIN", "HELP_DESK_ADMIN", "READ_ONLY_ADMIN",
  "REPORT_ADMIN", "GROUP_MEMBERSHIP_ADMIN", "API_ACCESS_MANAGEMENT_ADMIN", "SUPER_ADMIN",
];
const GROUP_ROLES: StandardRoleType[] = ["HELP_DESK_ADMIN", "READ_ONLY_ADMIN", "USER_ADMIN", "REPORT_ADMIN"];
const CUSTOM_ROLES = [
  { label: "Help Desk Tier 2", description: "Unlocks accounts and resets passwords", permissions: ["okta.users.read", "okta.users.lifecycle.unlock", "okta.users.credentials.resetPassword"] },
  { label: "App Assignment Manager", description: "Assigns people to apps", permissions: ["okta.apps.read", "okta.apps.assignment.manage"] },
  { label: "Group Auditor", description: "Reads groups and their members", permissions: ["okta.groups.read", "okta.users.read"] },
  { label: "Membership Manager", description: "Adds and removes group members", permissions: ["okta.groups.read", "okta.groups.members.manage"] },
  { label: "Profile Editor", description: "Edits user profiles", permissions: ["okta.users.read", "okta.users.userprofile.manage"] },
];
const RESOURCE_SET_NAMES = [
  { label: "Engineering Groups", description: "Groups owned by engineering", kind: "groups" },
  { label: "Sales Apps", description: "Apps the sales team uses", kind: "apps" },
  { label: "All Users", description: "Every user in the org", kind: "users" },
  { label: "Regional Groups", description: "Groups per region", kind: "groups" },
] as const;

/** Admin-role data: standard assignments, custom roles, resource sets with resources and bindings. */
export interface GeneratedRoles {
  roleAssignments: RoleAssignmentRecord[];
  customRoles: CustomRoleRecord[];
  resourceSets: ResourceSetRecord[];
}

/**
 * Gives standard roles to ACTIVE users (one of them holds two) and to a few OKTA_GROUPs (an empty one
 * included when there is one), creates `customRoles` custom roles and `resourceSets` resource sets, and
 * binds one or two custom roles to each set with users and groups as members.
 */
export function generateRoles(ctx: GenerateContext, users: readonly UserRecord[], groups: readonly GroupRecord[], apps: readonly AppRecord[], counts: { customRoles: number; resourceSets: number }): GeneratedRoles {
  const { prng, info } = ctx;
  const stamp = (): number => info.created + prng.int(Math.max(1, ctx.now - info.created));
  const roleAssignments: RoleAssignmentRecord[] = [];
  const active = users.filter((u) => u.status === "ACTIVE");
  const adminCount = Math.min(active.length, Math.max(USER_ROLE_CYCLE.length, Math.round(users.length / 2000)));
  const admins = Array.from(prng.sample(active.length, adminCount), (i) => active[i] as UserRecord);
  const assign = (type: StandardRoleType, principalType: PrincipalType, principalId: string): void => {
    const created = stamp();
    roleAssignments.push({ id: ctx.ids.mint("ra1"), type, principalType, principalId, created, lastUpdated: created });
  };
  admins.forEach((user, k) => assign(USER_ROLE_CYCLE[k % USER_ROLE_CYCLE.length] as StandardRoleType, "USER", user.id));
  if (admins.length > 2) assign("REPORT_ADMIN", "USER", (admins[2] as UserRecord).id);

  const oktaGroups = groups.filter((g) => g.type === "OKTA_GROUP");
  const small = oktaGroups.filter((g) => g.members.size > 0 && g.members.size <= Math.max(10, users.length * 0.05));
  const empty = oktaGroups.find((g) => g.members.size === 0);
  const roleGroups = [...small.slice(0, GROUP_ROLES.length - (empty ? 1 : 0)), ...(empty ? [empty] : [])];
  roleGroups.forEach((group, k) => assign(GROUP_ROLES[k] as StandardRoleType, "GROUP", group.id));

  const customRoles: CustomRoleRecord[] = [];
  for (let k = 0; k < counts.customRoles; k++) {
    const template = CUSTOM_ROLES[k % CUSTOM_ROLES.length] as (typeof CUSTOM_ROLES)[number];
    const created = stamp();
    const round = Math.floor(k / CUSTOM_ROLES.length);
    customRoles.push({
      id: ctx.ids.mint("cr0"),
      label: round === 0 ? template.label : `${template.label} ${round + 1}`,
      description: template.description,
      permissions: [...template.permissions],
      created,
      lastUpdated: created + prng.int(DAY_MS * 90),
    });
  }

  const resourceSets: ResourceSetRecord[] = [];
  for (let k = 0; k < counts.resourceSets; k++) {
    const template = RESOURCE_SET_NAMES[k % RESOURCE_SET_NAMES.length] as (typeof RESOURCE_SET_NAMES)[number];
    const round = Math.floor(k / RESOURCE_SET_NAMES.length);
    const created = stamp();
    const set: ResourceSetRecord = {
      id: ctx.ids.mint("iam"),
      label: round === 0 ? template.label : `${template.label} ${round + 1}`,
      description: template.description,
      created,
      lastUpdated: created,
      resources: resourcesFor(ctx, template.kind, oktaGroups, apps, created),
      bindings: new Map(),
    };
    const roleCount = Math.min(customRoles.length, prng.range(1, 2));
    for (const roleIndex of prng.sample(customRoles.length, roleCount)) {
      const role = customRoles[roleIndex] as CustomRoleRecord;
      set.bindings.set(role.id, { roleId: role.id, members: bindingMembers(ctx, prng, admins, oktaGroups, k) });
    }
    resourceSets.push(set);
  }
  return { roleAssignments, customRoles, resourceSets };
}

function resourcesFor(ctx: GenerateContext, kind: "groups" | "apps" | "users", groups: readonly GroupRecord[], apps: readonly AppRecord[], created: number): ResourceRecord[] {
  const orgId = ctx.info.id;
  const resource = (orn: string, path: string): ResourceRecord => ({ id: ctx.ids.mint("ire"), orn, path, created, lastUpdated: created });
  if (kind === "users") return [resource(`orn:okta:directory:${orgId}:users`, "/api/v1/users")];
  if (kind === "apps") {
    return Array.from(ctx.prng.sample(apps.length, Math.min(apps.length, 3)), (i) => apps[i] as AppRecord)
      .map((app) => resource(`orn:okta:idp:${orgId}:apps:${app.name}:${app.id}`, `/api/v1/apps/${app.id}`));
  }
  return Array.from(ctx.prng.sample(groups.length, Math.min(groups.length, 4)), (i) => groups[i] as GroupRecord)
    .map((group) => resource(`orn:okta:directory:${orgId}:groups:${group.id}`, `/api/v1/groups/${group.id}`));
}

function bindingMembers(ctx: GenerateContext, prng: Prng, admins: readonly UserRecord[], groups: readonly GroupRecord[], setIndex: number): BindingMemberRecord[] {
  const members: BindingMemberRecord[] = [];
  const seen = new Set<string>();
  const add = (principalType: PrincipalType, principalId: string): void => {
    if (seen.has(principalId)) return;
    seen.add(principalId);
    const created = ctx.info.created + prng.int(Math.max(1, ctx.now - ctx.info.created));
    members.push({ id: ctx.ids.mint("irb"), principalType, principalId, created, lastUpdated: created });
  };
  // The first set always binds a user and a group, so both member kinds exist in every org with roles.
  const count = prng.range(1, 4);
  for (let k = 0; k < count; k++) {
    const wantGroup = (setIndex === 0 && k === 1) || prng.chance(0.35);
    if (wantGroup && groups.length > 0) add("GROUP", prng.pick(groups).id);
    else if (admins.length > 0) add("USER", prng.pick(admins).id);
  }
  if (setIndex === 0 && groups.length > 0 && !members.some((m) => m.principalType === "GROUP")) add("GROUP", prng.pick(groups).id);
  if (members.length === 0 && admins.length > 0) add("USER", (admins[0] as UserRecord).id);
  return members;
}
