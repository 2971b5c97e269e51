import { probeCapabilities, type OktaCapabilities, type OktaClient } from "../okta/index.js";
import type { CoverageGap, SyncCallContext } from "../protocol/resource-syncer.js";

/** How long a capability probe is trusted before Okta is asked again (admin roles rarely change). */
const PROBE_TTL_MS = 5 * 60 * 1000;

export interface CapabilityState {
  /** The credential's capabilities; probed on first use, then cached. `fresh` forces a new probe. */
  get(ctx: SyncCallContext, options?: { fresh?: boolean }): Promise<OktaCapabilities>;
  /** Why admin roles cannot be read, or undefined when they can. */
  rolesUnreadable(ctx: SyncCallContext): Promise<CoverageGap | undefined>;
}

/**
 * Finds out cheaply what the credential may do (a handful of `limit=1` calls) and remembers it, so
 * every syncer can adapt without asking Okta again. Only successful probes are kept: a probe that
 * failed because Okta was unavailable is retried by the next caller.
 */
export function createCapabilityState(client: OktaClient): CapabilityState {
  let cached: { at: number; value: Promise<OktaCapabilities> } | undefined;
  const get: CapabilityState["get"] = (ctx, options = {}) => {
    if (!cached || options.fresh || Date.now() - cached.at > PROBE_TTL_MS) {
      const entry = { at: Date.now(), value: probeCapabilities(client, { signal: ctx.signal }) };
      cached = entry;
      entry.value.catch(() => {
        if (cached === entry) cached = undefined;
      });
    }
    return cached.value;
  };
  return {
    get,
    async rolesUnreadable(ctx) {
      const report = (await get(ctx)).readRoles;
      if (report.status === "granted") return undefined;
      return {
        scope: "resources",
        reason: "missing-permission",
        detail: `reading admin roles needs the ${report.requiredRole} role in Okta (${report.reason ?? "access denied"})`,
        missingOktaRole: report.requiredRole,
      };
    },
  };
}
