/**
 * The OAuth token endpoint's answers, as the executor sees them (okta-api.md §6.8).
 *
 * The SDK never checks the token response's status (its oauth.js calls an `errorFilter` that does
 * not exist), so a refused client assertion would be cached as the "token" and API calls would go out
 * with `Authorization: Bearer undefined`. The executor turns a refusal into an OktaError instead, and
 * lets through only the DPoP nonce challenge, which the SDK answers itself.
 */
import { OktaError } from "./errors.js";

/** The org authorization server's token endpoint. */
export const OAUTH_TOKEN_PATH = "/oauth2/v1/token";

/** Okta's first answer to a DPoP token request: 400 `use_dpop_nonce`, which the SDK handles. */
export function isDpopNonceChallenge(body: unknown): boolean {
  return typeof body === "object" && body !== null && (body as { error?: unknown }).error === "use_dpop_nonce";
}

/** A refused token request: `invalid_scope` is a permission problem, the rest authentication. */
export function tokenEndpointError(status: number, body: unknown): OktaError {
  const fields = (typeof body === "object" && body !== null ? body : {}) as { error?: unknown; error_description?: unknown };
  const error = typeof fields.error === "string" ? fields.error : undefined;
  const description = typeof fields.error_description === "string" ? fields.error_description : undefined;
  return new OktaError({
    kind: error === "invalid_scope" ? "forbidden" : "unauthenticated",
    message: `OAuth token request refused: HTTP ${status}${error ? ` ${error}` : ""}${description ? `: ${description}` : ""}`,
    status,
    errorCode: error,
    errorSummary: description,
  });
}
