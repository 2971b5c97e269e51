/**
 * The audit record of one provisioning call. The protocol layer writes exactly one per Grant, Revoke,
 * CreateAccount, DeleteResource and InvokeAction, whatever the outcome, through
 * ConnectorDefinition.audit. Entries hold ids, outcomes and Okta request ids: never a password, token
 * or profile.
 */

/** One Okta call made on behalf of a provisioning operation. */
export interface UpstreamCall {
  readonly method: string;
  /** The path without the query: ids only, never a credential. */
  readonly path: string;
  /** The HTTP status; 0 when no answer came (a reset or a timeout). */
  readonly status: number;
  /** Okta's `X-Okta-Request-Id`, which Okta support asks for. */
  readonly requestId?: string | undefined;
}

export type AuditOperation = "grant" | "revoke" | "create_account" | "delete_resource" | "invoke_action";

export interface AuditEntry {
  readonly operation: AuditOperation;
  readonly resourceType: string;
  readonly entitlementId?: string | undefined;
  readonly grantId?: string | undefined;
  /** `type:id` of the principal of a grant or revoke. */
  readonly principal?: string | undefined;
  /** `type:id` of the resource deleted or created. */
  readonly resource?: string | undefined;
  readonly action?: string | undefined;
  /** Non-secret action arguments (schema fields not marked secret). */
  readonly arguments?: Readonly<Record<string, string>> | undefined;
  /** `granted`, `already_exists`, `revoked`, `already_revoked`, `created`, `deleted`, … or `failed`. */
  readonly outcome: string;
  /** The gRPC code name of a failure (`permission_denied`). */
  readonly code?: string | undefined;
  /** The failure message the caller got (already free of secrets). */
  readonly error?: string | undefined;
  /** The request id of the last Okta write, else of the last Okta call. */
  readonly oktaRequestId?: string | undefined;
  readonly oktaCalls: readonly UpstreamCall[];
}

/** The id of the write that mattered: the last non-GET call's, else the last call's. */
export function primaryRequestId(calls: readonly UpstreamCall[]): string | undefined {
  const withId = calls.filter((c) => c.requestId !== undefined);
  const writes = withId.filter((c) => c.method !== "GET");
  return (writes.at(-1) ?? withId.at(-1))?.requestId;
}
