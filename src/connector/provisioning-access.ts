import { Capability } from "../../gen/c1/connector/v2/connector_pb.js";
import { describeMissingCapability, type OktaCapability } from "../okta/index.js";
import type { ProvisioningAccess, ResourceSyncer, SyncCallContext } from "../protocol/index.js";
import type { CapabilityState } from "./capability-state.js";

/**
 * Which probed capability each resource type's provisioning needs (okta/capabilities.ts).
 *
 * - Memberships need a group-membership write, app assignments an app-assignment write: both are
 *   probed with a harmless DELETE.
 * - Admin roles can only be assigned by a Super Administrator, and reading roles is the probe that
 *   tells one apart.
 * - User lifecycle (create, delete, enable, disable) is not probed separately: in practice the
 *   credentials that may do it are super admins (the simulated org allows only those), so the same
 *   probe gates it. An Org Administrator without role access is therefore not offered account
 *   provisioning, which errs on the safe side; Okta would refuse any call a credential cannot make.
 */
const CAPABILITY_OF_TYPE: Readonly<Record<string, OktaCapability>> = {
  group: "writeGroups",
  app: "writeApps",
  role: "readRoles",
  "custom-role": "readRoles",
  "resource-set": "readRoles",
  "resourceset-binding": "readRoles",
  user: "readRoles",
};

/** ConnectorDefinition.provisioningAccess over the cached capability probe. */
export function createProvisioningAccess(capabilities: CapabilityState, authKind: "ssws" | "oauth") {
  return async (resourceTypeId: string, ctx: SyncCallContext): Promise<ProvisioningAccess> => {
    const capability = CAPABILITY_OF_TYPE[resourceTypeId] ?? "readRoles";
    const report = (await capabilities.get(ctx))[capability];
    // "unknown" (the probe got an answer that proves nothing) is treated as missing: no write is
    // attempted on a guess.
    return report.status === "granted" ? { requiredRole: report.requiredRole } : { requiredRole: report.requiredRole, denied: describeMissingCapability(report, authKind) };
  };
}

/**
 * The provisioning capabilities GetMetadata advertises: nothing unless --provisioning is on, and per
 * type only what the credential can do. PROVISION where a syncer grants, ACCOUNT_PROVISIONING and
 * RESOURCE_DELETE where it creates and deletes accounts, and ACTIONS for the connector.
 */
export async function provisioningCapabilities(
  syncers: readonly ResourceSyncer[],
  access: (resourceTypeId: string, ctx: SyncCallContext) => Promise<ProvisioningAccess>,
  ctx: SyncCallContext,
): Promise<{ byType: Map<string, Capability[]>; connector: Capability[] }> {
  const byType = new Map<string, Capability[]>();
  const connector = new Set<Capability>();
  for (const syncer of syncers) {
    const type = syncer.resourceType.id;
    if ((await access(type, ctx)).denied !== undefined) continue;
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
