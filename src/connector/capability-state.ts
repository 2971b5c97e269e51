import {
  capabilitiesFromReports,
  type CapabilityReport,
  probeCapabilities,
  type OktaCapabilities,
  type OktaClient,
  type WriteCapability,
} from "../okta/index.js";
import type { CoverageGap, SyncCallContext } from "../protocol/resource-syncer.js";

/**
 * How long a capability verdict is trusted before Okta is asked again (admin roles rarely change):
 * the read-only probe's, and one learnt from a real write, so a role granted later is noticed.
 */
const PROBE_TTL_MS = 5 * 60 * 1000;

export interface CapabilityState {
  /**
   * The credential's capabilities: probed with GETs on first use, then cached, with what real
   * writes have proved laid over the probe. `fresh` forces a new probe.
   */
  get(ctx: SyncCallContext, options?: { fresh?: boolean }): Promise<OktaCapabilities>;
  /** Why admin roles cannot be read, or undefined when they can. */
  rolesUnreadable(ctx: SyncCallContext): Promise<CoverageGap | undefined>;
  /** Remembers what a real write's answer proved (write-capabilities.ts `verdictFromWrite`). */
  learn(capability: WriteCapability, report: CapabilityReport): void;
}

/**
 * Finds out cheaply what the credential may do (a handful of `limit=1` GETs, never a write) and
 * remembers it, so every syncer can adapt without asking Okta again. Only successful probes are
 * kept: a probe that failed because Okta was unavailable is retried by the next caller.
 */
export function createCapabilityState(client: OktaClient, now: () => number = Date.now): CapabilityState {
  let cached: { at: number; value: Promise<OktaCapabilities> } | undefined;
  const learned = new Map<WriteCapability, { at: number; report: CapabilityReport }>();

  const probed = (ctx: SyncCallContext, fresh: boolean): Promise<OktaCapabilities> => {
    if (!cached || fresh || now() - cached.at > PROBE_TTL_MS) {
      const entry = { at: now(), value: probeCapabilities(client, { signal: ctx.signal }) };
      cached = entry;
      entry.value.catch(() => {
        if (cached === entry) cached = undefined;
      });
    }
    return cached.value;
  };
  /** A real write's answer is better evidence than any read, until it is older than the TTL. */
  const withLearned = (caps: OktaCapabilities): OktaCapabilities => {
    const reports = { ...caps };
    for (const [capability, entry] of learned) {
      if (now() - entry.at > PROBE_TTL_MS) learned.delete(capability);
      else reports[capability] = entry.report;
    }
    return capabilitiesFromReports(reports, caps.noAdminRole);
  };
  const get: CapabilityState["get"] = async (ctx, options = {}) => withLearned(await probed(ctx, options.fresh === true));

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
    learn(capability, report) {
      learned.set(capability, { at: now(), report });
    },
  };
}
