import type { JsonObject } from "@bufbuild/protobuf";
import type { SyncOptions } from "../../config/config.js";
import type { OktaUser } from "../../okta/index.js";
import { rawId, v1Identifier } from "../../protocol/annotations.js";
import { newResource, ResourceStatus } from "../../protocol/builders.js";
import { userTrait } from "../../protocol/traits.js";
import { USER_TYPE } from "./resource-type.js";
import { statusDetailsOf, structuredNameOf } from "./user-posture.js";

/** Okta users → `user` resources: pure functions, pinned by user-mappers.test.ts. */

/** Okta's raw status is kept in the profile under this key, as baton-okta does. */
export const RAW_STATUS_PROFILE_KEY = "c1_okta_raw_user_status";

const ENABLED_STATUSES = new Set(["ACTIVE", "PROVISIONED", "RECOVERY", "PASSWORD_EXPIRED", "LOCKED_OUT"]);

const DISABLED_STATUSES = new Set(["STAGED", "SUSPENDED", "DEPROVISIONED"]);

const EMPLOYEE_ID_KEYS = /^(employeenumber|employeeid|employeeidnumber|employee_number|employee_id|employee_idnumber)$/i;

/** baton-okta's status table (PR #184: STAGED counts as disabled). */
export function statusOf(oktaStatus: string): ResourceStatus {
  if (ENABLED_STATUSES.has(oktaStatus)) return ResourceStatus.ENABLED;
  if (DISABLED_STATUSES.has(oktaStatus)) return ResourceStatus.DISABLED;
  return ResourceStatus.UNSPECIFIED;
}

/** `profile.displayName`, else "first last" with "unknown" for a missing part. */
export function displayNameOf(user: OktaUser): string {
  const p = user.profile;
  if (typeof p.displayName === "string" && p.displayName.trim() !== "") return p.displayName;
  const first = typeof p.firstName === "string" && p.firstName !== "" ? p.firstName : "unknown";
  const last = typeof p.lastName === "string" && p.lastName !== "" ? p.lastName : "unknown";
  return `${first} ${last}`;
}

/** What a sync learnt about a user besides its JSON: with --sync-mfa-status, whether MFA is on (unset when not read). */
export interface UserPostureExtras {
  readonly mfaEnabled?: boolean | undefined;
}

export function userResourceOf(user: OktaUser, options: Pick<SyncOptions, "skipSecondaryEmails">, extras: UserPostureExtras = {}) {
  const profile: JsonObject = { ...(user.profile as JsonObject), [RAW_STATUS_PROFILE_KEY]: user.status };
  if (options.skipSecondaryEmails && "secondEmail" in profile) profile.secondEmail = null;
  const emails: { address: string; primary: boolean }[] = [];
  if (typeof user.profile.email === "string" && user.profile.email !== "") emails.push({ address: user.profile.email, primary: true });
  if (!options.skipSecondaryEmails && typeof user.profile.secondEmail === "string" && user.profile.secondEmail !== "") {
    emails.push({ address: user.profile.secondEmail, primary: false });
  }
  const login = typeof user.profile.login === "string" ? user.profile.login : "";
  // The part before the @ is the login alias people type, when the login is an address.
  const loginAliases = login.split("@").length === 2 ? [login.split("@")[0]!] : [];
  const employeeIds = Object.entries(user.profile)
    .filter(([key, value]) => EMPLOYEE_ID_KEYS.test(key) && typeof value === "string" && value !== "")
    .map(([, value]) => value as string);
  const status = statusOf(user.status);
  const createdAt = dateOf(user.created);
  const lastLogin = dateOf(user.lastLogin);
  const details = statusDetailsOf(user);
  const structuredName = structuredNameOf(user.profile);
  return newResource({
    type: USER_TYPE,
    id: user.id,
    displayName: displayNameOf(user),
    profile,
    status: { status, details },
    ...(createdAt ? { createdAt } : {}),
    annotations: [
      userTrait({
        emails,
        login,
        loginAliases,
        employeeIds,
        enabled: status === ResourceStatus.ENABLED,
        statusDetails: details,
        profile,
        ...(extras.mfaEnabled === undefined ? {} : { mfaEnabled: extras.mfaEnabled }),
        ...(structuredName ? { structuredName } : {}),
        ...(lastLogin ? { lastLogin } : {}),
        ...(createdAt ? { createdAt } : {}),
      }),
      v1Identifier(user.id),
      rawId(user.id),
    ],
  });
}

function dateOf(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
