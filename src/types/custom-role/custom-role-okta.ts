/**
 * The custom-role type's own Okta call (its listing is shared in okta/roles.ts). Okta's path takes
 * an id or a label (`/api/v1/iam/roles/{roleIdOrLabel}`), so the caller checks the id it got back.
 */
import { expectObject, validateOktaId, type CallOptions, type OktaClient, type OktaCustomRole } from "../../okta/index.js";

/** `GET /api/v1/iam/roles/{roleId}`: one custom role; 404 E0000007 when there is none. */
export async function getCustomRole(client: OktaClient, roleId: string, options: CallOptions = {}): Promise<OktaCustomRole> {
  const response = await client.request<OktaCustomRole>({ path: `/api/v1/iam/roles/${validateOktaId("customRole", roleId)}`, ...options });
  return expectObject(response.body, "getCustomRole");
}
