import type { Entitlement } from "../../../gen/c1/connector/v2/entitlement_pb.js";
import type { Grant } from "../../../gen/c1/connector/v2/grant_pb.js";
import type { Resource } from "../../../gen/c1/connector/v2/resource_pb.js";
import { attemptWrite, type OktaAppsApi } from "../../okta/index.js";
import { ConnectorError } from "../../protocol/errors.js";
import type { GrantOutcome, ProvisionCallContext, RevokeOutcome } from "../../protocol/resource-syncer.js";
import { allPages } from "../shared/cursor.js";
import { accessEntitlementOf, appGroupGrantOf, appUserGrantOf } from "./app-grants.js";
import { callOptions, isOktaFailure, notFoundNamingId, oktaIdOf, type Principal, principalOf, type RequestId, requireEntitlement, requireGrantId, unlessNotFound } from "../shared/provisioning.js";
import { groupsOfUser, type UserGroupsLister } from "../shared/user-groups.js";

/**
 * Assigning and unassigning apps, for user and group principals.
 *
 * - Users: `POST /apps/{app}/users` with no username, so Okta applies the app's username template
 *   (baton-okta forces the e-mail). `GET /apps/{app}/users/{user}` first tells a repeat apart: scope
 *   USER is a direct assignment that exists; scope GROUP is access through a group, where a direct
 *   assignment is still added (that is what the `access` grant to the user means).
 * - A user whose access comes only through groups cannot be unassigned (Okta: 403 E0000046). The
 *   refusal names the groups to change: the app's group assignments that the user is a member of.
 * - Groups: `PUT /apps/{app}/groups/{group}`, after a GET so a repeat answers GrantAlreadyExists.
 * - "Already" is decided by the read before the write. A 409 (grant) or 404 (revoke) from the write
 *   itself is this call's own work when an earlier attempt's answer was lost (`attemptWrite`), and
 *   another writer's otherwise.
 */
export interface AppProvisioningDeps {
  readonly okta: Pick<
    OktaAppsApi,
    "getApp" | "listAppGroups" | "getAppUser" | "getAppGroup" | "assignUserToApp" | "unassignUserFromApp" | "assignGroupToApp" | "unassignGroupFromApp"
  >;
  /** A user's groups, to name the groups behind a group-derived assignment. */
  readonly userGroups: UserGroupsLister;
  /** Whether a group's app grant is GrantExpandable, as the sync lists it (app.ts); true when absent. */
  readonly groupGrantsExpandable?: boolean;
}

