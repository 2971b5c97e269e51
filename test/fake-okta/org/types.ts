/**
 * The records the simulated org is made of. Timestamps are epoch milliseconds and rendered as ISO-8601
 * strings; user and group references between records are ids, except group members, which are user
 * indexes in a {@link MemberSet} to keep a million memberships compact.
 */
import type { MemberSet } from "../core/member-set.js";

/** Okta's user statuses (okta-api.md §1.1). */
export const USER_STATUSES = [
  "STAGED", "PROVISIONED", "ACTIVE", "RECOVERY", "PASSWORD_EXPIRED", "LOCKED_OUT", "SUSPENDED", "DEPROVISIONED",
] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** A user's profile: Okta's base attributes plus custom ones. `email` is absent for users without one. */
export type UserProfile = Record<string, unknown> & { login: string };

export interface UserRecord {
  readonly index: number;
  readonly id: string;
  status: UserStatus;
  created: number;
  activated: number | null;
  statusChanged: number | null;
  lastLogin: number | null;
  lastUpdated: number;
  passwordChanged: number | null;
  typeId: string;
  profile: UserProfile;
  hasPassword: boolean;
  provider: { type: string; name: string };
  deleted: boolean;
  /**
   * What `search` still sees while Okta's search index lags behind a write (okta-api.md §1.1, SDK issue
   * #422): the record as it was before the latest burst of changes, or null for a user created since.
   */
  searchPast?: { changedAt: number; before: UserRecord | null };
}

export type GroupType = "OKTA_GROUP" | "APP_GROUP" | "BUILT_IN";

export interface GroupRecord {
  readonly index: number;
  readonly id: string;
  readonly type: GroupType;
  profile: { name: string; description?: string } & Record<string, unknown>;
  objectClass: string[];
  /** The app an APP_GROUP was imported from. */
  sourceAppId: string | null;
  created: number;
  lastUpdated: number;
  lastMembershipUpdated: number;
  /** Members as user indexes; unused for the BUILT_IN Everyone group, whose members are all users. */
  members: MemberSet;
  deleted: boolean;
}

export type AppStatus = "ACTIVE" | "INACTIVE";

/** A user's direct (scope USER) assignment to an app. */
export interface DirectAssignment {
  created: number;
  lastUpdated: number;
  userName: string | null;
  profile: Record<string, unknown>;
}

/** A group's assignment to an app; its members become app users with scope GROUP. */
export interface GroupAssignment {
  groupId: string;
  priority: number;
  created: number;
  lastUpdated: number;
  profile: Record<string, unknown>;
}

export interface AppRecord {
  readonly index: number;
  readonly id: string;
  name: string;
  label: string;
  status: AppStatus;
  signOnMode: string;
  features: string[];
  created: number;
  lastUpdated: number;
  url: string;
  /** The OAuth client id of OIDC apps (Okta uses the app id). */
  clientId: string | null;
  /**
   * An OIDC app's `settings.oauthClient.application_type`: `service` for an API Services app (client
   * credentials; it may hold admin roles), `web` for a sign-in app; null for other sign-on modes.
   */
  applicationType: "web" | "service" | null;
  /** Direct assignments by user index. */
  directUsers: Map<number, DirectAssignment>;
  /** Group assignments by group id, in assignment order. */
  groupAssignments: Map<string, GroupAssignment>;
}

/** Who holds a role: a user, a group, or an OAuth client app (`/oauth2/v1/clients/{clientId}/roles`). */
export type PrincipalType = "USER" | "GROUP" | "CLIENT";

/** Standard admin role types (the spec's RoleType enum without CUSTOM). */
export const STANDARD_ROLE_TYPES = [
  "SUPER_ADMIN", "ORG_ADMIN", "APP_ADMIN", "USER_ADMIN", "HELP_DESK_ADMIN", "READ_ONLY_ADMIN",
  "API_ACCESS_MANAGEMENT_ADMIN", "REPORT_ADMIN", "GROUP_MEMBERSHIP_ADMIN", "WORKFLOWS_ADMIN",
  "ACCESS_CERTIFICATIONS_ADMIN", "ACCESS_REQUESTS_ADMIN",
] as const;
export type StandardRoleType = (typeof STANDARD_ROLE_TYPES)[number];

/** Okta's labels for the standard roles (USER_ADMIN is shown as "Group Administrator"). */
export const STANDARD_ROLE_LABELS: Record<StandardRoleType, string> = {
  SUPER_ADMIN: "Super Administrator",
  ORG_ADMIN: "Organizational Administrator",
  APP_ADMIN: "Application Administrator",
  USER_ADMIN: "Group Administrator",
  HELP_DESK_ADMIN: "Help Desk Administrator",
  READ_ONLY_ADMIN: "Read-only Administrator",
  API_ACCESS_MANAGEMENT_ADMIN: "API Access Management Administrator",
  REPORT_ADMIN: "Report Administrator",
  GROUP_MEMBERSHIP_ADMIN: "Group Membership Administrator",
  WORKFLOWS_ADMIN: "Workflows Administrator",
  ACCESS_CERTIFICATIONS_ADMIN: "Access Certifications Administrator",
  ACCESS_REQUESTS_ADMIN: "Access Requests Administrator",
};

/** A standard role assigned to a user, a group or a client app (by its client id). */
export interface RoleAssignmentRecord {
  id: string;
  type: StandardRoleType;
  principalType: PrincipalType;
  principalId: string;
  created: number;
  lastUpdated: number;
}

export interface CustomRoleRecord {
  id: string;
  label: string;
  description: string;
  permissions: string[];
  created: number;
  lastUpdated: number;
}

/** A resource in a resource set; `path` is the API path of the resource (`/api/v1/groups/00g…`). */
export interface ResourceRecord {
  id: string;
  orn: string;
  path: string;
  created: number;
  lastUpdated: number;
}

