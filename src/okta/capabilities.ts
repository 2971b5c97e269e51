/**
 * What the credential may do, found with GET requests only (at most three, plus the OAuth token):
 * a connector that only reads must never send Okta a write, not even one meant to change nothing,
 * because the System Log records it as an attempt to remove access.
 *
 * - listUsers: `GET /api/v1/users?limit=1`. 403 E0000006 means the credential's admin role cannot.
 * - No admin role at all: an OAuth service app without an admin role is not refused; Okta answers
 *   `200 []` (okta-api.md §4, baton-okta §7). Every Okta org has at least one user (its first super
 *   admin) and the BUILT_IN Everyone group, so when `/users?limit=1` is empty we ask
 *   `/groups?limit=1`; both empty means the credential sees nothing, and listUsers is reported
 *   missing. This costs one extra call only in that rare case and works for SSWS and OAuth alike.
 * - readRoles: `GET /api/v1/iam/assignees/users?limit=1`, the bulk listing the role sync uses.
 * - The write capabilities are derived from those reads and the OAuth token's granted scopes
 *   (write-capabilities.ts); what no read can tell is "unknown" until the first real write answers.
 */
import { type CapabilityReport, capabilityReport, type OktaCapability } from "./capability-report.js";
import type { OktaClient } from "./client.js";
import { isOktaError, type OktaError } from "./errors.js";
import type { CallOptions } from "./types.js";
import { deriveWriteCapabilities } from "./write-capabilities.js";

/** The result of {@link probeCapabilities}. */
export interface OktaCapabilities {
  listUsers: CapabilityReport;
  readRoles: CapabilityReport;
  writeGroups: CapabilityReport;
  writeApps: CapabilityReport;
  writeRoles: CapabilityReport;
  writeUsers: CapabilityReport;
  /** True when Okta answered `200 []` for users and groups: a credential with no admin role. */
  noAdminRole: boolean;
  /** The capabilities known to be missing, in declaration order. */
  missing: OktaCapability[];
  /** The capabilities not known either way (a write not yet attempted), in declaration order. */
  unknown: OktaCapability[];
}

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

  const readRoles = noAdminRole
    ? missing("readRoles", "the credential has no admin role")
    : (await probe(client, "readRoles", { path: "/api/v1/iam/assignees/users", query: { limit: 1 } }, options)).report;
  // The token is fetched with the first call above, so its granted scopes are known by now.
  const writes = deriveWriteCapabilities({ noAdminRole, readRoles, grantedScopes: client.grantedScopes() });
  return capabilitiesFromReports({ listUsers, readRoles, ...writes }, noAdminRole);
}

/** Completes the reports with the `missing` and `unknown` lists (after a write was learned too). */
export function capabilitiesFromReports(reports: Omit<OktaCapabilities, "noAdminRole" | "missing" | "unknown">, noAdminRole: boolean): OktaCapabilities {
  const all = [reports.listUsers, reports.readRoles, reports.writeGroups, reports.writeApps, reports.writeRoles, reports.writeUsers];
  return {
    ...reports,
    noAdminRole,
    missing: all.filter((r) => r.status === "missing").map((r) => r.capability),
    unknown: all.filter((r) => r.status === "unknown").map((r) => r.capability),
  };
}

interface ProbeResult {
  report: CapabilityReport;
  body: unknown;
}

async function probe(
  client: OktaClient,
  capability: OktaCapability,
  call: { path: string; query?: Record<string, number> },
  options: CallOptions,
): Promise<ProbeResult> {
  const where = `GET ${call.path}`;
  try {
    const response = await client.request<unknown>({ ...call, method: "GET", ...options });
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
    case "invalid":
    case "conflict":
    case "precondition":
    case "group-derived-assignment":
      return capabilityReport(capability, "unknown", detail);
    default:
      throw error;
  }
}

function granted(capability: OktaCapability): CapabilityReport {
  return capabilityReport(capability, "granted");
}

function missing(capability: OktaCapability, reason: string): CapabilityReport {
  return capabilityReport(capability, "missing", reason);
}

function isEmptyArray(body: unknown): boolean {
  return Array.isArray(body) && body.length === 0;
}
