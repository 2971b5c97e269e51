/**
 * Applications and their user and group assignments.
 *
 * `/apps/{id}/users` lists every user with access, direct (`scope: "USER"`) or through a group
 * (`scope: "GROUP"`); `/apps/{id}/groups` lists the group assignments. Unassigning a user whose
 * access comes from a group fails with 403 E0000046 (kind "group-derived-assignment").
 */
import type { OktaClient } from "./client.js";
import { OktaError } from "./errors.js";
import { validateOktaId } from "./ids.js";
import { OKTA_PAGE_LIMITS } from "./page-limits.js";
import { expectObject, fetchPage } from "./paging.js";
import type { CallOptions, OktaApp, OktaAppGroup, OktaAppUser, Page, PageOptions } from "./types.js";

/** Options of {@link OktaAppsApi.listApps}. */
export interface ListAppsOptions extends PageOptions {
  /** Only apps in this status (`filter=status eq "ACTIVE"`), e.g. for --skip-inactive-apps. */
  status?: "ACTIVE" | "INACTIVE" | undefined;
}

/** The body of a direct user assignment. */
export interface AssignUserToAppInput {
  /** The app username; Okta applies the app's username template when omitted. */
  userName?: string | undefined;
  profile?: Record<string, unknown> | undefined;
}

/** The optional body of a group assignment. */
export interface AssignGroupToAppInput {
  priority?: number | undefined;
  profile?: Record<string, unknown> | undefined;
}

/** App calls. Ids are validated before they reach a URL. */
export interface OktaAppsApi {
  listApps(options?: ListAppsOptions): Promise<Page<OktaApp>>;
  getApp(appId: string, options?: CallOptions): Promise<OktaApp>;
  /**
   * `expandUser` embeds each user's Okta object (`_embedded.user`). Okta drops `expand` from its next
   * links (okta-sdk-nodejs #439), so it is added to every page's request here, not left to the link.
   */
  listAppUsers(appId: string, options?: PageOptions & { expandUser?: boolean }): Promise<Page<OktaAppUser>>;
  /** `expandGroup` embeds each group's object (`_embedded.group`), with its type. */
  listAppGroups(appId: string, options?: PageOptions & { expandGroup?: boolean }): Promise<Page<OktaAppGroup>>;
  /** Throws OktaError kind "not-found" when the user has no access. */
  getAppUser(appId: string, userId: string, options?: CallOptions): Promise<OktaAppUser>;
  /** Throws OktaError kind "not-found" when the group is not assigned. */
  getAppGroup(appId: string, groupId: string, options?: CallOptions): Promise<OktaAppGroup>;
  assignUserToApp(appId: string, userId: string, input?: AssignUserToAppInput, options?: CallOptions): Promise<OktaAppUser>;
  unassignUserFromApp(appId: string, userId: string, options?: CallOptions): Promise<void>;
  assignGroupToApp(appId: string, groupId: string, input?: AssignGroupToAppInput, options?: CallOptions): Promise<OktaAppGroup>;
  unassignGroupFromApp(appId: string, groupId: string, options?: CallOptions): Promise<void>;
}

/** Builds the {@link OktaAppsApi} over a client. */
export function createOktaAppsApi(client: OktaClient): OktaAppsApi {
  const appPath = (appId: string): string => `/api/v1/apps/${validateOktaId("app", appId)}`;
  const appUserPath = (appId: string, userId: string): string => `${appPath(appId)}/users/${validateOktaId("user", userId)}`;
  const appGroupPath = (appId: string, groupId: string): string => `${appPath(appId)}/groups/${validateOktaId("group", groupId)}`;

  return {
    listApps(options = {}) {
      if (options.status !== undefined && options.status !== "ACTIVE" && options.status !== "INACTIVE") {
        throw new OktaError({ kind: "invalid", message: `app status ${JSON.stringify(options.status)} is not ACTIVE or INACTIVE` });
      }
      const filter = options.status === undefined ? undefined : `status eq "${options.status}"`;
      return fetchPage<OktaApp>(client, "/api/v1/apps", { filter }, { ...options, limit: options.limit ?? OKTA_PAGE_LIMITS.apps });
    },

    async getApp(appId, options = {}) {
      const response = await client.request<OktaApp>({ path: appPath(appId), ...options });
      return expectObject(response.body, "getApp");
    },

    listAppUsers(appId, options = {}) {
      const { expandUser, ...rest } = options;
      return fetchPage<OktaAppUser>(client, `${appPath(appId)}/users`, expandUser ? { expand: "user" } : {}, {
        ...rest,
        limit: options.limit ?? OKTA_PAGE_LIMITS.appUsers,
      });
    },

    listAppGroups(appId, options = {}) {
      const { expandGroup, ...rest } = options;
      return fetchPage<OktaAppGroup>(client, `${appPath(appId)}/groups`, expandGroup ? { expand: "group" } : {}, {
        ...rest,
        limit: options.limit ?? OKTA_PAGE_LIMITS.appGroups,
      });
    },

    async getAppUser(appId, userId, options = {}) {
      const response = await client.request<OktaAppUser>({ path: appUserPath(appId, userId), ...options });
      return expectObject(response.body, "getAppUser");
    },

    async getAppGroup(appId, groupId, options = {}) {
      const response = await client.request<OktaAppGroup>({ path: appGroupPath(appId, groupId), ...options });
      return expectObject(response.body, "getAppGroup");
    },

    async assignUserToApp(appId, userId, input = {}, options = {}) {
      const body = {
        id: validateOktaId("user", userId),
        scope: "USER",
        ...(input.userName === undefined ? {} : { credentials: { userName: input.userName } }),
        ...(input.profile === undefined ? {} : { profile: input.profile }),
      };
      const response = await client.request<OktaAppUser>({ method: "POST", path: `${appPath(appId)}/users`, body, ...options });
      return expectObject(response.body, "assignUserToApp");
    },

    async unassignUserFromApp(appId, userId, options = {}) {
      await client.request({ method: "DELETE", path: appUserPath(appId, userId), query: { sendEmail: false }, ...options });
    },

    async assignGroupToApp(appId, groupId, input = {}, options = {}) {
      const body = input.priority === undefined && input.profile === undefined ? undefined : input;
      const response = await client.request<OktaAppGroup>({ method: "PUT", path: appGroupPath(appId, groupId), body, ...options });
      return expectObject(response.body, "assignGroupToApp");
    },

    async unassignGroupFromApp(appId, groupId, options = {}) {
      await client.request({ method: "DELETE", path: appGroupPath(appId, groupId), ...options });
    },
  };
}
