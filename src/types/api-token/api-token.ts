import type { OktaClient } from "../../okta/index.js";
import type { ResourceSyncer } from "../../protocol/resource-syncer.js";
import { afterOf, cursorOf } from "../shared/cursor.js";
import { oktaIdOf } from "../shared/provisioning.js";
import { readOrExplain } from "../shared/get-resource.js";
import { GET_RESOURCE_ID_FIELD } from "../shared/request-fields.js";
import { apiTokenResourceOf } from "./api-token-mappers.js";
import { getApiToken, listApiTokens, probeApiTokens } from "./api-token-okta.js";
import { createListingRefusal } from "../shared/listing-refusal.js";
import { API_TOKEN_TYPE } from "./resource-type.js";

/**
 * Okta API tokens (`/api/v1/api-tokens`, with --sync-secrets) → `api-token` resources, read only, as
 * baton-okta. The owner is named by the SecretTrait, not by a grant: the type has no entitlement, so
 * entitlements and grants cost no Okta call.
 */
export interface ApiTokenSyncerDeps {
  readonly client: OktaClient;
}

export function createApiTokenSyncer(deps: ApiTokenSyncerDeps) {
  const { client } = deps;
  // Okta refuses the listing to an admin whose role does not reach Security > API (an app or group
  // membership admin) and to an OAuth app without okta.apiTokens.read.
  const unreadable = createListingRefusal(
    (options) => probeApiTokens(client, options),
    "listing API tokens needs an admin role that reads them (super or read-only admin) and, for an OAuth app, the okta.apiTokens.read scope (Okta answered 403)",
  );
  return {
    resourceType: API_TOKEN_TYPE,
    async coverageGaps(ctx) {
      const gap = await unreadable(ctx);
      return gap ? [gap] : [];
    },
    async list(_parent, cursor, ctx) {
      if (await unreadable(ctx)) return { items: [] };
      const page = await listApiTokens(client, { after: afterOf(cursor), signal: ctx.signal });
      return { items: page.items.map(apiTokenResourceOf), cursor: cursorOf(page.after) };
    },
    async get(id, _parent, ctx) {
      const tokenId = oktaIdOf("apiToken", id, GET_RESOURCE_ID_FIELD);
      return apiTokenResourceOf(await readOrExplain(id, unreadable, ctx, () => getApiToken(client, tokenId, { signal: ctx.signal })));
    },
    async entitlements() {
      return { items: [] };
    },
    async grants() {
      return { items: [] };
    },
  } satisfies ResourceSyncer;
}
