import type { JsonObject } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { randomUUID } from "node:crypto";
import { ActionService, BatonActionStatus } from "../../../gen/c1/connector/v2/action_pb.js";
import { LIMITS, truncateUtf8 } from "../limits.js";
import type { SyncerAction } from "../resource-syncer.js";
import { validateString } from "../validate-request.js";
import type { ConnectorDefinition } from "./connector-definition.js";
import { forAudit, provisioningOff, startProvisioningCall } from "./provisioning-call.js";

/** Finished invocations kept for GetActionStatus; the oldest are forgotten first. */
const REMEMBERED_INVOCATIONS = 1_000;

/**
 * ActionService over the syncers' actions. Every action finishes within InvokeAction, which answers
 * COMPLETE with the action's response; GetActionStatus can read that answer back for a while. While
 * provisioning is off no action is listed and invoking one says how to enable provisioning.
 */
export function createActionService(def: ConnectorDefinition): ServiceImpl<typeof ActionService> {
  const byName = new Map<string, { action: SyncerAction; resourceTypeId: string }>();
  for (const syncer of def.registry.syncers) {
    for (const action of syncer.actions ?? []) {
      if (byName.has(action.schema.name)) throw new Error(`two syncers offer an action named "${action.schema.name}"`);
      byName.set(action.schema.name, { action, resourceTypeId: syncer.resourceType.id });
    }
  }
  const finished = new Map<string, { name: string; response: JsonObject }>();
  const remember = (id: string, entry: { name: string; response: JsonObject }) => {
    finished.set(id, entry);
    if (finished.size > REMEMBERED_INVOCATIONS) finished.delete(finished.keys().next().value!);
  };
  const find = (name: string) => {
    validateString("name", name, { required: true, maxBytes: LIMITS.id });
    const found = def.provisioning ? byName.get(name) : undefined;
    if (!found) throw new ConnectError(`name: unknown action "${truncateUtf8(name, 256)}"`, Code.NotFound);
    return found;
  };

  return {
    listActionSchemas(req) {
      validateString("resource_type_id", req.resourceTypeId, { maxBytes: LIMITS.id });
      if (!def.provisioning) return { schemas: [] };
      return { schemas: [...byName.values()].map((a) => a.action.schema).filter((s) => s.resourceTypeId === req.resourceTypeId) };
    },

    getActionSchema(req) {
      return { schema: find(req.name).action.schema };
    },

    invokeAction(req, ctx) {
      if (!def.provisioning) throw provisioningOff();
      const args: JsonObject = req.args ?? {};
      const known = byName.get(req.name);
      const call = startProvisioningCall(def, ctx, {
        operation: "invoke_action",
        resourceType: known?.resourceTypeId ?? "",
        action: forAudit(req.name),
        arguments: auditArguments(known?.action, args),
      });
      return call.run(async (pctx) => {
        const { action, resourceTypeId } = find(req.name);
        await call.requireAccess(resourceTypeId, `Action ${action.schema.name}`);
        const { response, outcome } = await action.invoke(args, pctx);
        const id = randomUUID();
        remember(id, { name: action.schema.name, response });
        return { value: { id, name: action.schema.name, status: BatonActionStatus.COMPLETE, response }, outcome };
      });
    },

    getActionStatus(req) {
      validateString("id", req.id, { required: true, maxBytes: LIMITS.id });
      const found = finished.get(req.id);
      if (!found) throw new ConnectError(`id: unknown action invocation "${truncateUtf8(req.id, 256)}"`, Code.NotFound);
      return { id: req.id, name: found.name, status: BatonActionStatus.COMPLETE, response: found.response };
    },
  };
}

/** The arguments worth auditing: those the schema declares and does not mark secret, as short strings. */
function auditArguments(action: SyncerAction | undefined, args: JsonObject): Record<string, string> | undefined {
  if (!action) return undefined;
  const out: Record<string, string> = {};
  for (const field of action.schema.arguments) {
    const value = args[field.name];
    if (field.isSecret || value === undefined) continue;
    out[field.name] = truncateUtf8(typeof value === "string" ? value : JSON.stringify(value), 256);
  }
  return out;
}