export function createAppProvisioning(deps: AppProvisioningDeps) {
  const okta = deps.okta;
  const grantIds = (appId: string, principalId: string, principalType: string): RequestId[] => [
    { id: principalId, field: "principal.id.resource", what: principalType },
    { id: appId, field: "entitlement.resource.id.resource", what: "app" },
  ];

  const appOf = (entitlement: Entitlement, field: string): string => {
    requireEntitlement(entitlement, accessEntitlementOf(entitlement.resource!), field);
    return oktaIdOf("app", entitlement.resource!.id!, `${field}.resource.id.resource`);
  };

  const grantUser = async (entitlement: Entitlement, appId: string, userId: string, ctx: ProvisionCallContext): Promise<GrantOutcome> => {
    const current = await unlessNotFound(() => okta.getAppUser(appId, userId, callOptions(ctx)), undefined);
    const direct = current?.scope === "USER";
    let alreadyExists = direct;
    if (!direct) {
      const write = await attemptWrite(() => okta.assignUserToApp(appId, userId, {}, callOptions(ctx)));
      // 409 (E0000062, duplicate assignment): the grant exists; ours if an earlier attempt landed unanswered.
      if (!write.ok && !isOktaFailure(write.error, "conflict")) throw notFoundNamingId(write.error, grantIds(appId, userId, "user"));
      alreadyExists = !write.ok && !write.uncertain;
    }
    return { grants: [appUserGrantOf(entitlement, appId, userId)], alreadyExists };
  };

  const grantGroup = async (entitlement: Entitlement, appId: string, groupId: string, ctx: ProvisionCallContext): Promise<GrantOutcome> => {
    const current = await unlessNotFound(() => okta.getAppGroup(appId, groupId, callOptions(ctx)), undefined);
    if (!current) await okta.assignGroupToApp(appId, groupId, {}, callOptions(ctx)).catch((error: unknown) => {
      throw notFoundNamingId(error, grantIds(appId, groupId, "group"));
    });
    return { grants: [appGroupGrantOf(entitlement, appId, groupId, { expandable: deps.groupGrantsExpandable ?? true })], alreadyExists: current !== undefined };
  };

  /** The app's group assignments that `userId` belongs to: the groups that grant the access. */
  const grantingGroups = async (appId: string, userId: string, ctx: ProvisionCallContext): Promise<string[]> => {
    const assigned = new Set((await allPages("GET /api/v1/apps/{id}/groups", (after) => okta.listAppGroups(appId, { after, signal: ctx.signal, deadlineMs: ctx.deadlineMs }))).map((g) => g.id));
    const mine = await groupsOfUser(deps.userGroups, userId, ctx);
    return mine.filter((g) => assigned.has(g.id)).map((g) => `${g.id} ("${g.profile.name}")`);
  };

  const refuseGroupDerived = async (appId: string, userId: string, ctx: ProvisionCallContext): Promise<never> => {
    const groups = await grantingGroups(appId, userId, ctx);
    const named = groups.length > 0 ? `group${groups.length > 1 ? "s" : ""} ${groups.join(", ")}` : "a group assignment";
    throw new ConnectorError(
      "group-derived-assignment",
      `user ${userId} has access to app ${appId} only through ${named}; Okta cannot unassign it from the user (E0000046): remove the user from ${groups.length > 1 ? "those groups" : "that group"} or unassign the group from the app instead`,
    );
  };

  const revokeUser = async (appId: string, userId: string, ctx: ProvisionCallContext): Promise<RevokeOutcome> => {
    const current = await unlessNotFound(() => okta.getAppUser(appId, userId, callOptions(ctx)), undefined);
    if (!current) return { alreadyRevoked: true };
    if (current.scope !== "USER") return refuseGroupDerived(appId, userId, ctx);
    const write = await attemptWrite(() => okta.unassignUserFromApp(appId, userId, callOptions(ctx)));
    if (write.ok) return { alreadyRevoked: false };
    // 404 after an attempt whose answer was lost: that attempt removed it.
    if (isOktaFailure(write.error, "not-found")) return { alreadyRevoked: !write.uncertain };
    if (isOktaFailure(write.error, "group-derived-assignment")) return refuseGroupDerived(appId, userId, ctx);
    throw write.error;
  };

  const revokeGroup = async (appId: string, groupId: string, ctx: ProvisionCallContext): Promise<RevokeOutcome> => {
    const current = await unlessNotFound(() => okta.getAppGroup(appId, groupId, callOptions(ctx)), undefined);
    if (!current) return { alreadyRevoked: true };
    const write = await attemptWrite(() => okta.unassignGroupFromApp(appId, groupId, callOptions(ctx)));
    if (write.ok) return { alreadyRevoked: false };
    if (isOktaFailure(write.error, "not-found")) return { alreadyRevoked: !write.uncertain };
    throw write.error;
  };

  return {
    async grant(principal: Resource, entitlement: Entitlement, ctx: ProvisionCallContext): Promise<GrantOutcome> {
      const who: Principal = principalOf(principal.id!, ["user", "group"], "principal.id");
      const appId = appOf(entitlement, "entitlement");
      return who.type === "user" ? grantUser(entitlement, appId, who.id, ctx) : grantGroup(entitlement, appId, who.id, ctx);
    },

    async revoke(grant: Grant, ctx: ProvisionCallContext): Promise<RevokeOutcome> {
      const who = principalOf(grant.principal!.id!, ["user", "group"], "grant.principal.id");
      requireGrantId(grant, who);
      const appId = appOf(grant.entitlement!, "grant.entitlement");
      // An unknown app is NOT_FOUND rather than "already revoked": the caller named something Okta never had.
      await okta.getApp(appId, callOptions(ctx));
      return who.type === "user" ? revokeUser(appId, who.id, ctx) : revokeGroup(appId, who.id, ctx);
    },
  };
}

