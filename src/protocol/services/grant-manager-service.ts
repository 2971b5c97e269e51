import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { GrantAlreadyExistsSchema, GrantAlreadyRevokedSchema } from "../../../gen/c1/connector/v2/annotation_grant_pb.js";
import type { Entitlement } from "../../../gen/c1/connector/v2/entitlement_pb.js";
import { GrantManagerService } from "../../../gen/c1/connector/v2/grant_pb.js";
import type { Resource, ResourceId } from "../../../gen/c1/connector/v2/resource_pb.js";
import { pack } from "../annotations.js";
import { fitGrant } from "../fit-limits.js";
import { LIMITS } from "../limits.js";
import type { GrantOutcome, ResourceSyncer, RevokeOutcome } from "../resource-syncer.js";
import { invalid, validateResourceId, validateString } from "../validate-request.js";
import type { ConnectorDefinition } from "./connector-definition.js";
import { forAudit, provisioningOff, startProvisioningCall } from "./provisioning-call.js";
import { createSharedWrites } from "./shared-writes.js";

/**
 * GrantManagerService over the syncers. A call is routed by the resource type of the entitlement's
 * resource (`entitlement.resource.id.resource_type`), never by taking the entitlement id apart, to the
 * syncer that owns that type. Repeats succeed: a grant that exists answers GrantAlreadyExists and a
 * revoke of what is gone answers GrantAlreadyRevoked, because baton-sdk treats any error from these
 * two as a permanent task failure.
 *
 * "Already" describes the org before this call: a change this call made is `granted`/`revoked`, even
 * when Okta's answer to the write was lost and its retry met the change (the syncers tell the two
 * apart). Identical Grants (same entitlement and principal) or Revokes (same grant) in flight share
 * one run and so one Okta write: the first caller's. Each joiner asked for the state that shared
 * write made, so it gets the same answer (no "already" annotation when the write changed Okta) and
 * its own audit line with the outcome `granted_shared`/`revoked_shared` and no Okta calls of its own.
 */
export function createGrantManagerService(def: ConnectorDefinition): ServiceImpl<typeof GrantManagerService> {
  const ownerOf = (entitlementField: string, entitlement: Entitlement | undefined): { syncer: ResourceSyncer; resourceId: ResourceId; entitlement: Entitlement } => {
    if (!entitlement) throw invalid(entitlementField, "is required");
    validateString(`${entitlementField}.id`, entitlement.id, { required: true, maxBytes: LIMITS.id });
    if (!entitlement.resource) throw invalid(`${entitlementField}.resource`, "is required");
    const resourceId = validateResourceId(`${entitlementField}.resource.id`, entitlement.resource.id, { required: true })!;
    const syncer = def.registry.find(resourceId.resourceType);
    if (!syncer) throw new ConnectError(`${entitlementField}.resource.id.resource_type: unknown resource type "${resourceId.resourceType}"`, Code.NotFound);
    return { syncer, resourceId, entitlement };
  };
  const principalOf = (field: string, principal: Resource | undefined): Resource => {
    if (!principal) throw invalid(field, "is required");
    validateResourceId(`${field}.id`, principal.id, { required: true });
    return principal;
  };
  const label = (id: ResourceId | undefined) => (id ? forAudit(`${id.resourceType}:${id.resource}`) : undefined);
  const sharedGrants = createSharedWrites<GrantOutcome>();
  const sharedRevokes = createSharedWrites<RevokeOutcome>();
  const keyOf = (...parts: (string | undefined)[]) => JSON.stringify(parts);

  return {
    grant(req, ctx) {
      if (!def.provisioning) throw provisioningOff();
      const call = startProvisioningCall(def, ctx, {
        operation: "grant",
        resourceType: forAudit(req.entitlement?.resource?.id?.resourceType) ?? "",
        entitlementId: forAudit(req.entitlement?.id),
        principal: label(req.principal?.id),
      });
      return call.run(async (pctx) => {
        const { syncer, resourceId, entitlement } = ownerOf("entitlement", req.entitlement);
        const principal = principalOf("principal", req.principal);
        if (!syncer.grant) throw new ConnectError(`Grant is not supported for resource type "${resourceId.resourceType}"`, Code.Unimplemented);
        await call.requireAccess(resourceId.resourceType, `Grant on ${resourceId.resourceType}`);
        const key = keyOf(resourceId.resourceType, resourceId.resource, entitlement.id, principal.id!.resourceType, principal.id!.resource);
        const { value: outcome, joined } = await sharedGrants.run(key, ctx.signal, () => syncer.grant!(principal, entitlement, pctx));
        return {
          value: {
            grants: outcome.grants.map((g) => fitGrant(g)),
            annotations: outcome.alreadyExists ? [pack(GrantAlreadyExistsSchema)] : [],
          },
          outcome: outcome.alreadyExists ? "already_exists" : joined ? "granted_shared" : "granted",
        };
      });
    },

    revoke(req, ctx) {
      if (!def.provisioning) throw provisioningOff();
      const call = startProvisioningCall(def, ctx, {
        operation: "revoke",
        resourceType: forAudit(req.grant?.entitlement?.resource?.id?.resourceType) ?? "",
        grantId: forAudit(req.grant?.id),
        entitlementId: forAudit(req.grant?.entitlement?.id),
        principal: label(req.grant?.principal?.id),
      });
      return call.run(async (pctx) => {
        const grant = req.grant;
        if (!grant) throw invalid("grant", "is required");
        validateString("grant.id", grant.id, { maxBytes: LIMITS.id });
        const { syncer, resourceId } = ownerOf("grant.entitlement", grant.entitlement);
        principalOf("grant.principal", grant.principal);
        if (!syncer.revoke) throw new ConnectError(`Revoke is not supported for resource type "${resourceId.resourceType}"`, Code.Unimplemented);
        await call.requireAccess(resourceId.resourceType, `Revoke on ${resourceId.resourceType}`);
        const key = keyOf(resourceId.resourceType, resourceId.resource, grant.id, grant.entitlement!.id, grant.principal!.id!.resourceType, grant.principal!.id!.resource);
        const { value: outcome, joined } = await sharedRevokes.run(key, ctx.signal, () => syncer.revoke!(grant, pctx));
        return {
          value: { annotations: outcome.alreadyRevoked ? [pack(GrantAlreadyRevokedSchema)] : [] },
          outcome: outcome.alreadyRevoked ? "already_revoked" : joined ? "revoked_shared" : "revoked",
        };
      });
    },
  };
}
