/**
 * What the credential may do, found with a handful of cheap calls (at most five), none of which
 * changes anything.
 *
 * - listUsers: `GET /api/v1/users?limit=1`. 403 E0000006 means the credential's admin role cannot.
 * - No admin role at all: an OAuth service app without an admin role is not refused; Okta answers
 *   `200 []` (okta-api.md §4, baton-okta §7). Every Okta org has at least one user (its first super
 *   admin) and the BUILT_IN Everyone group, so when `/users?limit=1` is empty we ask
 *   `/groups?limit=1`; both empty means the credential sees nothing, and listUsers is reported
 *   missing. This costs one extra call only in that rare case, needs no permission beyond the one
 *   being probed, and works for SSWS and OAuth alike. (Reading the credential's own roles would need
 *   the very role-read permission most credentials lack.)
 * - readRoles: `GET /api/v1/iam/assignees/users?limit=1`, the bulk listing the role sync uses.
 * - writeGroups / writeApps: a membership DELETE and an app-unassignment DELETE on ids that cannot
 *   exist (Okta ids are 20 characters; these are not Okta's). Okta checks the admin permission
 *   before the target: 403 E0000006 means missing; 404 E0000007 (or a 2xx) means the write was
 *   allowed and found nothing to do.
 */
import type { OktaClient } from "./client.js";
import { isOktaError, type OktaError } from "./errors.js";
import type { CallOptions } from "./types.js";

/** The capabilities a sync and provisioning depend on. */
export type OktaCapability = "listUsers" | "readRoles" | "writeGroups" | "writeApps";

/** `unknown` when the probe got an answer that proves neither (e.g. a 400). */
export type CapabilityStatus = "granted" | "missing" | "unknown";

/** One capability's verdict, with what would grant it when it is missing. */
export interface CapabilityReport {
  capability: OktaCapability;
  status: CapabilityStatus;
  /** The Okta admin role that grants it, as the Admin Console names it. */
  requiredRole: string;
  /** The OAuth scope it needs (only meaningful for OAuth service apps). */
  requiredScope: string;
  /** Why it is missing or unknown: status, E-code, the call. Absent when granted. */
  reason?: string;
}

/** The result of {@link probeCapabilities}. */
export interface OktaCapabilities {
  listUsers: CapabilityReport;
  readRoles: CapabilityReport;
  writeGroups: CapabilityReport;
  writeApps: CapabilityReport;
  /** True when Okta answered `200 []` for users and groups: a credential with no admin role. */
  noAdminRole: boolean;
  /** The capabilities that are not granted, in declaration order. */
  missing: OktaCapability[];
}

/** The role and scope behind each capability (baton-okta §7, the simulator's permission table). */
export const CAPABILITY_REQUIREMENTS: Readonly<Record<OktaCapability, { requiredRole: string; requiredScope: string }>> = {
  listUsers: { requiredRole: "Read-only Administrator", requiredScope: "okta.users.read" },
  readRoles: { requiredRole: "Super Administrator", requiredScope: "okta.roles.read" },
  writeGroups: { requiredRole: "Group Administrator", requiredScope: "okta.groups.manage" },
  writeApps: { requiredRole: "App Administrator", requiredScope: "okta.apps.manage" },
};

/** Ids no Okta object has (Okta ids are 20 characters long). */
export const PROBE_IDS = {
  user: "00uconnectorcapabilityprobe",
  group: "00gconnectorcapabilityprobe",
  app: "0oaconnectorcapabilityprobe",
} as const;

/**
 * Probes the credential. Authentication failures (401) and Okta being unavailable are thrown as
 * OktaError: they say nothing about capabilities and must fail Validate as they are.
 */
