import type { JsonObject } from "@bufbuild/protobuf";
import type { SyncOptions } from "../config/config.js";
import type { OktaApp, OktaAppGroup, OktaAppsApi } from "../okta/index.js";
import { rawId, v1Identifier } from "../protocol/annotations.js";
import { newResource } from "../protocol/builders.js";
import type { Cursor, ResourceSyncer, SyncCallContext } from "../protocol/resource-syncer.js";
import { appRegistrationTrait, appTrait } from "../protocol/traits.js";
import type { Resource } from "../../gen/c1/connector/v2/resource_pb.js";
import { accessEntitlementOf, appGroupGrantOf, appUserGrantOf } from "./app-grants.js";
import { type AppProvisioningDeps, createAppProvisioning } from "./app-provisioning.js";
import { nextPhaseCursor, phaseOf } from "./cursor.js";
import { createEmailFilter } from "./email-filter.js";
import { oktaIdOf } from "./provisioning.js";
import { GET_RESOURCE_ID_FIELD, LISTED_RESOURCE_ID_FIELD } from "./request-fields.js";
import { APP_TYPE } from "./resource-types.js";
import { groupsOfUser } from "./user-groups.js";

/**
 * Okta apps → `app` resources with one `access` entitlement. Grants are the group assignments
 * (expandable to the group's members) and the direct user assignments; provisioning (app-provisioning.ts)
 * assigns and unassigns both. A user whose access comes only
 * through a group (`scope: GROUP`) is left to the group's expansion rather than emitted again as a
 * direct grant, so the engine keeps the source of the access (baton-okta loses it).
 */
export interface AppSyncerDeps extends AppProvisioningDeps {
  readonly okta: AppProvisioningDeps["okta"] & Pick<OktaAppsApi, "listApps" | "listAppUsers">;
  readonly options: SyncOptions;
}

const GRANT_PHASES = ["groups", "users"] as const;
/** Sign-on modes that are not identities of their own (no NHI trait), as in baton-okta. */
const NOT_AN_IDENTITY = new Set(["BOOKMARK", "BROWSER_PLUGIN", "AUTO_LOGIN", "BASIC_AUTH", "SECURE_PASSWORD_STORE"]);

export function appResourceOf(app: OktaApp): Resource {
  const signOnMode = app.signOnMode ?? "";
  const features = Array.isArray(app.features) ? app.features.filter((f): f is string => typeof f === "string") : [];
  const profile: JsonObject = {
    status: app.status,
    name: app.name,
    label: app.label,
    sign_on_mode: signOnMode,
    features,
    // Apps Okta provisions into (SCIM or API): engines create their own application records for these.
    provisioning: features.some((f) => f === "PUSH_NEW_USERS" || f === "PUSH_USER_DEACTIVATION" || f === "PUSH_PROFILE_UPDATES" || f === "IMPORT_NEW_USERS"),
  };
  const created = app.created ? new Date(app.created) : undefined;
  const annotations = [appTrait({ profile, rawSourceType: signOnMode }), v1Identifier(app.id), rawId(app.id)];
  if (!NOT_AN_IDENTITY.has(signOnMode)) annotations.push(appRegistrationTrait(signOnMode === "" ? "okta.app" : `okta.app.${signOnMode.toLowerCase()}`));
  return newResource({
    type: APP_TYPE,
    id: app.id,
    displayName: app.label,
    profile,
    ...(created && !Number.isNaN(created.getTime()) ? { createdAt: created } : {}),
    annotations,
  });
}

export function createAppSyncer(deps: AppSyncerDeps) {
  const filtering = deps.options.filterEmailDomains.length > 0;
  const skipAppGroups = deps.options.skipAppGroups;
  /**
   * A user who has the app only through groups is normally left to those groups' expansion. When
   * every such group is an APP_GROUP that --skip-app-groups leaves out, nothing would show the access,
   * so it becomes a direct grant. Costs one /users/{id}/groups call per such user, only with that flag.
   */
  const onlyThroughSkippedGroups = async (userId: string, kept: readonly string[], ctx: SyncCallContext) => {
    const keptSet = new Set(kept);
    const groups = await groupsOfUser(deps.userGroups, userId, ctx);
    return !groups.some((g) => keptSet.has(g.id));
  };
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
      if (statusFilter && app.status !== statusFilter) return undefined;
      return appResourceOf(app);
    },
    async entitlements(resource) {
      return { items: [accessEntitlementOf(resource)] };
    },
    async grants(resource, cursor, ctx) {
      const appId = oktaIdOf("app", resource.id!, LISTED_RESOURCE_ID_FIELD);
      const entitlement = accessEntitlementOf(resource);
      const { phase, after } = phaseOf(cursor, GRANT_PHASES);
      // With --skip-app-groups the users phase must know which of the app's groups are still synced.
      const kept = keptGroupsOf(cursor);
      if (phase === "groups") {
        const page = await deps.okta.listAppGroups(appId, { after, signal: ctx.signal, expandGroup: skipAppGroups });
        const groups = skipAppGroups ? page.items.filter((g) => embeddedGroupType(g) !== "APP_GROUP") : page.items;
        const items = groups.map((g) => appGroupGrantOf(entitlement, appId, g.id));
        const next = nextPhaseCursor(GRANT_PHASES, phase, page.after);
        return { items, cursor: skipAppGroups && next ? { ...(next as object), kept: [...kept, ...groups.map((g) => g.id)] } : next };
      }
      const page = await deps.okta.listAppUsers(appId, { after, signal: ctx.signal, expandUser: filtering });
      const items = [];
      for (const u of page.items) {
        // The filter decides on the Okta profile, as the user listing does; the app-user profile can differ.
        if (filtering && !keepUser(u._embedded?.user?.profile ?? appUserProfileOf(u.profile, u.credentials?.userName))) continue;
        if (u.scope === "GROUP" && !(skipAppGroups && (await onlyThroughSkippedGroups(u.id, kept, ctx)))) continue;
        items.push(appUserGrantOf(entitlement, appId, u.id));
      }
      const next = nextPhaseCursor(GRANT_PHASES, phase, page.after);
      return { items, cursor: skipAppGroups && next ? { ...(next as object), kept } : next };
    },
    ...createAppProvisioning(deps),
  } satisfies ResourceSyncer;
}

function keptGroupsOf(cursor: Cursor | undefined): readonly string[] {
  const kept = cursor !== null && typeof cursor === "object" && !Array.isArray(cursor) ? (cursor as { kept?: unknown }).kept : undefined;
  return Array.isArray(kept) ? kept.filter((id): id is string => typeof id === "string") : [];
}

function embeddedGroupType(group: OktaAppGroup): string | undefined {
  const embedded = group._embedded?.["group"] as { type?: unknown } | undefined;
  return typeof embedded?.type === "string" ? embedded.type : undefined;
}

/** The app-user profile, when Okta did not embed the user (it should, with expand=user). */
function appUserProfileOf(profile: Record<string, unknown> | undefined, userName: string | undefined) {
  return { email: profile?.["email"], secondEmail: profile?.["secondEmail"], login: profile?.["login"] ?? userName };
}
