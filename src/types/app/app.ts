import type { SyncOptions } from "../../config/config.js";
import type { OktaAppGroup, OktaAppsApi, OktaAppUser, OktaGroupsApi } from "../../okta/index.js";
import type { ResourceSyncer } from "../../protocol/resource-syncer.js";
import { accessEntitlementOf, appGroupDerivedGrantOf, appGroupGrantOf, appUserGrantOf } from "./app-grants.js";
import { createAppGroupMembersSource } from "./app-group-members.js";
import { type AppProvisioningDeps, createAppProvisioning } from "./app-provisioning.js";
import { nextPhaseCursor, phaseOf } from "../shared/cursor.js";
import { createEmailFilter } from "../shared/email-filter.js";
import { oktaIdOf } from "../shared/provisioning.js";
import { leftOutByListing } from "../shared/get-resource.js";
import { GET_RESOURCE_ID_FIELD, LISTED_RESOURCE_ID_FIELD } from "../shared/request-fields.js";
import { APP_TYPE } from "./resource-type.js";
import { appResourceOf } from "./app-mappers.js";

/**
 * Okta apps → `app` resources with one `access` entitlement. Grants are the group assignments and
 * every app user; provisioning (app-provisioning.ts) assigns and unassigns both. After the engine's
 * expansion the app's user grants are exactly Okta's app users (`/apps/{id}/users`, both scopes), and
 * access through a group keeps that group as its source (baton-okta emits it as if direct):
 * - by default the group's grant is GrantExpandable and users with `scope: GROUP` are left to the
 *   expansion. That is exact because every member the sync returns is an app user: only DEPROVISIONED
 *   users are never app users, and they are not synced.
 * - with --sync-deprovisioned-users the expansion would invent access for DEPROVISIONED members, and
 *   with --skip-app-groups it would miss users whose groups are all left out. There the group's grant
 *   is not expandable and the connector writes every app user's grant in the expansion's shape, with
 *   the groups found through app-group-members.ts (calls per assigned group, never per user).
 */
export interface AppSyncerDeps extends AppProvisioningDeps {
  readonly okta: AppProvisioningDeps["okta"] & Pick<OktaAppsApi, "listApps" | "listAppUsers">;
  /** Members of the app's assigned groups, read only when the connector attributes access itself. */
  readonly groups: Pick<OktaGroupsApi, "listGroupMembers">;
  readonly options: SyncOptions;
}

/** True when the expansion of group app grants equals Okta's group-derived app users (see AppSyncerDeps). */
export function isAppExpansionExact(options: Pick<SyncOptions, "syncDeprovisionedUsers" | "skipAppGroups">): boolean {
  return !options.syncDeprovisionedUsers && !options.skipAppGroups;
}

const GRANT_PHASES = ["groups", "users"] as const;

export function createAppSyncer(deps: AppSyncerDeps) {
  const filtering = deps.options.filterEmailDomains.length > 0;
  const skipAppGroups = deps.options.skipAppGroups;
  const expansionExact = isAppExpansionExact(deps.options);
  const members = createAppGroupMembersSource({ apps: deps.okta, groups: deps.groups });
  const keepUser = createEmailFilter(deps.options.filterEmailDomains);
  const statusFilter = deps.options.syncInactiveApps ? undefined : "ACTIVE";
  return {
    resourceType: APP_TYPE,
    async list(_parent, cursor, ctx) {
      const after = cursor !== undefined && cursor !== null && typeof cursor === "object" && "after" in cursor ? String(cursor.after) : undefined;
      const page = await deps.okta.listApps({ after, signal: ctx.signal, ...(statusFilter ? { status: statusFilter } : {}) });
      return { items: page.items.map(appResourceOf), cursor: page.after === undefined ? undefined : { after: page.after } };
    },
    async get(id, _parent, ctx) {
      const app = await deps.okta.getApp(oktaIdOf("app", id, GET_RESOURCE_ID_FIELD), { signal: ctx.signal });
      if (statusFilter && app.status !== statusFilter) throw leftOutByListing(id, `the app is ${app.status ?? "not ACTIVE"} and --skip-inactive-apps is on`);
      return appResourceOf(app);
    },
    async entitlements(resource) {
      return { items: [accessEntitlementOf(resource)] };
    },
    async grants(resource, cursor, ctx) {
      const appId = oktaIdOf("app", resource.id!, LISTED_RESOURCE_ID_FIELD);
      const entitlement = accessEntitlementOf(resource);
      const { phase, after } = phaseOf(cursor, GRANT_PHASES);
      if (phase === "groups") {
        const page = await deps.okta.listAppGroups(appId, { after, signal: ctx.signal, expandGroup: skipAppGroups });
        const groups = skipAppGroups ? page.items.filter((g) => embeddedGroupType(g) !== "APP_GROUP") : page.items;
        const items = groups.map((g) => appGroupGrantOf(entitlement, appId, g.id, { expandable: expansionExact }));
        return { items, cursor: nextPhaseCursor(GRANT_PHASES, phase, page.after) };
      }
      const page = await deps.okta.listAppUsers(appId, { after, signal: ctx.signal, expandUser: filtering });
      const kept = page.items.filter(
        // The filter decides on the Okta profile, as the user listing does; the app-user profile can differ.
        (u) => !filtering || keepUser(u._embedded?.user?.profile ?? appUserProfileOf(u.profile, u.credentials?.userName)),
      );
      const next = nextPhaseCursor(GRANT_PHASES, phase, page.after);
      if (expansionExact) {
        return { items: kept.filter((u) => u.scope !== "GROUP").map((u) => appUserGrantOf(entitlement, appId, u.id)), cursor: next };
      }
      const index = await members.load(appId, ctx, { fresh: after === undefined });
      if (next === undefined) members.drop(appId);
      const items = kept.map((u) => {
        const groups = index.groupsOf(u.id);
        if (u.scope !== "GROUP") return appUserGrantOf(entitlement, appId, u.id, groups);
        // A membership that changed between the two listings: Okta's link names the group it used.
        const linked = linkedGroupOf(u);
        return appGroupDerivedGrantOf(entitlement, appId, u.id, groups.length > 0 || linked === undefined ? groups : [linked]);
      });
      return { items, cursor: next };
    },
    ...createAppProvisioning({ ...deps, groupGrantsExpandable: expansionExact }),
  } satisfies ResourceSyncer;
}

/** The group a `scope: GROUP` app user's `_links.group.href` names (`…/api/v1/groups/{id}`). */
function linkedGroupOf(user: OktaAppUser): string | undefined {
  const href = (user._links?.["group"] as { href?: unknown } | undefined)?.href;
  const match = typeof href === "string" ? /\/groups\/([^/?#]+)/.exec(href) : null;
  return match?.[1];
}

function embeddedGroupType(group: OktaAppGroup): string | undefined {
  const embedded = group._embedded?.["group"] as { type?: unknown } | undefined;
  return typeof embedded?.type === "string" ? embedded.type : undefined;
}

/** The app-user profile, when Okta did not embed the user (it should, with expand=user). */
function appUserProfileOf(profile: Record<string, unknown> | undefined, userName: string | undefined) {
  return { email: profile?.["email"], secondEmail: profile?.["secondEmail"], login: profile?.["login"] ?? userName };
}
