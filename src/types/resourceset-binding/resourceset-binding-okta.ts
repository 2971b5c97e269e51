/**
 * The resourceset-binding type's own Okta call (its listings are shared in okta/roles.ts). Okta's
 * path takes the custom role's id or label, so the caller checks the id it got back.
 */
import { expectObject, validateOktaId, type CallOptions, type OktaBinding, type OktaClient } from "../../okta/index.js";

/** `GET /api/v1/iam/resource-sets/{resourceSetId}/bindings/{roleId}`: the binding (`{id: roleId}`); 404 when the role is not bound there. */
export async function getBinding(client: OktaClient, resourceSetId: string, customRoleId: string, options: CallOptions = {}): Promise<OktaBinding> {
  const path = `/api/v1/iam/resource-sets/${validateOktaId("resourceSet", resourceSetId)}/bindings/${validateOktaId("customRole", customRoleId)}`;
  const response = await client.request<OktaBinding>({ path, ...options });
  return expectObject(response.body, "getBinding");
}
