import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import { type AuditEntry, primaryRequestId, type UpstreamCall } from "../audit.js";
import { connectErrorFrom, isKindedError } from "../errors.js";
import { truncateUtf8 } from "../limits.js";
import type { ProvisionCallContext } from "../resource-syncer.js";
import type { ConnectorDefinition } from "./connector-definition.js";

/** The message every provisioning RPC answers while --provisioning is off (FAILED_PRECONDITION). */
export function provisioningOff(): ConnectError {
  return new ConnectError(
    "provisioning is disabled; start okta-connector serve with --provisioning (or BATON_PROVISIONING=true) to allow it",
    Code.FailedPrecondition,
  );
}

/**
 * Time kept back from the RPC deadline so that Okta retries give up (with UNAVAILABLE and a
 * RateLimitDescription) while the caller is still listening, instead of the caller seeing only
 * DEADLINE_EXCEEDED.
 */
const DEADLINE_MARGIN_MS = 1_000;

/** The local epoch ms Okta calls must finish by, or undefined when the RPC has no deadline. */
export function deadlineOf(ctx: HandlerContext): number | undefined {
  const timeoutMs = ctx.timeoutMs();
  if (timeoutMs === undefined) return undefined;
  return Date.now() + timeoutMs - Math.min(DEADLINE_MARGIN_MS, Math.floor(timeoutMs / 10));
}

/** What is known about a call before its request is validated; request strings are shortened for the log. */
export type AuditStart = Omit<AuditEntry, "outcome" | "code" | "error" | "oktaRequestId" | "oktaCalls">;

/** What a provisioning body reports: the response, the audit outcome, and audit facts learnt on the way. */
export interface ProvisioningResult<T> {
  readonly value: T;
  readonly outcome: string;
  readonly resource?: string | undefined;
}

export interface ProvisioningCall {
  /**
   * Refuses the call, before any Okta write, when the credential cannot make it (PERMISSION_DENIED
   * naming the Okta admin role), and remembers the role so a 403 from Okta later names it too.
   */
  requireAccess(resourceTypeId: string, what: string): Promise<void>;
  /**
   * Runs the call: traces its Okta calls, maps failures to ConnectErrors, and writes the one audit
   * entry with the outcome `body` reports (or the failure).
   */
  run<T>(body: (pctx: ProvisionCallContext) => Promise<ProvisioningResult<T>>): Promise<T>;
}

/** One provisioning RPC's plumbing: access check, deadline, trace, error mapping and audit. */
export function startProvisioningCall(def: ConnectorDefinition, ctx: HandlerContext, start: AuditStart): ProvisioningCall {
  let requirement: { role: string; what: string } | undefined;
  const pctx: ProvisionCallContext = { signal: ctx.signal, deadlineMs: deadlineOf(ctx) };

  const fail = (error: unknown): ConnectError => {
    if (ctx.signal.aborted && ctx.signal.reason instanceof ConnectError) return ctx.signal.reason;
    if (requirement && isKindedError(error) && error.kind === "forbidden") {
      return new ConnectError(`${requirement.what} needs the ${requirement.role} role in Okta (${error.message})`, Code.PermissionDenied, undefined, undefined, error);
    }
    return connectErrorFrom(error);
  };

  return {
    async requireAccess(resourceTypeId, what) {
      const access = await def.provisioningAccess?.(resourceTypeId, ctx);
      if (!access) return;
      requirement = { role: access.requiredRole, what };
      if (access.denied !== undefined) {
        throw new ConnectError(`${what} needs the ${access.requiredRole} role in Okta: ${access.denied}`, Code.PermissionDenied);
      }
    },

    async run(body) {
      const traced = def.traceUpstream ? def.traceUpstream(() => body(pctx)) : { result: body(pctx), calls: [] as UpstreamCall[] };
      try {
        const { value, outcome, resource } = await traced.result;
        record({ outcome, ...(resource === undefined ? {} : { resource }) }, traced.calls);
        return value;
      } catch (error) {
        const failure = fail(error);
        record({ outcome: "failed", code: codeName(failure.code), error: failure.rawMessage }, traced.calls);
        throw failure;
      }
    },
  };

  function record(result: Pick<AuditEntry, "outcome" | "code" | "error" | "resource">, calls: readonly UpstreamCall[]): void {
    if (!def.audit) return;
    const oktaCalls = [...calls];
    try {
      def.audit({ ...start, ...result, oktaRequestId: primaryRequestId(oktaCalls), oktaCalls });
    } catch {
      // An audit sink that throws must not turn a finished Okta change into a reported failure.
    }
  }
}

/** A request string as the audit log keeps it: at most 256 bytes, so a hostile request cannot flood the log. */
export function forAudit(value: string | undefined): string | undefined {
  if (value === undefined || value === "") return undefined;
  return truncateUtf8(value, 256);
}

function codeName(code: Code): string {
  const name = Code[code];
  return name === undefined ? String(code) : name.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? c.toLowerCase() : `_${c.toLowerCase()}`));
}
