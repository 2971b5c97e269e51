import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import { ResourceDoesNotExistSchema } from "../../../gen/c1/connector/v2/annotation_resource_pb.js";
import { type ResourceId, ResourceDeleterService, ResourceManagerService } from "../../../gen/c1/connector/v2/resource_pb.js";
import { pack } from "../annotations.js";
import { validateResourceId } from "../validate-request.js";
import type { ConnectorDefinition } from "./connector-definition.js";
import { forAudit, provisioningOff, startProvisioningCall } from "./provisioning-call.js";

/**
 * DeleteResourceV2 (ResourceDeleterService) and DeleteResource (ResourceManagerService, which
 * baton's platform and one-shot CLI call) share one implementation, routed by the resource type.
 * A resource that is already gone is a success with ResourceDoesNotExist. CreateResource is not
 * offered: Okta's resource types here are created as accounts (CreateAccount) or not at all.
 */
export function createResourceDeleterServices(def: ConnectorDefinition) {
  const deleteResource = (req: { resourceId?: ResourceId | undefined }, ctx: HandlerContext) => {
    if (!def.provisioning) throw provisioningOff();
    const raw = req.resourceId;
    const call = startProvisioningCall(def, ctx, {
      operation: "delete_resource",
      resourceType: forAudit(raw?.resourceType) ?? "",
      resource: raw ? forAudit(`${raw.resourceType}:${raw.resource}`) : undefined,
    });
    return call.run(async (pctx) => {
      const id = validateResourceId("resource_id", raw, { required: true })!;
      const syncer = def.registry.find(id.resourceType);
      if (!syncer) throw new ConnectError(`resource_id.resource_type: unknown resource type "${id.resourceType}"`, Code.NotFound);
      if (!syncer.delete) throw new ConnectError(`deleting is not supported for resource type "${id.resourceType}"`, Code.Unimplemented);
      await call.requireAccess(id.resourceType, `Deleting a ${id.resourceType}`);
      const { alreadyGone } = await syncer.delete(id, pctx);
      return { value: { annotations: alreadyGone ? [pack(ResourceDoesNotExistSchema)] : [] }, outcome: alreadyGone ? "already_deleted" : "deleted" };
    });
  };

  const resourceDeleter: ServiceImpl<typeof ResourceDeleterService> = { deleteResourceV2: deleteResource };
  const resourceManager: ServiceImpl<typeof ResourceManagerService> = {
    createResource() {
      if (!def.provisioning) throw provisioningOff();
      throw new ConnectError("CreateResource is not supported by this connector; create users with AccountManagerService.CreateAccount", Code.Unimplemented);
    },
    deleteResource,
  };
  return { resourceDeleter, resourceManager };
}
