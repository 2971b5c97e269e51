/**
 * The org itself (`GET /api/v1/org`): its id and names, for connector metadata.
 */
import type { OktaClient } from "./client.js";
import { expectObject } from "./paging.js";
import type { CallOptions, OktaOrg } from "./types.js";

/** Reads the org's settings. Needs an admin allowed to read org settings (403 otherwise). */
export async function getOrg(client: OktaClient, options: CallOptions = {}): Promise<OktaOrg> {
  const response = await client.request<OktaOrg>({ path: "/api/v1/org", ...options });
  return expectObject(response.body, "getOrg");
}
