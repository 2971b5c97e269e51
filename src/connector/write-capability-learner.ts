import { isOktaError, type OktaClient, type OktaRequest, type OktaResponse, verdictFromWrite, writeCapabilityOf } from "../okta/index.js";
import type { CapabilityState } from "./capability-state.js";

/**
 * Wraps the client the syncers write through, so that the first real write's answer settles a write
 * capability no read could (okta/write-capabilities.ts): after a 403 E0000006 GetMetadata stops
 * advertising that provisioning, and after a 2xx it advertises it as proven. Later calls still go to
 * Okta (provisioning-access.ts says why).
 */
export function createWriteCapabilityLearner(inner: OktaClient, capabilities: Pick<CapabilityState, "learn">): OktaClient {
  return {
    orgUrl: inner.orgUrl,
    authKind: inner.authKind,
    stats: () => inner.stats(),
    grantedScopes: () => inner.grantedScopes(),
    async request<T>(call: OktaRequest): Promise<OktaResponse<T>> {
      const method = call.method ?? "GET";
      const capability = writeCapabilityOf(method, call.path);
      if (capability === undefined) return inner.request<T>(call);
      const where = `${method} ${call.path}`;
      try {
        const response = await inner.request<T>(call);
        const verdict = verdictFromWrite(capability, { status: response.status }, where);
        if (verdict) capabilities.learn(capability, verdict);
        return response;
      } catch (error) {
        if (isOktaError(error) && error.status !== undefined) {
          const verdict = verdictFromWrite(capability, { status: error.status, errorCode: error.errorCode }, where);
          if (verdict) capabilities.learn(capability, verdict);
        }
        throw error;
      }
    },
  };
}
