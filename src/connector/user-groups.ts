import { fetchPage, type OktaClient, type OktaGroup, validateOktaId } from "../okta/index.js";
import type { UserGroupsLister } from "../types/shared/user-groups.js";

/**
 * `GET /api/v1/users/{id}/groups` over the client. The Okta access layer (src/okta/users.ts) has no
 * call for it yet; this is the one place that builds its path, from a validated id.
 */
export function createUserGroupsLister(client: OktaClient): UserGroupsLister {
  return (userId, options) => fetchPage<OktaGroup>(client, `/api/v1/users/${validateOktaId("user", userId)}/groups`, {}, options);
}
