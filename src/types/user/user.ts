import type { JsonObject } from "@bufbuild/protobuf";
import type { SyncOptions } from "../../config/config.js";
import type { OktaUser, OktaUsersApi } from "../../okta/index.js";
import { rawId, v1Identifier } from "../../protocol/annotations.js";
import { newResource, ResourceStatus } from "../../protocol/builders.js";
import type { ResourceSyncer } from "../../protocol/resource-syncer.js";
import { userTrait } from "../../protocol/traits.js";
import { afterOf, cursorOf, noPage } from "../shared/cursor.js";
import { createEmailFilter } from "../shared/email-filter.js";
import { oktaIdOf } from "../shared/provisioning.js";
import { GET_RESOURCE_ID_FIELD } from "../shared/request-fields.js";
import { USER_TYPE } from "./resource-type.js";
import { createUserAccounts, type UserAccountDeps } from "./user-account.js";
import { userAccountCreationSchema, userCredentialDetails } from "./user-account-schema.js";
import { createUserLifecycle, type UserLifecycleDeps } from "./user-lifecycle.js";

/**
 * Okta users → `user` resources. Users hold no entitlements themselves (SkipEntitlementsAndGrants on
 * the type, as in baton-okta); their access appears as grants on groups, apps and roles. Accounts are
 * created (user-account.ts), deleted and enabled or disabled (user-lifecycle.ts) here.
 */
export interface UserSyncerDeps {
  readonly okta: Pick<OktaUsersApi, "listUsers" | "getUser"> & UserAccountDeps["okta"] & UserLifecycleDeps["okta"];
  readonly options: SyncOptions;
}

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

export function userResourceOf(user: OktaUser, options: Pick<SyncOptions, "skipSecondaryEmails">) {
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
  return newResource({
    type: USER_TYPE,
    id: user.id,
    displayName: displayNameOf(user),
    profile,
    status: { status, details: user.status },
    ...(createdAt ? { createdAt } : {}),
    annotations: [
      userTrait({
        emails,
        login,
        loginAliases,
        employeeIds,
        enabled: status === ResourceStatus.ENABLED,
        statusDetails: user.status,
        profile,
        ...(lastLogin ? { lastLogin } : {}),
        ...(createdAt ? { createdAt } : {}),
      }),
      v1Identifier(user.id),
      rawId(user.id),
    ],
  });
}

export function createUserSyncer(deps: UserSyncerDeps) {
  const keep = createEmailFilter(deps.options.filterEmailDomains);
  return {
    resourceType: USER_TYPE,
    async list(_parent, cursor, ctx) {
      const page = await deps.okta.listUsers({
        after: afterOf(cursor),
        signal: ctx.signal,
        includeDeprovisioned: deps.options.syncDeprovisionedUsers,
      });
      const items = page.items.filter((u) => keep(u.profile)).map((u) => userResourceOf(u, deps.options));
      return { items, cursor: cursorOf(page.after) };
    },
    async get(id, _parent, ctx) {
      const user = await deps.okta.getUser(oktaIdOf("user", id, GET_RESOURCE_ID_FIELD), { signal: ctx.signal });
      if (!keep(user.profile)) return undefined;
      if (user.status === "DEPROVISIONED" && !deps.options.syncDeprovisionedUsers) return undefined;
      return userResourceOf(user, deps.options);
    },
    entitlements: noPage,
    grants: noPage,
    ...createUserAccounts({ okta: deps.okta, resourceOf: (user) => userResourceOf(user, deps.options) }),
    ...createUserLifecycle({ okta: deps.okta }),
    accountForm: () => ({ schema: userAccountCreationSchema(), credentialDetails: userCredentialDetails() }),
  } satisfies ResourceSyncer;
}

function dateOf(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
