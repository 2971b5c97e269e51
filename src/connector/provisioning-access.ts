import { Capability } from "../../gen/c1/connector/v2/connector_pb.js";
import { describeMissingCapability, WRITE_CAPABILITIES, type WriteCapability } from "../okta/index.js";
import type { ProvisioningAccess, ResourceSyncer, SyncCallContext } from "../protocol/index.js";
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
 * The provisioning capabilities GetMetadata advertises: nothing unless --provisioning is on, and per
 * type what the credential can do or may do: a write whose capability is "unknown" is advertised,
 * because a Grant will be attempted and Okta decides (the profile's `write_access` says it is
 * unproven); one known to be missing is not. PROVISION where a syncer grants, ACCOUNT_PROVISIONING and
 * RESOURCE_DELETE where it creates and deletes accounts, and ACTIONS for the connector.
 */
export async function provisioningCapabilities(
  syncers: readonly ResourceSyncer[],
  writeNeedOf: WriteNeedOf,
  capabilities: CapabilityState,
  ctx: SyncCallContext,
): Promise<{ byType: Map<string, Capability[]>; connector: Capability[] }> {
  const byType = new Map<string, Capability[]>();
  const connector = new Set<Capability>();
  const credential = await capabilities.get(ctx);
  for (const syncer of syncers) {
    const type = syncer.resourceType.id;
    // A type that writes nothing declares no write need (the registry checks it) and offers nothing.
    if (writeNeedOf(type) === undefined) {
      byType.set(type, []);
      continue;
    }
    // Withheld on any evidence of "missing", a refused write included: the engine should not plan on it.
    if (credential[writeCapabilityOf(writeNeedOf, type)].status === "missing") continue;
    const caps: Capability[] = [];
    if (syncer.grant && syncer.revoke) caps.push(Capability.PROVISION);
    if (syncer.createAccount) caps.push(Capability.ACCOUNT_PROVISIONING);
    if (syncer.delete) caps.push(Capability.RESOURCE_DELETE);
    for (const cap of caps) connector.add(cap);
    if ((syncer.actions ?? []).length > 0) connector.add(Capability.ACTIONS);
    byType.set(type, caps);
  }
  return { byType, connector: [...connector].sort((a, b) => a - b) };
}
