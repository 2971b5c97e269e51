/**
 * The Okta JSON shapes the connector reads, as plain objects (the SDK's model classes drop unknown
 * fields and turn dates into Date objects; okta-api.md §6.4). Only the fields a connector uses are
 * named; everything else stays reachable through the index signature. Timestamps are ISO strings.
 */

/** One page of a listing and the cursor of the next, absent on the last page. */
export interface Page<T> {
  items: T[];
  /** Okta's opaque `after` for the next page; store it to resume. */
  after?: string;
}

/** Options every page function takes. */
export interface PageOptions {
  /** The `after` of the previous page; omit for the first. */
  after?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Page size; defaults to the endpoint's maximum (page-limits.ts). Tests use small pages. */
  limit?: number | undefined;
  /** Local epoch ms; no retry wait may end after it. */
  deadlineMs?: number | undefined;
}

/** Options of single calls (gets and writes). */
export interface CallOptions {
  signal?: AbortSignal | undefined;
  deadlineMs?: number | undefined;
}

export interface OktaLink {
  href: string;
  [key: string]: unknown;
}

export type OktaLinks = Record<string, OktaLink | OktaLink[] | undefined>;

export interface OktaUserProfile {
  login?: string;
  email?: string | null;
  secondEmail?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  displayName?: string | null;
  employeeNumber?: string | null;
  [key: string]: unknown;
}

/** `STAGED`, `PROVISIONED`, `ACTIVE`, `RECOVERY`, `PASSWORD_EXPIRED`, `LOCKED_OUT`, `SUSPENDED`, `DEPROVISIONED`. */
export type OktaUserStatus = string;

export interface OktaUser {
  id: string;
  status: OktaUserStatus;
  created?: string | null;
  activated?: string | null;
  statusChanged?: string | null;
  lastLogin?: string | null;
  lastUpdated?: string | null;
  passwordChanged?: string | null;
  transitioningToStatus?: string | null;
  type?: { id: string };
  profile: OktaUserProfile;
  _links?: OktaLinks;
  [key: string]: unknown;
}

export interface OktaGroupStats {
  usersCount?: number;
  appsCount?: number;
  [key: string]: unknown;
}

/** `type` is `OKTA_GROUP`, `APP_GROUP` or `BUILT_IN` (the Everyone group). */
export interface OktaGroup {
  id: string;
  type: string;
  created?: string | null;
  lastUpdated?: string | null;
  lastMembershipUpdated?: string | null;
  objectClass?: string[];
  profile: { name: string; description?: string | null; [key: string]: unknown };
  /** The app an APP_GROUP was imported from. */
  source?: { id: string };
  _embedded?: { stats?: OktaGroupStats; [key: string]: unknown };
  _links?: OktaLinks;
  [key: string]: unknown;
}

/** `status` is `ACTIVE`, `INACTIVE` or `DELETED`; `features` lists provisioning features. */
export interface OktaApp {
  id: string;
  name: string;
  label: string;
  status: string;
  signOnMode?: string;
  features?: string[];
  created?: string | null;
  lastUpdated?: string | null;
  _links?: OktaLinks;
  [key: string]: unknown;
}

/** An app assignment; `id` is the user's id. `scope` is `USER` (direct) or `GROUP` (through a group). */
export interface OktaAppUser {
  id: string;
  scope: string;
  status?: string;
  syncState?: string;
  externalId?: string | null;
  credentials?: { userName?: string; [key: string]: unknown };
  profile?: Record<string, unknown>;
  created?: string | null;
  lastUpdated?: string | null;
  statusChanged?: string | null;
  _embedded?: { user?: OktaUser; [key: string]: unknown };
  _links?: OktaLinks;
  [key: string]: unknown;
}

/** A group's assignment to an app; `id` is the group's id. */
export interface OktaAppGroup {
  id: string;
  priority?: number;
  profile?: Record<string, unknown>;
  lastUpdated?: string | null;
  _embedded?: Record<string, unknown>;
  _links?: OktaLinks;
  [key: string]: unknown;
}

/**
 * A role assignment from `/users/{id}/roles` or `/groups/{id}/roles`. `id` is the assignment id
 * (`ra…`, `irb…` or opaque), not the role. Custom roles have `type: "CUSTOM"`, `role` (`cr0…`) and
 * `resource-set` (`iam…`). Treat `type` as an open string (MOBILE_ADMIN, IAM-based standard roles).
 */
export interface OktaRoleAssignment {
  id: string;
  type: string;
  label?: string;
  status?: string;
  assignmentType?: string;
  role?: string;
  "resource-set"?: string;
  created?: string | null;
  lastUpdated?: string | null;
  _links?: OktaLinks;
  [key: string]: unknown;
}

/** An entry of `/api/v1/iam/assignees/users`: a user holding at least one admin role. */
export interface OktaRoleAssignee {
  id: string;
  orn?: string;
  _links?: OktaLinks;
  [key: string]: unknown;
}

/** A custom role from `/api/v1/iam/roles` (`cr0…`). */
export interface OktaCustomRole {
  id: string;
  label: string;
  description?: string | null;
  created?: string | null;
  lastUpdated?: string | null;
  _links?: OktaLinks;
  [key: string]: unknown;
}

/** A resource set (`iam…`). */
export interface OktaResourceSet {
  id: string;
  label: string;
  description?: string | null;
  created?: string | null;
  lastUpdated?: string | null;
  _links?: OktaLinks;
  [key: string]: unknown;
}

/** A resource in a resource set; `orn` or `_links.self.href` names what it covers. */
export interface OktaResourceSetResource {
  id: string;
  orn?: string;
  created?: string | null;
  lastUpdated?: string | null;
  _links?: OktaLinks;
  [key: string]: unknown;
}

/** A binding of a resource set: `id` is the bound custom role's id (`cr0…`). */
export interface OktaBinding {
  id: string;
  _links?: OktaLinks;
  [key: string]: unknown;
}

/** A member of a binding (`irb…`); `_links.self.href` is the user's or group's URL. */
export interface OktaBindingMember {
  id: string;
  created?: string | null;
  lastUpdated?: string | null;
  _links?: OktaLinks;
  [key: string]: unknown;
}

export interface OktaOrg {
  id: string;
  companyName?: string;
  subdomain?: string;
  status?: string;
  website?: string | null;
  [key: string]: unknown;
}
