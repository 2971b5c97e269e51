import {
  expectObject,
  fetchPage,
  roleBody,
  validateOktaId,
  type CallOptions,
  type OktaApp,
  type OktaClient,
  type OktaRoleAssignment,
  type Page,
  type PageOptions,
  type RoleToAssign,
} from "../../okta/index.js";

/**
 * The Okta calls of the service-app type: the app listing it finds service apps in, and the admin
 * roles of an OAuth client (`/oauth2/v1/clients/{clientId}/roles`, okta-openapi management.yaml
 * RoleAssignmentClient). Okta has no bulk listing of role-holding clients (`/iam/assignees/users`
 * lists users only), so each service app's roles cost one GET.
 */

/** `GET /api/v1/apps`: maximum 200 (okta-api.md §2). */
export const SERVICE_APP_PAGE_LIMIT = 200;

/** The OAuth parts of an OIDC app's JSON (`credentials.oauthClient`, `settings.oauthClient`). */
export interface OktaOAuthApp extends OktaApp {
  credentials?: { oauthClient?: { client_id?: string; token_endpoint_auth_method?: string; [key: string]: unknown }; [key: string]: unknown };
  settings?: { oauthClient?: { application_type?: string; grant_types?: string[]; [key: string]: unknown }; [key: string]: unknown };
}

export interface ServiceAppOktaApi {
  /**
   * Every app, not filtered by Okta: `filter=name eq "oidc_client"` would miss API service
   * integrations from Okta's catalog, which carry their own names; service apps are picked out by
   * their settings (service-app-mappers.ts). An org has few apps, so this is ⌈apps / 200⌉ calls.
   */
  listApps(options?: PageOptions): Promise<Page<OktaOAuthApp>>;
  /** `GET /api/v1/apps/{appId}`: one app (404 E0000007 when there is none). */
  getApp(appId: string, options?: CallOptions): Promise<OktaOAuthApp>;
  /** The client's own role assignments (assignmentType CLIENT), standard and custom. */
  listClientRoles(clientId: string, options?: PageOptions): Promise<Page<OktaRoleAssignment>>;
  /** 200 with the assignment; a role already held answers 409 E0000090, as for users. */
  assignRoleToClient(clientId: string, role: RoleToAssign, options?: CallOptions): Promise<OktaRoleAssignment>;
  /** Takes the assignment id (`ra…`/`irb…`), not the role type. */
  unassignRoleFromClient(clientId: string, roleAssignmentId: string, options?: CallOptions): Promise<void>;
}

export function createServiceAppOktaApi(client: OktaClient): ServiceAppOktaApi {
  const clientRoles = (clientId: string): string => `/oauth2/v1/clients/${validateOktaId("oauthClient", clientId, "clientId")}/roles`;
  return {
    listApps: (options = {}) => fetchPage<OktaOAuthApp>(client, "/api/v1/apps", {}, { ...options, limit: options.limit ?? SERVICE_APP_PAGE_LIMIT }),
    async getApp(appId, options = {}) {
      const response = await client.request<OktaOAuthApp>({ path: `/api/v1/apps/${validateOktaId("app", appId)}`, ...options });
      return expectObject(response.body, "getApp");
    },
    listClientRoles: (clientId, options = {}) => fetchPage<OktaRoleAssignment>(client, clientRoles(clientId), {}, options),
    async assignRoleToClient(clientId, role, options = {}) {
      // The body is the one users and groups get: `{type}`, or `{type: "CUSTOM", role, "resource-set"}`.
      const response = await client.request<OktaRoleAssignment>({ method: "POST", path: clientRoles(clientId), body: roleBody(role), ...options });
      return expectObject(response.body, "assignRoleToClient");
    },
    async unassignRoleFromClient(clientId, roleAssignmentId, options = {}) {
      await client.request({ method: "DELETE", path: `${clientRoles(clientId)}/${validateOktaId("roleAssignment", roleAssignmentId)}`, ...options });
    },
  };
}
