/**
 * The user type's own Okta call beyond okta/'s users API: a user's enrolled MFA factors
 * (`GET /api/v1/users/{id}/factors`, scope okta.users.read, which the connector already asks for).
 * Okta has no bulk endpoint for factors, so it is one call per user, counted in the "all other
 * /api/v1" rate-limit bucket (okta/buckets.ts: a sub-resource of a user), and it is not paged.
 */
import { OktaError, validateOktaId, type OktaClient } from "../../okta/index.js";
import type { OktaFactorSummary } from "./user-posture.js";

/** A factor as Okta lists it (UserFactor); only `factorType` and `status` are read. */
export interface OktaUserFactor extends OktaFactorSummary {
  readonly id?: string;
  readonly provider?: string | null;
  readonly [key: string]: unknown;
}

export interface ListFactorsOptions {
  readonly signal?: AbortSignal | undefined;
  /** Share of the bucket left to others (see okta/pacing.ts leaveForOthersDelayMs). */
  readonly leaveForOthers?: number | undefined;
}

export async function listUserFactors(client: OktaClient, userId: string, options: ListFactorsOptions = {}): Promise<OktaUserFactor[]> {
  const path = `/api/v1/users/${validateOktaId("user", userId)}/factors`;
  const response = await client.request<unknown>({ path, signal: options.signal, leaveForOthers: options.leaveForOthers });
  if (!Array.isArray(response.body)) throw new OktaError({ kind: "unavailable", message: `${path} answered something other than a JSON array` });
  return response.body as OktaUserFactor[];
}