/** A member of a binding: a custom role given to a user, group or client app over a resource set. */
export interface BindingMemberRecord {
  id: string;
  principalType: PrincipalType;
  principalId: string;
  created: number;
  lastUpdated: number;
}

export interface BindingRecord {
  roleId: string;
  members: BindingMemberRecord[];
}

export interface ResourceSetRecord {
  id: string;
  label: string;
  description: string;
  created: number;
  lastUpdated: number;
  resources: ResourceRecord[];
  /** Bindings by custom role id, in creation order. */
  bindings: Map<string, BindingRecord>;
}

/** Okta's device platforms (DevicePlatform) and statuses (DeviceStatus). */
export type DevicePlatform = "WINDOWS" | "MACOS" | "IOS" | "ANDROID";
export type DeviceStatus = "CREATED" | "ACTIVE" | "SUSPENDED" | "DEACTIVATED";

/** A device registered with Okta (Okta Verify), and the users who enrolled it. */
export interface DeviceRecord {
  readonly id: string;
  status: DeviceStatus;
  created: number;
  lastUpdated: number;
  profile: {
    displayName: string;
    platform: DevicePlatform;
    manufacturer: string;
    model: string;
    osVersion: string;
    serialNumber: string;
    udid: string;
    registered: boolean;
    managed: boolean;
    diskEncryptionType: "ALL_INTERNAL_VOLUMES" | "USER" | "NONE";
  };
  /** User ids in enrolment order; deleted users are skipped when served. */
  users: { userId: string; created: number; managementStatus: "MANAGED" | "NOT_MANAGED" }[];
}

/** Okta's factor types (UserFactorType) the simulator enrols; `signed_nonce` (FastPass) is not listed by the API. */
export type FactorType = "push" | "sms" | "call" | "token:software:totp" | "token:hardware" | "webauthn" | "email" | "question";
/** Okta's factor statuses (UserFactorStatus) the simulator uses. */
export type FactorStatus = "ACTIVE" | "PENDING_ACTIVATION" | "NOT_SETUP" | "INACTIVE";

/** One enrolled MFA factor of a user (`GET /api/v1/users/{id}/factors`). */
export interface FactorRecord {
  readonly id: string;
  factorType: FactorType;
  /** OKTA, GOOGLE, FIDO, YUBICO… (UserFactorProvider); vendorName repeats it. */
  provider: string;
  status: FactorStatus;
  created: number;
  lastUpdated: number;
  /** The type's profile (phone number, device name, authenticator name, question key…). */
  profile: Record<string, unknown>;
}

/** An API token's network condition (ApiToken.network): anywhere, or only from the org's network zones. */
export type ApiTokenNetwork = { connection: "ANYWHERE" } | { connection: "ZONE"; include: string[] };

/**
 * An SSWS API token's metadata, as `GET /api/v1/api-tokens` lists it. The token value is not kept: Okta
 * shows it once, at creation, and never serves it again.
 */
export interface ApiTokenRecord {
  readonly id: string;
  name: string;
  /** The admin who created it; the token acts as that user. */
  userId: string;
  /** "Okta API" for a token made in the Admin Console; agents' tokens name the agent. */
  clientName: string;
  created: number;
  /** Okta renews the token (and bumps lastUpdated) on use, so this is about the last use. */
  lastUpdated: number;
  /** The idle window (ISO 8601 duration, `P30D` by default); expiresAt = lastUpdated + tokenWindow. */
  tokenWindow: string;
  expiresAt: number;
  network: ApiTokenNetwork;
}

/** Okta's group rule statuses (GroupRuleStatus). */
export type GroupRuleStatus = "ACTIVE" | "INACTIVE" | "INVALID";

/**
 * One test of a user's profile attribute, the simulator's own form of what a rule's expression says:
 * `equals` (`user.a == "v"`), `startsWith` (`String.startsWith(user.a, "v")`) and `arrayContains`
 * (`Arrays.contains(user.a, "v")`, deliberately outside the subset a connector is expected to read).
 */
export interface RuleTest {
  attribute: string;
  test: "equals" | "startsWith" | "arrayContains";
  value: string;
}

/** A group rule: users whose profile passes every test (and who are not excluded) are added to `groupIds`. */
export interface GroupRuleRecord {
  readonly id: string;
  name: string;
  status: GroupRuleStatus;
  created: number;
  lastUpdated: number;
  /** The Okta EL text served as `conditions.expression.value`, written from `tests`. */
  expression: string;
  /** What the expression means, all of them must hold; the simulator decides membership from these. */
  tests: RuleTest[];
  groupIds: string[];
  /** `conditions.people.users.exclude`: users the rule leaves alone (Okta adds a user removed by hand). */
  excludedUserIds: string[];
}

/** Org-wide facts (`GET /api/v1/org`). */
export interface OrgInfo {
  id: string;
  companyName: string;
  subdomain: string;
  /** The email domain of generated users. */
  domain: string;
  website: string;
  created: number;
  userTypeId: string;
  seed: number;
}

/** Everything the generator produces; `createOrg` wraps it with queries and mutations. */
export interface OrgData {
  info: OrgInfo;
  users: UserRecord[];
  groups: GroupRecord[];
  apps: AppRecord[];
  roleAssignments: RoleAssignmentRecord[];
  customRoles: CustomRoleRecord[];
  resourceSets: ResourceSetRecord[];
  devices: DeviceRecord[];
  /** By generated user index: 1 when the user may have MFA factors (derived on demand, generate/factors.ts). */
  factorEligible: Uint8Array;
  apiTokens: ApiTokenRecord[];
  groupRules: GroupRuleRecord[];
}
