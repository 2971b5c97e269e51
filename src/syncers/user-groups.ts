import type { OktaGroup, Page, PageOptions } from "../okta/index.js";
import type { SyncCallContext } from "../protocol/resource-syncer.js";

/**
 * `GET /api/v1/users/{id}/groups`, one page. Membership checks and the group-derived app refusal
 * use it: it is one call for a user in up to a few hundred groups, where listing a group's members
 * could be thousands of pages.
 */
export type UserGroupsLister = (userId: string, options: PageOptions) => Promise<Page<OktaGroup>>;

/** Every group of `userId`, following Okta's next links. */
export async function groupsOfUser(list: UserGroupsLister, userId: string, ctx: SyncCallContext & { deadlineMs?: number | undefined }): Promise<OktaGroup[]> {
  const groups: OktaGroup[] = [];
  let after: string | undefined;
  do {
    const page = await list(userId, { after, signal: ctx.signal, deadlineMs: ctx.deadlineMs });
    groups.push(...page.items);
    after = page.after;
  } while (after !== undefined);
  return groups;
}
