/**
 * The vocabulary of what a credential may do: each capability, the Okta admin role and OAuth scope
 * behind it, and one verdict per capability. Shared by the read-only probe (capabilities.ts) and the
 * write verdicts (write-capabilities.ts).
 */
/** The capabilities a sync and provisioning depend on. */
export type OktaCapability = "listUsers" | "readRoles" | WriteCapability;

/** The capabilities provisioning needs: group memberships, app assignments, admin roles, user lifecycle. */
export type WriteCapability = "writeGroups" | "writeApps" | "writeRoles" | "writeUsers";

/** The write capabilities, in declaration order. */
export const WRITE_CAPABILITIES: readonly WriteCapability[] = ["writeGroups", "writeApps", "writeRoles", "writeUsers"];

/**
 * `unknown` when nothing read so far proves either: a read answer that proves nothing (e.g. a 400),
 * or a write capability no read can tell, which the first real write decides.
 */
export type CapabilityStatus = "granted" | "missing" | "unknown";

/** One capability's verdict, with what would grant it when it is missing. */
export interface CapabilityReport {
  capability: OktaCapability;
  status: CapabilityStatus;
  /** The Okta admin role that grants it, as the Admin Console names it. */
  requiredRole: string;
  /** The OAuth scope it needs (only meaningful for OAuth service apps). */
  requiredScope: string;
  /** Why it is missing or unknown (status, E-code, the call), or how a write was found granted. */
  reason?: string;
  /**
   * True when a real write's answer decided it. Such a "missing" describes the last target Okta
   * refused, not every target: a Group or App Administrator may be scoped to some groups or apps.
   */
  learnedFromWrite?: boolean;
}

/** The role and scope behind each capability (baton-okta §7, the simulator's permission table). */
export const CAPABILITY_REQUIREMENTS: Readonly<Record<OktaCapability, { requiredRole: string; requiredScope: string }>> = {
  listUsers: { requiredRole: "Read-only Administrator", requiredScope: "okta.users.read" },
  readRoles: { requiredRole: "Super Administrator", requiredScope: "okta.roles.read" },
  writeGroups: { requiredRole: "Group Administrator", requiredScope: "okta.groups.manage" },
  writeApps: { requiredRole: "App Administrator", requiredScope: "okta.apps.manage" },
  writeRoles: { requiredRole: "Super Administrator", requiredScope: "okta.roles.manage" },
  // Okta also lets an Org Administrator manage users; the simulated org allows only super admins.
  writeUsers: { requiredRole: "Super Administrator", requiredScope: "okta.users.manage" },
};

/** A report with the role and scope filled in; `reason` says how it was decided. */
export function capabilityReport(capability: OktaCapability, status: CapabilityStatus, reason?: string): CapabilityReport {
  return { ...CAPABILITY_REQUIREMENTS[capability], capability, status, ...(reason === undefined ? {} : { reason }) };
}

/** A one-line explanation of a missing capability, for Validate errors and coverage reports. */
export function describeMissingCapability(report: CapabilityReport, authKind: "ssws" | "oauth"): string {
  const grant = authKind === "oauth"
    ? `assign the ${report.requiredRole} role to the service app and grant the ${report.requiredScope} scope`
    : `use an API token created by a ${report.requiredRole}`;
  return `${report.capability} is not available (${report.reason ?? report.status}); ${grant}`;
}
