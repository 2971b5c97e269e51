import type { OktaGroup, Page, PageOptions } from "../../okta/index.js";
import type { SyncCallContext } from "../../protocol/resource-syncer.js";
import { allPages } from "./cursor.js";

/**
 * `GET /api/v1/users/{id}/groups`, one page. Membership checks and the group-derived app refusal
 * use it: it is one call for a user in up to a few hundred groups, where listing a group's members
 * could be thousands of pages.
 */
export type UserGroupsLister = (userId: string, options: PageOptions) => Promise<Page<OktaGroup>>;

/** Every group of `userId`, following Okta's next links. */
export async function groupsOfUser(list: UserGroupsLister, userId: string, ctx: SyncCallContext & { deadlineMs?: number | undefined }): Promise<OktaGroup[]> {
  return allPages(`GET /api/v1/users/${userId}/groups`, (after) => list(userId, { after, signal: ctx.signal, deadlineMs: ctx.deadlineMs }));
}
