import { create, type JsonObject } from "@bufbuild/protobuf";
import { ActionType, BatonActionSchemaSchema } from "../../../gen/c1/connector/v2/action_pb.js";
import type { ResourceId } from "../../../gen/c1/connector/v2/resource_pb.js";
import { FieldSchema } from "../../../gen/c1/config/v1/config_pb.js";
import { attemptWrite, type OktaUser, type OktaUsersApi, validateOktaId } from "../../okta/index.js";
import { ConnectorError } from "../../protocol/errors.js";
import type { ProvisionCallContext, SyncerAction } from "../../protocol/resource-syncer.js";
import { callOptions, unlessNotFound } from "../shared/provisioning.js";

/**
 * Deleting Okta users and baton-okta's two account actions, following Okta's lifecycle rules
 * (okta-api.md §1.1: activate from STAGED, suspend from ACTIVE, unsuspend from SUSPENDED, delete
 * only once DEPROVISIONED).
 */
export interface UserLifecycleDeps {
  readonly okta: Pick<OktaUsersApi, "getUser" | "activateUser" | "deactivateUser" | "suspendUser" | "unsuspendUser" | "deleteUser">;
}

/** Statuses in which a user can sign in (baton-okta's "enabled"); SUSPENDED, STAGED and DEPROVISIONED cannot. */
const ENABLED = new Set(["ACTIVE", "PROVISIONED", "RECOVERY", "PASSWORD_EXPIRED", "LOCKED_OUT"]);

export function createUserLifecycle(deps: UserLifecycleDeps) {
  const okta = deps.okta;
  const gone = Symbol("gone");
  const fetchUser = (userId: string, ctx: ProvisionCallContext) => unlessNotFound<OktaUser | typeof gone>(() => okta.getUser(userId, callOptions(ctx)), gone);

  /**
   * Runs a lifecycle write. Okta refuses a repeat of one that already landed (activating an ACTIVE
   * user: E0000016; suspending a SUSPENDED one: E0000001), so when an attempt's answer was lost and
   * the retry is refused, a fresh read decides: if the user is now as `done` expects, this call did it.
   */
  const lifecycleWrite = async (userId: string, write: () => Promise<void>, done: (user: OktaUser) => boolean, ctx: ProvisionCallContext): Promise<void> => {
    const attempt = await attemptWrite(write);
    if (attempt.ok) return;
    if (attempt.uncertain) {
      const now = await fetchUser(userId, ctx);
      if (now !== gone && done(now)) return;
    }
    throw attempt.error;
  };

  /**
   * Okta deletes in two steps: a DELETE (or deactivate) of a live user only deprovisions it, and a
   * DELETE of a DEPROVISIONED user removes it. Deactivation can still be finishing when the DELETE
   * arrives, so the result is checked with a fresh GET, and one more DELETE is sent if the user is
   * still there.
   */
  async function deleteUser(id: ResourceId, ctx: ProvisionCallContext): Promise<{ alreadyGone: boolean }> {
    const userId = validateOktaId("user", id.resource, "resource_id.resource");
    const user = await fetchUser(userId, ctx);
    if (user === gone) return { alreadyGone: true };
    if (user.status !== "DEPROVISIONED") {
      await lifecycleWrite(userId, () => okta.deactivateUser(userId, { sendEmail: false, ...callOptions(ctx) }), (u) => u.status === "DEPROVISIONED", ctx);
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      await unlessNotFound(() => okta.deleteUser(userId, { sendEmail: false, ...callOptions(ctx) }), undefined);
      if ((await fetchUser(userId, ctx)) === gone) return { alreadyGone: false };
    }
    throw new ConnectorError("unavailable", `Okta still returns user ${userId} after deactivating and deleting it; retry the delete`);
  }

  const userIdArgument = (args: JsonObject): string => {
    const value = args["user_id"];
    if (typeof value !== "string" || value === "") throw new ConnectorError("invalid", "args.user_id: is required (the Okta user id, 00u…)");
    return validateOktaId("user", value, "args.user_id");
  };
  const response = (user: OktaUser, status: string, changed: boolean): JsonObject => ({ success: true, user_id: user.id, status, changed });

  const enableUser: SyncerAction = {
    schema: actionSchema("enable_user", "Enable user", "Activates a STAGED Okta user or unsuspends a SUSPENDED one; a user who can already sign in is left as is.", ActionType.ACCOUNT_ENABLE),
    async invoke(args, ctx) {
      const userId = userIdArgument(args);
      const user = await okta.getUser(userId, callOptions(ctx));
      switch (user.status) {
        case "STAGED":
          await lifecycleWrite(userId, () => okta.activateUser(userId, { sendEmail: false, ...callOptions(ctx) }), (u) => u.status !== "STAGED" && ENABLED.has(u.status), ctx);
          return { response: response(user, (await okta.getUser(userId, callOptions(ctx))).status, true), outcome: "activated" };
        case "SUSPENDED":
          await lifecycleWrite(userId, () => okta.unsuspendUser(userId, callOptions(ctx)), (u) => u.status === "ACTIVE", ctx);
          return { response: response(user, "ACTIVE", true), outcome: "unsuspended" };
        case "DEPROVISIONED":
          throw new ConnectorError("failed-precondition", `user ${userId} is DEPROVISIONED; reactivating a deactivated user is left to an Okta administrator`);
        default:
          return { response: response(user, user.status, false), outcome: "already_enabled" };
      }
    },
  };

  const disableUser: SyncerAction = {
    schema: actionSchema("disable_user", "Disable user", "Suspends an ACTIVE Okta user (keeping its assignments); a user who already cannot sign in is left as is.", ActionType.ACCOUNT_DISABLE),
    async invoke(args, ctx) {
      const userId = userIdArgument(args);
      const user = await okta.getUser(userId, callOptions(ctx));
      if (user.status === "ACTIVE") {
        await lifecycleWrite(userId, () => okta.suspendUser(userId, callOptions(ctx)), (u) => u.status === "SUSPENDED", ctx);
        return { response: response(user, "SUSPENDED", true), outcome: "suspended" };
      }
      if (ENABLED.has(user.status)) {
        // Okta suspends only ACTIVE users (400 E0000001 otherwise); say so rather than pass Okta's 400 on.
        throw new ConnectorError("failed-precondition", `user ${userId} is ${user.status}; Okta can only suspend ACTIVE users (delete or deactivate the user instead)`);
      }
      return { response: response(user, user.status, false), outcome: "already_disabled" };
    },
  };

  return { delete: deleteUser, actions: [enableUser, disableUser] as const };
}

/** baton-okta's argument shape: one required string `user_id`. */
function actionSchema(name: string, displayName: string, description: string, type: ActionType) {
  return create(BatonActionSchemaSchema, {
    name,
    displayName,
    description,
    actionType: [ActionType.ACCOUNT, type],
    arguments: [
      create(FieldSchema, {
        name: "user_id",
        displayName: "User ID",
        description: "The Okta id of the user (00u…), as the user resource's id",
        isRequired: true,
        field: { case: "stringField", value: {} },
      }),
    ],
    returnTypes: [
      create(FieldSchema, { name: "success", displayName: "Success", field: { case: "boolField", value: {} } }),
      create(FieldSchema, { name: "user_id", displayName: "User ID", field: { case: "stringField", value: {} } }),
      create(FieldSchema, { name: "status", displayName: "Okta status after the action", field: { case: "stringField", value: {} } }),
      create(FieldSchema, { name: "changed", displayName: "Whether Okta was changed", field: { case: "boolField", value: {} } }),
    ],
  });
}
