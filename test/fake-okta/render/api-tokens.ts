import type { ApiTokenRecord } from "../org/types.js";
import { iso, link } from "./json-shapes.js";

/**
 * Renders a token's metadata as Okta's ApiToken. The spec's schema names the links `_link`, but Okta's
 * documented answers (and its own examples) carry `_links` with `self` and the owner as `user`.
 */
export function renderApiToken(token: ApiTokenRecord, base: string): Record<string, unknown> {
  return {
    name: token.name,
    userId: token.userId,
    tokenWindow: token.tokenWindow,
    network: token.network,
    id: token.id,
    clientName: token.clientName,
    expiresAt: iso(token.expiresAt),
    created: iso(token.created),
    lastUpdated: iso(token.lastUpdated),
    _links: {
      self: link(base, `/api/v1/api-tokens/${token.id}`, { hints: { allow: ["GET", "DELETE", "PUT"] } }),
      user: link(base, `/api/v1/users/${token.userId}`, { hints: { allow: ["GET"] } }),
    },
  };
}
