/**
 * The ground truth: the whole org as a connector should see it, for tests to compare against
 * (`GET /__sim/ground-truth`, `FakeOkta.groundTruth()`). The format is documented in README.md. Deleted
 * users and groups are left out; app users follow the API's rules (DEPROVISIONED users are not app users).
 */
import type { Org } from "./org/org.js";
import { STANDARD_ROLE_LABELS, type AppRecord, type GroupRecord, type UserRecord } from "./org/types.js";
import { iso, isoOrNull } from "./render/json-shapes.js";

export const GROUND_TRUTH_FORMAT = "fake-okta-ground-truth/1";

export interface GroundTruth {
  format: typeof GROUND_TRUTH_FORMAT;
  org: { id: string; companyName: string; subdomain: string; domain: string; seed: number };
  users: GroundTruthUser[];
  groups: GroundTruthGroup[];
  apps: GroundTruthApp[];
  /** Standard admin roles, each assigned to one user or group. */
  roleAssignments: GroundTruthRoleAssignment[];
  customRoles: GroundTruthCustomRole[];
  resourceSets: GroundTruthResourceSet[];
  /** Custom role × resource set, with the users and groups holding it. */
  bindings: GroundTruthBinding[];
  /** Devices with their live users, in `/api/v1/devices` order. */
  devices: GroundTruthDevice[];
  /** API token metadata (never a token value), in `/api/v1/api-tokens` order: active owners only. */
  apiTokens: GroundTruthApiToken[];
  /** Group rules in `/api/v1/groups/rules` order, with the memberships each one manages. */
  groupRules: GroundTruthGroupRule[];
}

export interface GroundTruthGroupRule {
  id: string;
  name: string;
  status: "ACTIVE" | "INACTIVE" | "INVALID";
  /** `conditions.expression.value`, the Okta EL text. */
  expression: string;
  /**
   * Whether the expression stays within the common EL subset (profile comparisons, String functions);
   * false for the rule written with `Arrays.contains`, which a connector may be unable to read.
   */
  commonSubset: boolean;
  /** Target groups that still exist. */
  groupIds: string[];
  excludedUserIds: string[];
  /**
   * Per target group, the members the rule keeps there (ACTIVE, not excluded, the profile passes the
   * expression, a member now), in `/groups/{id}/users` order. Empty for rules that are not ACTIVE.
   */
  managed: { groupId: string; userIds: string[] }[];
}

export interface GroundTruthApiToken {
  id: string;
  name: string;
  /** The owner, an ACTIVE admin: the token acts as this user. */
  userId: string;
  clientName: string;
  created: string;
  lastUpdated: string;
  expiresAt: string;
  tokenWindow: string;
  network: { connection: string; include?: string[] };
}

export interface GroundTruthDevice {
  id: string;
  status: string;
  displayName: string;
  platform: string;
  manufacturer: string;
  model: string;
  osVersion: string;
  serialNumber: string;
  udid: string;
  managed: boolean;
  diskEncryptionType: string;
  /** Users of the device in the order Okta embeds them; deleted users are gone. */
  userIds: string[];
}

export interface GroundTruthUser {
  id: string;
  status: string;
  login: string;
  /** null for users without an email. */
  email: string | null;
  secondEmail: string | null;
  /** The full Okta profile, standard and custom attributes, exactly as the API serves it. */
  profile: Record<string, unknown>;
  created: string;
  activated: string | null;
  statusChanged: string | null;
  lastLogin: string | null;
  lastUpdated: string;
  /** When the password last changed; null for users without one (federated, never activated). */
  passwordChanged: string | null;
  /** Enrolled MFA factors as `/api/v1/users/{id}/factors` lists them (every status). */
  factors: GroundTruthFactor[];
}

export interface GroundTruthFactor {
  id: string;
  factorType: string;
  provider: string;
  status: string;
}

export interface GroundTruthGroup {
  id: string;
  type: "OKTA_GROUP" | "APP_GROUP" | "BUILT_IN";
  name: string;
  description: string | null;
  /** The app an APP_GROUP was imported from. */
  sourceAppId: string | null;
  /** Member user ids in the order `/groups/{id}/users` lists them. */
  memberIds: string[];
}

