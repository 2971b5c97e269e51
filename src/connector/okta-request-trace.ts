import { AsyncLocalStorage } from "node:async_hooks";
import { isOktaError, type OktaClient, type OktaRequest, type OktaResponse } from "../okta/index.js";
import type { UpstreamCall } from "../protocol/audit.js";

/**
 * Records the Okta calls a provisioning operation makes, for its audit line: method, path (ids, never
 * a query or a credential), status and Okta's `X-Okta-Request-Id`. The Okta API functions return
 * bodies only, so the ids are collected where every call passes, the client, and handed to the
 * operation that caused them through AsyncLocalStorage.
 */
export interface OktaRequestTrace {
  /** The client to build the Okta API on; calls made inside {@link OktaRequestTrace.run} are recorded. */
  readonly client: OktaClient;
  run<T>(operation: () => Promise<T>): { readonly result: Promise<T>; readonly calls: readonly UpstreamCall[] };
}

export function createOktaRequestTrace(inner: OktaClient): OktaRequestTrace {
  const storage = new AsyncLocalStorage<UpstreamCall[]>();
  const client: OktaClient = {
    orgUrl: inner.orgUrl,
    authKind: inner.authKind,
    stats: () => inner.stats(),
    grantedScopes: () => inner.grantedScopes(),
    async request<T>(call: OktaRequest): Promise<OktaResponse<T>> {
      const calls = storage.getStore();
      const method = call.method ?? "GET";
      try {
        const response = await inner.request<T>(call);
        calls?.push({ method, path: call.path, status: response.status, requestId: response.headers.get("x-okta-request-id") ?? undefined });
        return response;
      } catch (error) {
        calls?.push({ method, path: call.path, status: isOktaError(error) ? (error.status ?? 0) : 0, requestId: isOktaError(error) ? error.requestId : undefined });
        throw error;
      }
    },
  };
  return {
    client,
    run(operation) {
      const calls: UpstreamCall[] = [];
      return { result: storage.run(calls, operation), calls };
    },
  };
}