export async function probeCapabilities(client: OktaClient, options: CallOptions = {}): Promise<OktaCapabilities> {
  const users = await probe(client, "listUsers", { path: "/api/v1/users", query: { limit: 1 } }, options);
  let noAdminRole = false;
  if (users.report.status === "granted" && isEmptyArray(users.body)) {
    const groups = await probe(client, "listUsers", { path: "/api/v1/groups", query: { limit: 1 } }, options);
    noAdminRole = groups.report.status === "granted" && isEmptyArray(groups.body);
  }
  const listUsers: CapabilityReport = noAdminRole
    ? missing("listUsers", "Okta answered 200 [] for /api/v1/users and /api/v1/groups: the credential has no admin role")
    : users.report;

  const [readRoles, writeGroups, writeApps]: [CapabilityReport, CapabilityReport, CapabilityReport] = noAdminRole
    ? [
        missing("readRoles", "the credential has no admin role"),
        missing("writeGroups", "the credential has no admin role"),
        missing("writeApps", "the credential has no admin role"),
      ]
    : await Promise.all([
        probe(client, "readRoles", { path: "/api/v1/iam/assignees/users", query: { limit: 1 } }, options),
        probe(client, "writeGroups", { method: "DELETE", path: `/api/v1/groups/${PROBE_IDS.group}/users/${PROBE_IDS.user}` }, options),
        probe(client, "writeApps", {
          method: "DELETE",
          path: `/api/v1/apps/${PROBE_IDS.app}/users/${PROBE_IDS.user}`,
          query: { sendEmail: false },
        }, options),
      ]).then(([roles, groups, apps]) => [roles.report, groups.report, apps.report] as const);

  const reports = { listUsers, readRoles, writeGroups, writeApps };
  return {
    ...reports,
    noAdminRole,
    missing: Object.values(reports)
      .filter((report) => report.status !== "granted")
      .map((report) => report.capability),
  };
}

/** A one-line explanation of a missing capability, for Validate errors and coverage reports. */
export function describeMissingCapability(report: CapabilityReport, authKind: "ssws" | "oauth"): string {
  const grant = authKind === "oauth"
    ? `assign the ${report.requiredRole} role to the service app and grant the ${report.requiredScope} scope`
    : `use an API token created by a ${report.requiredRole}`;
  return `${report.capability} is not available (${report.reason ?? report.status}); ${grant}`;
}

interface ProbeResult {
  report: CapabilityReport;
  body: unknown;
}

async function probe(
  client: OktaClient,
  capability: OktaCapability,
  call: { method?: "GET" | "DELETE"; path: string; query?: Record<string, number | boolean> },
  options: CallOptions,
): Promise<ProbeResult> {
  const where = `${call.method ?? "GET"} ${call.path}`;
  try {
    const response = await client.request<unknown>({ ...call, ...options });
    return { report: granted(capability), body: response.body };
  } catch (error) {
    if (!isOktaError(error)) throw error;
    return { report: verdictFromError(capability, error, where), body: undefined };
  }
}

function verdictFromError(capability: OktaCapability, error: OktaError, where: string): CapabilityReport {
  const detail = `HTTP ${error.status ?? "?"}${error.errorCode ? ` ${error.errorCode}` : ""} on ${where}`;
  switch (error.kind) {
    case "forbidden":
      return missing(capability, detail);
    case "not-found":
      // A write probe reaching "not found" passed the permission check; a read probe's path is missing.
      return capability === "writeGroups" || capability === "writeApps"
        ? granted(capability)
        : { ...CAPABILITY_REQUIREMENTS[capability], capability, status: "unknown", reason: detail };
    case "invalid":
    case "conflict":
    case "precondition":
    case "group-derived-assignment":
      return { ...CAPABILITY_REQUIREMENTS[capability], capability, status: "unknown", reason: detail };
    default:
      throw error;
  }
}

function granted(capability: OktaCapability): CapabilityReport {
  return { ...CAPABILITY_REQUIREMENTS[capability], capability, status: "granted" };
}

function missing(capability: OktaCapability, reason: string): CapabilityReport {
  return { ...CAPABILITY_REQUIREMENTS[capability], capability, status: "missing", reason };
}

function isEmptyArray(body: unknown): boolean {
  return Array.isArray(body) && body.length === 0;
}
