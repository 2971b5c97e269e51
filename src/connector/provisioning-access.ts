import { describeMissingCapability, WRITE_CAPABILITIES, type WriteCapability } from "../okta/index.js";
import type { ProvisioningAccess, SyncCallContext } from "../protocol/index.js";
import type { CapabilityState } from "./capability-state.js";

/** The write capability each type's provisioning needs, as its descriptor declares it (src/types/). */
export type WriteNeedOf = (resourceTypeId: string) => string | undefined;

/** The write capability a type's provisioning needs; asking for a type that declares none is a bug. */
function writeCapabilityOf(writeNeedOf: WriteNeedOf, resourceTypeId: string): WriteCapability {
  const capability = writeNeedOf(resourceTypeId);
  if (capability === undefined || !(WRITE_CAPABILITIES as readonly string[]).includes(capability)) {
    throw new Error(`no write capability is declared for resource type ${resourceTypeId}`);
  }
  return capability as WriteCapability;
}

/**
 * ConnectorDefinition.provisioningAccess over the capability state. A call is refused before Okta
 * sees it only when reads prove the write missing (no admin role, an OAuth token without the
 * `*.manage` scope, no Super Administrator for role and user writes). A 403 learnt from an earlier
 * write does not refuse the next call: a Group or App Administrator may be scoped to some groups or
 * apps, so Okta, which knows the scope, decides each target. "Unknown" lets the call go too.
 */
export function createProvisioningAccess(capabilities: CapabilityState, authKind: "ssws" | "oauth", writeNeedOf: WriteNeedOf) {
  return async (resourceTypeId: string, ctx: SyncCallContext): Promise<ProvisioningAccess> => {
    const report = (await capabilities.get(ctx))[writeCapabilityOf(writeNeedOf, resourceTypeId)];
    const provenByReads = report.status === "missing" && report.learnedFromWrite !== true;
    return provenByReads ? { requiredRole: report.requiredRole, denied: describeMissingCapability(report, authKind) } : { requiredRole: report.requiredRole };
  };
}

/** What GetMetadata's profile says of each write capability, so an engine can tell proven from untried. */
export async function writeAccessProfile(capabilities: CapabilityState, ctx: SyncCallContext): Promise<Record<string, { status: string; required_role: string; reason: string }>> {
  const caps = await capabilities.get(ctx);
  return Object.fromEntries(
    WRITE_CAPABILITIES.map((capability) => {
      const report = caps[capability];
      return [capability, { status: report.status, required_role: report.requiredRole, reason: report.reason ?? "" }];
    }),
  );
}

/**
 * MetadataSource.isWriteWithheld over the capability state: a type's provisioning is not advertised
 * on any evidence that its write is missing, a refused write included (unlike provisioningAccess, which
 * lets Okta decide the next call), because the engine should not plan on it. "Unknown" is advertised.
 */
export function createWriteWithheld(capabilities: CapabilityState, writeNeedOf: WriteNeedOf) {
  return async (resourceTypeId: string, ctx: SyncCallContext): Promise<boolean> =>
    (await capabilities.get(ctx))[writeCapabilityOf(writeNeedOf, resourceTypeId)].status === "missing";
}
