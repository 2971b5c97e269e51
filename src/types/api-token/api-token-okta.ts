/**
 * Okta's API token metadata (`/api/v1/api-tokens`, scope okta.apiTokens.read), in Okta's "all other
 * /api/v1" rate-limit bucket. The answer never holds a token's value: Okta shows it once, at creation.
 */
import type { CallOptions, OktaClient, Page, PageOptions } from "../../okta/index.js";
import { expectObject, fetchPage, validateOktaId } from "../../okta/index.js";

/** An ApiToken as Okta serves it; every field optional, since a missing one must not break a sync. */
export interface OktaApiToken {
  id: string;
  name?: string;
  /** The admin who created it, as whom it acts. */
  userId?: string;
  /** "Okta API" for a console token; an agent's token names the agent. */
  clientName?: string;
  created?: string;
  lastUpdated?: string;
  expiresAt?: string;
  /** ISO 8601 idle window (`P30D`). */
  tokenWindow?: string;
  network?: { connection?: string; include?: string[]; exclude?: string[] };
}

/**
 * The listing's page maximum. Okta's API reference documents `limit` 1–200 (default 20) and `after`;
 * the 2026.06 OpenAPI spec declares no parameters, and Okta ignores ones it does not know, so asking
 * for 200 costs nothing where paging went away and saves nine calls in ten where it did not.
 */
export const API_TOKEN_PAGE_LIMIT = 200;

const PATH = "/api/v1/api-tokens";

/** `GET /api/v1/api-tokens`: one page of token metadata, paged by the Link header. */
export function listApiTokens(client: OktaClient, options: PageOptions = {}): Promise<Page<OktaApiToken>> {
  return fetchPage<OktaApiToken>(client, PATH, {}, { ...options, limit: options.limit ?? API_TOKEN_PAGE_LIMIT });
}

/** `GET /api/v1/api-tokens?limit=1`: whether the credential may list tokens (throws Okta's 403). */
export async function probeApiTokens(client: OktaClient, options: PageOptions = {}): Promise<void> {
  await fetchPage<OktaApiToken>(client, PATH, {}, { ...options, limit: 1 });
}

/** `GET /api/v1/api-tokens/{id}`: one token's metadata (404 once its owner is no longer active). */
export async function getApiToken(client: OktaClient, tokenId: string, options: CallOptions = {}): Promise<OktaApiToken> {
  const response = await client.request<OktaApiToken>({ path: `${PATH}/${validateOktaId("apiToken", tokenId)}`, ...options });
  return expectObject(response.body, "getApiToken");
}
