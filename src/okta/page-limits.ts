/**
 * The page size each listing asks for: the endpoint's maximum, so a sync makes the fewest calls
 * (okta-api.md §2 and Okta's OpenAPI spec). Okta clamps an over-large `limit` to its own maximum,
 * so a table entry that is too high costs nothing but a smaller page.
 */
export const OKTA_PAGE_LIMITS = {
  /** `GET /api/v1/users`: default 200, documented maximum 200. */
  users: 200,
  /**
   * `GET /api/v1/groups`: the spec's maximum is 10000; legacy docs say 200 "for most orgs". Asking
   * for the spec maximum lets an org that allows it answer in one page.
   */
  groups: 10_000,
  /** `GET /api/v1/groups/{id}/users`: default 1000 (Okta suggests 200 only to avoid timeouts). */
  groupMembers: 1_000,
  /** `GET /api/v1/apps`: maximum 200. */
  apps: 200,
  /** `GET /api/v1/apps/{id}/users`: maximum 500. */
  appUsers: 500,
  /** `GET /api/v1/apps/{id}/groups`: minimum 20, maximum 200. */
  appGroups: 200,
  /** `GET /api/v1/iam/assignees/users`: default 100, no documented maximum. */
  roleAssignees: 100,
  /** `GET /api/v1/iam/resource-sets/{id}/resources`: default 100. */
  resourceSetResources: 100,
} as const;

/** The endpoints with a table entry. */
export type OktaPagedEndpoint = keyof typeof OKTA_PAGE_LIMITS;
