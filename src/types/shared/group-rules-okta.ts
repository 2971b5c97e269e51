import { fetchPage, OktaError, type CallOptions, type OktaClient, type Page } from "../../okta/index.js";

/**
 * Okta's group rules (`/api/v1/groups/rules`, scope okta.groups.read). Both the `group-rule` type
 * and the `group` type read them (the latter to name the rule behind a membership and to refuse a
 * revoke a rule would undo), so the calls live in shared/ rather than in either folder.
 */

/** Okta's GroupRule, as far as the connector reads it. */
export interface OktaGroupRule {
  readonly id: string;
  readonly name?: string;
  /** ACTIVE, INACTIVE or INVALID (a rule whose groups or attributes no longer exist). */
  readonly status?: string;
  readonly created?: string;
  readonly lastUpdated?: string;
  readonly conditions?: {
    readonly expression?: { readonly value?: string; readonly type?: string };
    readonly people?: { readonly users?: { readonly exclude?: readonly string[] } };
  };
  readonly actions?: { readonly assignUserToGroups?: { readonly groupIds?: readonly string[] } };
  /** With `expand=groupIdToGroupNameMap`: the target groups that exist, by id. */
  readonly _embedded?: { readonly groupIdToGroupNameMap?: Readonly<Record<string, string>> };
}

/** `GET /api/v1/groups/rules`: default 50, maximum 200 (Okta's spec; legacy docs said 300). */
export const GROUP_RULES_PAGE_LIMIT = 200;

/** One page of rules, with each rule's target group names (which also tells which targets still exist). */
export function listGroupRules(client: OktaClient, options: CallOptions & { after?: string | undefined } = {}): Promise<Page<OktaGroupRule>> {
  return fetchPage<OktaGroupRule>(client, "/api/v1/groups/rules", { expand: "groupIdToGroupNameMap" }, { ...options, limit: GROUP_RULES_PAGE_LIMIT });
}

/**
 * `GET /api/v1/groups/rules/{id}?expand=groupIdToGroupNameMap`; Okta's 404 is thrown as not-found.
 * `ruleId` must already be validated ({@link isGroupRuleId}): it goes into the path.
 */
export async function getGroupRule(client: OktaClient, ruleId: string, options: CallOptions = {}): Promise<OktaGroupRule> {
  const response = await client.request<OktaGroupRule>({ path: `/api/v1/groups/rules/${ruleId}`, query: { expand: "groupIdToGroupNameMap" }, ...options });
  const body = response.body;
  if (typeof body !== "object" || body === null || typeof body.id !== "string") {
    throw new OktaError({ kind: "unavailable", message: "getGroupRule: Okta answered without a group rule object" });
  }
  return body;
}

/** Okta rule ids are alphanumeric (`0pr…`), like every other Okta id; nothing else may reach a URL. */
export function isGroupRuleId(value: string): boolean {
  return /^[A-Za-z0-9]{1,64}$/.test(value);
}
