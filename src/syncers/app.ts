import type { JsonObject } from "@bufbuild/protobuf";
import type { SyncOptions } from "../config/config.js";
import type { OktaApp, OktaAppsApi } from "../okta/index.js";
import { grantExpandable, rawId, v1Identifier } from "../protocol/annotations.js";
import { newAssignmentEntitlement, newGrant, newResource, resourceId } from "../protocol/builders.js";
import { entitlementId } from "../protocol/ids.js";
import type { ResourceSyncer } from "../protocol/resource-syncer.js";
import { appRegistrationTrait, appTrait } from "../protocol/traits.js";
import type { Resource } from "../../gen/c1/connector/v2/resource_pb.js";
import { nextPhaseCursor, phaseOf } from "./cursor.js";
import { createEmailFilter } from "./email-filter.js";
import { MEMBER_SLUG } from "./group.js";
import { APP_TYPE, GROUP_TYPE, USER_TYPE } from "./resource-types.js";

/**
 * Okta apps → `app` resources with one `access` entitlement. Grants are the group assignments
 * (expandable to the group's members) and the direct user assignments. A user whose access comes only
 * through a group (`scope: GROUP`) is left to the group's expansion rather than emitted again as a
 * direct grant, so the engine keeps the source of the access (baton-okta loses it).
 */
export interface AppSyncerDeps {
  readonly okta: Pick<OktaAppsApi, "listApps" | "getApp" | "listAppUsers" | "listAppGroups">;
  readonly options: SyncOptions;
}

export const ACCESS_SLUG = "access";
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

export function accessEntitlementOf(resource: Resource) {
  const label = resource.displayName;
  return newAssignmentEntitlement(resource, {
    slug: ACCESS_SLUG,
    displayName: `${label} App Access`,
    description: `Has access to the ${label} app in Okta`,
    grantableTo: [USER_TYPE, GROUP_TYPE],
    annotations: [v1Identifier(`membership:${resource.id!.resource}`)],
  });
}

export function createAppSyncer(deps: AppSyncerDeps) {
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
      const app = await deps.okta.getApp(id.resource, { signal: ctx.signal });
      if (statusFilter && app.status !== statusFilter) return undefined;
      return appResourceOf(app);
    },
    async entitlements(resource) {
      return { items: [accessEntitlementOf(resource)] };
    },
    async grants(resource, cursor, ctx) {
      const appId = resource.id!.resource;
      const entitlement = accessEntitlementOf(resource);
      const { phase, after } = phaseOf(cursor, GRANT_PHASES);
      if (phase === "groups") {
        const page = await deps.okta.listAppGroups(appId, { after, signal: ctx.signal });
        const items = page.items.map((g) =>
          newGrant(entitlement, resourceId(GROUP_TYPE.id, g.id), [
            grantExpandable([entitlementId(GROUP_TYPE.id, g.id, MEMBER_SLUG)]),
            v1Identifier(`grant:membership:${appId}:${g.id}`),
          ]),
        );
        return { items, cursor: nextPhaseCursor(GRANT_PHASES, phase, page.after) };
      }
      const page = await deps.okta.listAppUsers(appId, { after, signal: ctx.signal });
      const items = page.items
        .filter((u) => u.scope !== "GROUP" && keepUser(appUserProfileOf(u.profile, u.credentials?.userName)))
        .map((u) => newGrant(entitlement, resourceId(USER_TYPE.id, u.id), [v1Identifier(`grant:membership:${appId}:${u.id}`)]));
      return { items, cursor: nextPhaseCursor(GRANT_PHASES, phase, page.after) };
    },
  } satisfies ResourceSyncer;
}

/** baton-okta filters app users on the app-user profile, whose email can differ from the Okta profile. */
function appUserProfileOf(profile: Record<string, unknown> | undefined, userName: string | undefined) {
  return { email: profile?.["email"], secondEmail: profile?.["secondEmail"], login: profile?.["login"] ?? userName };
}
