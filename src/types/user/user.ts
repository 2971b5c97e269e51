import type { SyncOptions } from "../../config/config.js";
import type { OktaUsersApi } from "../../okta/index.js";
import type { ResourceSyncer } from "../../protocol/resource-syncer.js";
import { afterOf, cursorOf, noPage } from "../shared/cursor.js";
import { createEmailFilter } from "../shared/email-filter.js";
import { oktaIdOf } from "../shared/provisioning.js";
import { GET_RESOURCE_ID_FIELD } from "../shared/request-fields.js";
import { USER_TYPE } from "./resource-type.js";
import { createUserAccounts, type UserAccountDeps } from "./user-account.js";
import { userAccountCreationSchema, userCredentialDetails } from "./user-account-schema.js";
import { createUserLifecycle, type UserLifecycleDeps } from "./user-lifecycle.js";
import type { MfaStatusReader } from "./mfa-status.js";
import { userResourceOf } from "./user-mappers.js";

/**
 * Okta users → `user` resources. Users hold no entitlements themselves (SkipEntitlementsAndGrants on
 * the type, as in baton-okta); their access appears as grants on groups, apps and roles. Accounts are
 * created (user-account.ts), deleted and enabled or disabled (user-lifecycle.ts) here.
 */
export interface UserSyncerDeps {
  readonly okta: Pick<OktaUsersApi, "listUsers" | "getUser"> & UserAccountDeps["okta"] & UserLifecycleDeps["okta"];
  readonly options: SyncOptions;
  /** With --sync-mfa-status: reads the listed users' factors for UserTrait.mfa_status. */
  readonly mfa?: MfaStatusReader | undefined;
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
      const users = page.items.filter((u) => keep(u.profile));
      const mfa = deps.mfa ? await deps.mfa.read(users.map((u) => u.id), ctx) : undefined;
      const items = users.map((u) => userResourceOf(u, deps.options, { mfaEnabled: mfa?.get(u.id) }));
      return { items, cursor: cursorOf(page.after) };
    },
    async get(id, _parent, ctx) {
      const user = await deps.okta.getUser(oktaIdOf("user", id, GET_RESOURCE_ID_FIELD), { signal: ctx.signal });
      if (!keep(user.profile)) return undefined;
      if (user.status === "DEPROVISIONED" && !deps.options.syncDeprovisionedUsers) return undefined;
      // A targeted sync must see what a full listing holds, so it reads the factors too.
      const mfa = deps.mfa ? await deps.mfa.read([user.id], ctx) : undefined;
      return userResourceOf(user, deps.options, { mfaEnabled: mfa?.get(user.id) });
    },
    entitlements: noPage,
    grants: noPage,
    ...(deps.mfa ? { listingGaps: deps.mfa.gaps } : {}),
    ...createUserAccounts({ okta: deps.okta, resourceOf: (user) => userResourceOf(user, deps.options) }),
    ...createUserLifecycle({ okta: deps.okta }),
    accountForm: () => ({ schema: userAccountCreationSchema(), credentialDetails: userCredentialDetails() }),
  } satisfies ResourceSyncer;
}
