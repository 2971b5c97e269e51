import type { OrgState } from "./state.js";
import { liveUser } from "./state.js";
import type { ApiTokenRecord } from "./types.js";

/** API tokens: read only (the connector never creates or revokes one). */
export interface ApiTokenStore {
  /** The tokens Okta lists: those whose owner is still an ACTIVE user, in creation order. */
  active(): ApiTokenRecord[];
  /** An active token by id. */
  get(id: string): ApiTokenRecord | undefined;
}

/**
 * A token acts as its owner and "tokens issued by deactivated users are rejected" (Okta help: Manage Okta
 * API tokens), so once the owner is deactivated, suspended or deleted the token is no longer an active
 * one and `GET /api/v1/api-tokens` ("the metadata of the active API tokens") leaves it out.
 */
export function createApiTokenStore(state: OrgState): ApiTokenStore {
  const isActive = (token: ApiTokenRecord): boolean => liveUser(state, token.userId)?.status === "ACTIVE";
  return {
    active: () => state.apiTokens.filter(isActive),
    get(id) {
      const token = state.apiTokens.find((t) => t.id === id);
      return token && isActive(token) ? token : undefined;
    },
  };
}
