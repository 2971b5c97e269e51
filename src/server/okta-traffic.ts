/**
 * What the Okta layer reports about its HTTP traffic (okta/executor.ts `OktaRequestObserver`), restated
 * here because server/ must not import okta/. The composition root hands these observers to
 * `createOktaClient`, and the type checker confirms there that the two shapes agree.
 */

/** One attempt as it is sent: no header, no body, no query. */
export interface OktaAttemptSeen {
  /** The rate-limit bucket, e.g. `/api/v1/users` or `GET /api/v1/users/{id}`. */
  readonly bucket: string;
  readonly method: string;
  /** The URL path, with Okta ids in it and nothing else. */
  readonly path: string;
  /** 0 for the first attempt; n for the nth retry. */
  readonly attempt: number;
}

/** How it ended. */
export interface OktaAttemptEnd {
  readonly status?: number | undefined;
  readonly failure?: "timeout" | "network" | "malformed-body" | "cancelled" | undefined;
  readonly rateLimit?: { readonly limit: number; readonly remaining: number; readonly resetAt: Date } | undefined;
  readonly requestId?: string | undefined;
}

/** An observer of Okta traffic: metrics and tracing each provide one. */
export interface OktaTrafficObserver {
  attempt?(info: OktaAttemptSeen): ((outcome: OktaAttemptEnd) => void) | undefined;
  paced?(info: { readonly bucket: string; readonly delayMs: number }): void;
}
