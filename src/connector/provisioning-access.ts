import { Capability } from "../../gen/c1/connector/v2/connector_pb.js";
import { describeMissingCapability, WRITE_CAPABILITIES, type WriteCapability } from "../okta/index.js";
import type { ProvisioningAccess, ResourceSyncer, SyncCallContext } from "../protocol/index.js";
import type { CapabilityState } from "./capability-state.js";

/**
 * Which write capability each resource type's provisioning needs (okta/write-capabilities.ts).
 *
 * - Memberships need a group-membership write, app assignments an app-assignment write.
 * - Admin roles, custom roles and resource-set bindings are role writes; account creation, deletion
 *   and the lifecycle actions are user writes. Both need a Super Administrator in our model, which
 *   reading roles tells apart (an Org Administrator without role access is therefore not offered
 *   account provisioning, which errs on the safe side; Okta would refuse what it cannot do anyway).
 */
const CAPABILITY_OF_TYPE: Readonly<Record<string, WriteCapability>> = {
  group: "writeGroups",
  app: "writeApps",
  role: "writeRoles",
  "custom-role": "writeRoles",
  "resource-set": "writeRoles",
  "resourceset-binding": "writeRoles",
  user: "writeUsers",
};

/** The write capability a type's provisioning needs; a type missing from the table is a start-up bug. */
function capabilityOfType(resourceTypeId: string): WriteCapability {
  const capability = CAPABILITY_OF_TYPE[resourceTypeId];
  if (capability === undefined) throw new Error(`no write capability is declared for resource type ${resourceTypeId}`);
  return capability;
}

/**
 * ConnectorDefinition.provisioningAccess over the capability state. A call is refused before Okta
 * sees it only when reads prove the write missing (no admin role, an OAuth token without the
 * `*.manage` scope, no Super Administrator for role and user writes). A 403 learnt from an earlier
 * write does not refuse the next call: a Group or App Administrator may be scoped to some groups or
 * apps, so Okta, which knows the scope, decides each target. "Unknown" lets the call go too.
 */
export function createProvisioningAccess(capabilities: CapabilityState, authKind: "ssws" | "oauth") {
  return async (resourceTypeId: string, ctx: SyncCallContext): Promise<ProvisioningAccess> => {
    const report = (await capabilities.get(ctx))[capabilityOfType(resourceTypeId)];
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
  capabilities: CapabilityState,
  ctx: SyncCallContext,
): Promise<{ byType: Map<string, Capability[]>; connector: Capability[] }> {
  const byType = new Map<string, Capability[]>();
  const connector = new Set<Capability>();
  const credential = await capabilities.get(ctx);
  for (const syncer of syncers) {
    const type = syncer.resourceType.id;
    // Withheld on any evidence of "missing", a refused write included: the engine should not plan on it.
    if (credential[capabilityOfType(type)].status === "missing") continue;
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
