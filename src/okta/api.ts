/**
 * All Okta calls a connector makes, grouped by area. Syncers receive only the area they use
 * (`{ okta: api.groups }`), so none of them holds the client or a credential.
 */
import { createOktaAppsApi, type OktaAppsApi } from "./apps.js";
import type { OktaClient } from "./client.js";
import { createOktaGroupsApi, type OktaGroupsApi } from "./groups.js";
import { createOktaRolesApi, type OktaRolesApi } from "./roles.js";
import { createOktaUsersApi, type OktaUsersApi } from "./users.js";

/** The per-area call sets over one client. */
export interface OktaApi {
  users: OktaUsersApi;
  groups: OktaGroupsApi;
  apps: OktaAppsApi;
  roles: OktaRolesApi;
}

/** Builds every area's calls over `client`. */
export function createOktaApi(client: OktaClient): OktaApi {
  return {
    users: createOktaUsersApi(client),
    groups: createOktaGroupsApi(client),
    apps: createOktaAppsApi(client),
    roles: createOktaRolesApi(client),
  };
}