export interface GroundTruthApp {
  id: string;
  label: string;
  name: string;
  status: string;
  signOnMode: string;
  features: string[];
  /**
   * App users in the order `/apps/{id}/users` lists them. `scope` is USER for a direct assignment (even
   * when a group also grants access) and GROUP otherwise; `groupIds` are the assigned groups the user is a
   * member of, by priority.
   */
  users: { userId: string; scope: "USER" | "GROUP"; groupIds: string[] }[];
  /** Group assignments by priority. */
  groups: { groupId: string; priority: number }[];
  /** OIDC apps' client id (Okta uses the app id); null for other sign-on modes. */
  clientId: string | null;
  /** OIDC apps' `settings.oauthClient.application_type`: `service` for API Services apps, which may hold admin roles. */
  applicationType: "web" | "service" | null;
}

export interface GroundTruthRoleAssignment {
  id: string;
  type: string;
  label: string;
  /** CLIENT: an OAuth client app, `assigneeId` its client id (see the app's `clientId`). */
  assigneeType: "USER" | "GROUP" | "CLIENT";
  assigneeId: string;
}

export interface GroundTruthCustomRole {
  id: string;
  label: string;
  description: string;
  permissions: string[];
}

export interface GroundTruthResourceSet {
  id: string;
  label: string;
  description: string;
  /** `path` is the resource's API path (`/api/v1/groups/00g…`); prefix the org URL for the `href`. */
  resources: { id: string; orn: string; path: string }[];
}

export interface GroundTruthBinding {
  resourceSetId: string;
  roleId: string;
  /** `id` is the binding member id (`irb…`), also the CUSTOM role assignment id. */
  members: { id: string; assigneeType: "USER" | "GROUP" | "CLIENT"; assigneeId: string }[];
}

/** Builds the ground truth in memory. */
export function buildGroundTruth(org: Org): GroundTruth {
  const sections = sectionItems(org);
  return {
    format: GROUND_TRUTH_FORMAT,
    org: orgSection(org),
    users: [...sections.users()],
    groups: [...sections.groups()],
    apps: [...sections.apps()],
    roleAssignments: [...sections.roleAssignments()],
    customRoles: [...sections.customRoles()],
    resourceSets: [...sections.resourceSets()],
    bindings: [...sections.bindings()],
    devices: [...sections.devices()],
    apiTokens: [...sections.apiTokens()],
    groupRules: [...sections.groupRules()],
  };
}

/**
 * The same document as {@link buildGroundTruth}, as JSON text in chunks, so 100,000 users stream without
 * the whole string in memory.
 */
export function* groundTruthChunks(org: Org): Generator<string> {
  const sections = sectionItems(org);
  yield `{"format":${JSON.stringify(GROUND_TRUTH_FORMAT)},"org":${JSON.stringify(orgSection(org))}`;
  for (const [key, items] of Object.entries(sections)) {
    yield `,${JSON.stringify(key)}:[`;
    let parts: string[] = [];
    let size = 0;
    let first = true;
    for (const item of items()) {
      const text = JSON.stringify(item);
      parts.push(first ? text : `,${text}`);
      first = false;
      size += text.length;
      if (size > 256 * 1024) {
        yield parts.join("");
        parts = [];
        size = 0;
      }
    }
    parts.push("]");
    yield parts.join("");
  }
  yield "}\n";
}

function orgSection(org: Org): GroundTruth["org"] {
  const { id, companyName, subdomain, domain, seed } = org.info;
  return { id, companyName, subdomain, domain, seed };
}

