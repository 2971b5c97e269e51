import type { CoverageGap } from "../../protocol/resource-syncer.js";
import type { OktaTypeDescriptor } from "../shared/type-context.js";
import { USER_TYPE } from "./resource-type.js";
import { createUserSyncer } from "./user.js";
import { userEvents } from "./user-events.js";

/** Users: the principals every other type grants to, so they depend on nothing and sync first. */
export const userDescriptor: OktaTypeDescriptor = {
  resourceType: USER_TYPE,
  // Account creation, deletion and the lifecycle actions are user writes.
  needs: { read: "listUsers", write: "writeUsers" },
  dependsOn: [],
  events: userEvents,
  configurationGaps(o) {
    const gaps: CoverageGap[] = [];
    if (!o.syncDeprovisionedUsers) gaps.push({ scope: "resources", reason: "filtered", detail: "DEPROVISIONED users are left out", flag: "--sync-deprovisioned-users" });
    if (o.skipSecondaryEmails) gaps.push({ scope: "resources", reason: "filtered", detail: "secondary emails are left out", flag: "--skip-secondary-emails" });
    if (o.filterEmailDomains.length > 0) {
      gaps.push({ scope: "resources", reason: "filtered", detail: `only users with an address in ${o.filterEmailDomains.join(", ")} are synced`, flag: "--filter-email-domains" });
    }
    return gaps;
  },
  createSyncer: ({ api, options }) => createUserSyncer({ okta: api.users, options }),
};
