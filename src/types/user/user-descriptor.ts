import type { TypeFlag } from "../../config/flags.js";
import type { CoverageGap } from "../../protocol/resource-syncer.js";
import type { OktaTypeDescriptor } from "../shared/type-context.js";
import { createMfaStatusReader } from "./mfa-status.js";
import { USER_TYPE } from "./resource-type.js";
import { createUserSyncer } from "./user.js";
import { userEvents } from "./user-events.js";
import { listUserFactors } from "./user-okta.js";

/**
 * Opt-in, as it costs one Okta call per user. Listing factors needs okta.users.read (Okta's spec for
 * listFactors), which every sync already asks for, so the flag adds no OAuth scope.
 */
const SYNC_MFA_STATUS: TypeFlag = {
  spec: { name: "sync-mfa-status", kind: "boolean", defaultValue: false, description: "Read each user's MFA factors (one Okta call per user) and set UserTrait.mfa_status" },
};

/** Users: the principals every other type grants to, so they depend on nothing and sync first. */
export const userDescriptor: OktaTypeDescriptor = {
  resourceType: USER_TYPE,
  // Account creation, deletion and the lifecycle actions are user writes.
  needs: { read: "listUsers", write: "writeUsers" },
  dependsOn: [],
  events: userEvents,
  flags: [SYNC_MFA_STATUS],
  configurationGaps(o) {
    const gaps: CoverageGap[] = [];
    if (!o.typeFlags.has(SYNC_MFA_STATUS.spec.name)) {
      gaps.push({ scope: "resources", reason: "disabled-by-flag", detail: "users' MFA factors are not read, so users carry no mfa_status", flag: `--${SYNC_MFA_STATUS.spec.name}` });
    }
    if (!o.syncDeprovisionedUsers) gaps.push({ scope: "resources", reason: "filtered", detail: "DEPROVISIONED users are left out", flag: "--sync-deprovisioned-users" });
    if (o.skipSecondaryEmails) gaps.push({ scope: "resources", reason: "filtered", detail: "secondary emails are left out", flag: "--skip-secondary-emails" });
    if (o.filterEmailDomains.length > 0) {
      gaps.push({ scope: "resources", reason: "filtered", detail: `only users with an address in ${o.filterEmailDomains.join(", ")} are synced`, flag: "--filter-email-domains" });
    }
    return gaps;
  },
  createSyncer: ({ api, client, options }) =>
    createUserSyncer({
      okta: api.users,
      options,
      mfa: options.typeFlags.has(SYNC_MFA_STATUS.spec.name) ? createMfaStatusReader({ listFactors: (userId, o) => listUserFactors(client, userId, o) }) : undefined,
    }),
};
