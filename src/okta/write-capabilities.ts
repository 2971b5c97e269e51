/**
 * How the connector knows whether the credential may write, without ever writing to find out.
 *
 * A write sent only to learn the answer (the DELETE of a membership that cannot exist) still reaches
 * Okta's System Log as an attempt to remove access, so write capability comes from two places only:
 *
 * - reads: a credential that can read admin roles is a Super Administrator in our model, and may
 *   make every write; an OAuth token whose granted scopes (the token response's `scope`) lack a
 *   write's `*.manage` scope cannot make it, whatever its role; a credential without an admin role
 *   can make none;
 * - the first real write: Okta checks the admin permission before the target, so 403 E0000006
 *   means the role lacks the write, and a 2xx, 404 or 409 means it passed the check.
 *
 * What neither has settled is "unknown": provisioning is attempted, and Okta's answer decides.
 */
import {
  CAPABILITY_REQUIREMENTS,
  type CapabilityReport,
  capabilityReport,
  WRITE_CAPABILITIES,
  type WriteCapability,
} from "./capability-report.js";
import { OKTA_ERROR_CODES } from "./errors.js";

/** What the read-only probe found, from which write capability is derived. */
export interface WriteEvidence {
  readonly noAdminRole: boolean;
  readonly readRoles: CapabilityReport;
  /** The OAuth token's granted scopes; undefined for SSWS tokens, which carry none. */
  readonly grantedScopes: readonly string[] | undefined;
}

/** Each write capability as the reads tell it: granted, missing, or unknown until the first write. */
export function deriveWriteCapabilities(evidence: WriteEvidence): Record<WriteCapability, CapabilityReport> {
  const reports = WRITE_CAPABILITIES.map((capability) => deriveOne(capability, evidence));
  return Object.fromEntries(reports.map((report) => [report.capability, report])) as Record<WriteCapability, CapabilityReport>;
}

function deriveOne(capability: WriteCapability, { noAdminRole, readRoles, grantedScopes }: WriteEvidence): CapabilityReport {
  if (noAdminRole) return capabilityReport(capability, "missing", "the credential has no admin role");
  const scope = CAPABILITY_REQUIREMENTS[capability].requiredScope;
  // A `*.manage` scope is needed for a write; Okta refuses it whatever the app's admin role.
  if (grantedScopes !== undefined && !grantedScopes.includes(scope)) {
    return capabilityReport(capability, "missing", `the OAuth access token was not granted the ${scope} scope`);
  }
  if (readRoles.status === "granted") {
    return capabilityReport(capability, "granted", "the credential reads admin roles, which only a Super Administrator may, and a Super Administrator may make every write");
  }
  if (capability === "writeRoles" || capability === "writeUsers") {
    // Only a Super Administrator may, and reading roles is what tells one apart.
    if (readRoles.status === "missing") {
      return capabilityReport(capability, "missing", `only a Super Administrator may, and the credential cannot read admin roles (${readRoles.reason ?? "access denied"})`);
    }
    return capabilityReport(capability, "unknown", `reading admin roles proved nothing (${readRoles.reason ?? "no answer"}); the first write decides`);
  }
  return capabilityReport(capability, "unknown", "no read tells a Group or App Administrator from a Read-only Administrator; the first write decides");
}

/**
 * The write capability a request exercises, from its method and path, or undefined for reads, the
 * OAuth token request and writes provisioning never makes.
 */
export function writeCapabilityOf(method: string, path: string): WriteCapability | undefined {
  if (method === "GET" || method === "HEAD") return undefined;
  const [api, version, top, id, sub] = (path.split("?")[0] ?? "").split("/").filter((segment) => segment !== "");
  if (api !== "api" || version !== "v1") return undefined;
  if (top === "groups" && id !== undefined && sub === "users") return "writeGroups";
  if (top === "apps" && id !== undefined && (sub === "users" || sub === "groups")) return "writeApps";
  if (top === "iam" || ((top === "users" || top === "groups") && id !== undefined && sub === "roles")) return "writeRoles";
  if (top === "users") return "writeUsers";
  return undefined;
}

/** What Okta answered a write: its HTTP status and, for an error, its E-code. */
export interface WriteAnswer {
  readonly status: number;
  readonly errorCode?: string | undefined;
}

/**
 * The verdict a real write's answer proves, or undefined when it proves nothing (a 400, 429, 5xx, or
 * a 403 with another E-code, e.g. E0000015 feature not enabled). `where` is `METHOD /path` (ids only).
 *
 * Membership writes on APP_GROUP and BUILT_IN groups also get 403 E0000006, even for a super admin;
 * the group syncer refuses those before writing (types/group/group.ts), so such a 403 never gets here.
 */
export function verdictFromWrite(capability: WriteCapability, answer: WriteAnswer, where: string): CapabilityReport | undefined {
  const { status, errorCode } = answer;
  if (status === 403 && errorCode === OKTA_ERROR_CODES.forbidden) {
    return { ...capabilityReport(capability, "missing", `Okta refused ${where} with HTTP 403 ${errorCode}`), learnedFromWrite: true };
  }
  // 404 and 409 come after Okta's permission check: the write was allowed and found nothing to do.
  if ((status >= 200 && status < 300) || status === 404 || status === 409) {
    return { ...capabilityReport(capability, "granted", `Okta answered ${where} with HTTP ${status}`), learnedFromWrite: true };
  }
  return undefined;
}