function sectionItems(org: Org) {
  const users = org.users.all();
  const groupName = (id: string): GroupRecord | undefined => org.groups.get(id);
  return {
    *users(): Generator<GroundTruthUser> {
      for (const user of users) if (!user.deleted) yield groundTruthUser(org, user);
    },
    *groups(): Generator<GroundTruthGroup> {
      for (const group of org.groups.all()) {
        if (group.deleted) continue;
        const memberIds: string[] = [];
        for (const index of org.groups.membersAfter(group, -1)) memberIds.push((users[index] as UserRecord).id);
        const description = group.profile.description;
        yield { id: group.id, type: group.type, name: group.profile.name, description: typeof description === "string" ? description : null, sourceAppId: group.sourceAppId, memberIds };
      }
    },
    *apps(): Generator<GroundTruthApp> {
      for (const app of org.apps.all()) yield groundTruthApp(org, app, users, groupName);
    },
    *roleAssignments(): Generator<GroundTruthRoleAssignment> {
      for (const a of org.roles.standardAssignments()) {
        yield { id: a.id, type: a.type, label: STANDARD_ROLE_LABELS[a.type], assigneeType: a.principalType, assigneeId: a.principalId };
      }
    },
    *customRoles(): Generator<GroundTruthCustomRole> {
      for (const r of org.roles.customRoles()) yield { id: r.id, label: r.label, description: r.description, permissions: [...r.permissions] };
    },
    *resourceSets(): Generator<GroundTruthResourceSet> {
      for (const s of org.roles.resourceSets()) {
        yield { id: s.id, label: s.label, description: s.description, resources: s.resources.map((r) => ({ id: r.id, orn: r.orn, path: r.path })) };
      }
    },
    *bindings(): Generator<GroundTruthBinding> {
      for (const s of org.roles.resourceSets()) {
        for (const b of s.bindings.values()) {
          yield { resourceSetId: s.id, roleId: b.roleId, members: b.members.map((m) => ({ id: m.id, assigneeType: m.principalType, assigneeId: m.principalId })) };
        }
      }
    },
    *devices(): Generator<GroundTruthDevice> {
      for (const d of org.devices.all()) {
        const { displayName, platform, manufacturer, model, osVersion, serialNumber, udid, managed, diskEncryptionType } = d.profile;
        const userIds = org.devices.usersOf(d).map((u) => u.user.id);
        yield { id: d.id, status: d.status, displayName, platform, manufacturer, model, osVersion, serialNumber, udid, managed, diskEncryptionType, userIds };
      }
    },
    *apiTokens(): Generator<GroundTruthApiToken> {
      for (const t of org.apiTokens.active()) {
        yield {
          id: t.id, name: t.name, userId: t.userId, clientName: t.clientName, created: iso(t.created), lastUpdated: iso(t.lastUpdated),
          expiresAt: iso(t.expiresAt), tokenWindow: t.tokenWindow, network: structuredClone(t.network),
        };
      }
    },
    *groupRules(): Generator<GroundTruthGroupRule> {
      for (const rule of org.groupRules.all()) {
        const groups = rule.groupIds.map((id) => org.groups.get(id)).filter((g): g is GroupRecord => g !== undefined);
        const managed = groups.map((group) => {
          const userIds: string[] = [];
          for (const index of org.groups.membersAfter(group, -1)) {
            const user = users[index] as UserRecord;
            if (!user.deleted && org.groupRules.manages(rule, group, user)) userIds.push(user.id);
          }
          return { groupId: group.id, userIds };
        });
        yield {
          id: rule.id,
          name: rule.name,
          status: rule.status,
          expression: rule.expression,
          commonSubset: rule.tests.every((t) => t.test !== "arrayContains"),
          groupIds: groups.map((g) => g.id),
          excludedUserIds: [...rule.excludedUserIds],
          managed,
        };
      }
    },
  };
}

function groundTruthUser(org: Org, user: UserRecord): GroundTruthUser {
  const email = user.profile["email"];
  const secondEmail = user.profile["secondEmail"];
  return {
    id: user.id,
    status: user.status,
    login: user.profile.login,
    email: typeof email === "string" ? email : null,
    secondEmail: typeof secondEmail === "string" ? secondEmail : null,
    profile: user.profile,
    created: iso(user.created),
    activated: isoOrNull(user.activated),
    statusChanged: isoOrNull(user.statusChanged),
    lastLogin: isoOrNull(user.lastLogin),
    lastUpdated: iso(user.lastUpdated),
    passwordChanged: isoOrNull(user.passwordChanged),
    factors: org.factors.of(user.id).map((f) => ({ id: f.id, factorType: f.factorType, provider: f.provider, status: f.status })),
  };
}

function groundTruthApp(org: Org, app: AppRecord, users: readonly UserRecord[], liveGroup: (id: string) => GroupRecord | undefined): GroundTruthApp {
  const appUsers: GroundTruthApp["users"] = [];
  for (const index of org.apps.userIndexes(app)) {
    const view = org.apps.appUser(app, users[index] as UserRecord);
    if (view) appUsers.push({ userId: view.user.id, scope: view.scope, groupIds: view.groups.map((g) => g.groupId) });
  }
  const groups = [...app.groupAssignments.values()]
    .filter((a) => liveGroup(a.groupId) !== undefined)
    .sort((a, b) => a.priority - b.priority)
    .map((a) => ({ groupId: a.groupId, priority: a.priority }));
  return { id: app.id, label: app.label, name: app.name, status: app.status, signOnMode: app.signOnMode, features: [...app.features], users: appUsers, groups,
    clientId: app.clientId, applicationType: app.applicationType };
}
