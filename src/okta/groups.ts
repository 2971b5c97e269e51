/**
 * Groups and their members.
 *
 * Membership writes answer 204 both when something changed and when nothing did (PUT of a member,
 * DELETE of a non-member), so they are idempotent. Okta refuses them on APP_GROUP and BUILT_IN
 * groups with 403 E0000006, even for a super admin (okta-api.md §1.2).
 */
import type { OktaClient } from "./client.js";
import { validateOktaId } from "./ids.js";
import { OKTA_PAGE_LIMITS } from "./page-limits.js";
import { expectObject, fetchPage } from "./paging.js";
import { OMIT_CREDENTIALS_CONTENT_TYPE } from "./users.js";
import type { CallOptions, OktaGroup, OktaUser, Page, PageOptions } from "./types.js";

/** Options of {@link OktaGroupsApi.listGroups}. */
export interface ListGroupsOptions extends PageOptions {
  /**
   * Ask for `_embedded.stats` (usersCount, appsCount). Default true: the counts let a sync skip
   * member listings of empty groups.
   */
  expandStats?: boolean | undefined;
  search?: string | undefined;
  filter?: string | undefined;
}

/** Group calls. Ids are validated before they reach a URL. */
export interface OktaGroupsApi {
  listGroups(options?: ListGroupsOptions): Promise<Page<OktaGroup>>;
  getGroup(groupId: string, options?: CallOptions & { expandStats?: boolean }): Promise<OktaGroup>;
  listGroupMembers(groupId: string, options?: PageOptions): Promise<Page<OktaUser>>;
  addGroupMember(groupId: string, userId: string, options?: CallOptions): Promise<void>;
  removeGroupMember(groupId: string, userId: string, options?: CallOptions): Promise<void>;
}

/** Builds the {@link OktaGroupsApi} over a client. */
export function createOktaGroupsApi(client: OktaClient): OktaGroupsApi {
  const groupPath = (groupId: string): string => `/api/v1/groups/${validateOktaId("group", groupId)}`;
  const memberPath = (groupId: string, userId: string): string =>
    `${groupPath(groupId)}/users/${validateOktaId("user", userId)}`;

  return {
    listGroups(options = {}) {
      const expand = options.expandStats === false ? undefined : "stats";
      return fetchPage<OktaGroup>(client, "/api/v1/groups", { expand, search: options.search, filter: options.filter }, {
        ...options,
        limit: options.limit ?? OKTA_PAGE_LIMITS.groups,
      });
    },

    async getGroup(groupId, { expandStats = true, ...options } = {}) {
      const response = await client.request<OktaGroup>({
        path: groupPath(groupId),
        query: { expand: expandStats ? "stats" : undefined },
        ...options,
      });
      return expectObject(response.body, "getGroup");
    },

    listGroupMembers(groupId, options = {}) {
      return fetchPage<OktaUser>(client, `${groupPath(groupId)}/users`, {}, {
        ...options,
        limit: options.limit ?? OKTA_PAGE_LIMITS.groupMembers,
        headers: { "Content-Type": OMIT_CREDENTIALS_CONTENT_TYPE },
      });
    },

    async addGroupMember(groupId, userId, options = {}) {
      await client.request({ method: "PUT", path: memberPath(groupId, userId), ...options });
    },

    async removeGroupMember(groupId, userId, options = {}) {
      await client.request({ method: "DELETE", path: memberPath(groupId, userId), ...options });
    },
  };
}
