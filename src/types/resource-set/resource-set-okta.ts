/**
 * The resource-set type's own Okta call (its listing is shared in okta/roles.ts). Okta's path takes
 * an id or a label (`/api/v1/iam/resource-sets/{resourceSetIdOrLabel}`), so the caller checks the id.
 */
import { expectObject, validateOktaId, type CallOptions, type OktaClient, type OktaResourceSet } from "../../okta/index.js";

/** `GET /api/v1/iam/resource-sets/{resourceSetId}`: one resource set; 404 E0000007 when there is none. */
export async function getResourceSet(client: OktaClient, resourceSetId: string, options: CallOptions = {}): Promise<OktaResourceSet> {
  const response = await client.request<OktaResourceSet>({ path: `/api/v1/iam/resource-sets/${validateOktaId("resourceSet", resourceSetId)}`, ...options });
  return expectObject(response.body, "getResourceSet");
}
