import type { OktaUser } from "../../okta/index.js";

/**
 * What a reviewer needs to know about an Okta user's account beyond enabled/disabled, read from the
 * user JSON a listing already fetched (and, with --sync-mfa-status, the user's factors): pure functions.
 */

/** Why an Okta status matters to a reviewer, for the statuses whose name alone does not say it. */
const STATUS_GLOSS: Readonly<Record<string, string>> = {
  STAGED: "created, never activated",
  PROVISIONED: "activated, the user has not set a password yet",
  RECOVERY: "password reset in progress",
  PASSWORD_EXPIRED: "must change password at next sign-in",
  LOCKED_OUT: "locked after too many failed sign-ins",
  SUSPENDED: "suspended by an admin, cannot sign in",
  DEPROVISIONED: "deactivated",
};

/**
 * The status detail of a user resource (Resource.status.details and UserTrait.status.details), e.g.
 * `LOCKED_OUT since 2025-04-03 (locked after too many failed sign-ins); password changed 2024-11-03`.
 *
 * It starts with Okta's status, so an engine that read the bare status before still finds it first.
 * Dates, not ages: a detail that counted days would change every day and make every user look
 * changed in each snapshot diff; an engine computes the age from the date.
 */
export function statusDetailsOf(user: Pick<OktaUser, "status" | "statusChanged" | "transitioningToStatus" | "lastLogin" | "passwordChanged">): string {
  const since = dayOf(user.statusChanged);
  const gloss = STATUS_GLOSS[user.status];
  const parts = [`${user.status}${since ? ` since ${since}` : ""}${gloss ? ` (${gloss})` : ""}`];
  // Okta sets transitioningToStatus while an asynchronous activate or deactivate runs (okta-api.md §1.1).
  if (typeof user.transitioningToStatus === "string" && user.transitioningToStatus !== "") parts.push(`changing to ${user.transitioningToStatus}`);
  if (!dayOf(user.lastLogin)) parts.push("never signed in");
  const password = dayOf(user.passwordChanged);
  parts.push(password ? `password changed ${password}` : "no password set in Okta");
  return parts.join("; ");
}

/** UserTrait.structured_name from Okta's base profile attributes; undefined when the profile has none. */
export function structuredNameOf(profile: OktaUser["profile"]): { givenName: string; familyName: string; middleNames: string[]; prefix: string; suffix: string } | undefined {
  const text = (key: string): string => {
    const value = profile[key];
    return typeof value === "string" ? value.trim() : "";
  };
  const name = {
    givenName: text("firstName"),
    familyName: text("lastName"),
    // Okta's middleName is one free-text attribute; baton's field is a list.
    middleNames: text("middleName") === "" ? [] : [text("middleName")],
    prefix: text("honorificPrefix"),
    suffix: text("honorificSuffix"),
  };
  const empty = name.givenName === "" && name.familyName === "" && name.middleNames.length === 0 && name.prefix === "" && name.suffix === "";
  return empty ? undefined : name;
}

/** One factor as `GET /api/v1/users/{id}/factors` lists it: only the fields the posture reads. */
export interface OktaFactorSummary {
  readonly factorType?: string | null;
  readonly status?: string | null;
}

/**
 * UserTrait.mfa_status.mfa_enabled: the user has at least one ACTIVE factor. A factor still
 * PENDING_ACTIVATION (enrolment not finished), or NOT_SETUP, INACTIVE, EXPIRED, cannot be used to sign in.
 */
export function mfaEnabledOf(factors: readonly OktaFactorSummary[]): boolean {
  return factors.some((f) => f.status === "ACTIVE");
}

/** `YYYY-MM-DD` of an Okta timestamp, or undefined for null, absent or unreadable ones. */
function dayOf(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().slice(0, 10);
}
