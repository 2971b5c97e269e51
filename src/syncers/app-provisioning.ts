import type { Entitlement } from "../../gen/c1/connector/v2/entitlement_pb.js";
import type { Grant } from "../../gen/c1/connector/v2/grant_pb.js";
import type { Resource } from "../../gen/c1/connector/v2/resource_pb.js";
import type { OktaAppGroup, OktaAppsApi, Page, PageOptions } from "../okta/index.js";
import { ConnectorError } from "../protocol/errors.js";
import type { GrantOutcome, ProvisionCallContext, RevokeOutcome } from "../protocol/resource-syncer.js";
import { accessEntitlementOf, appGroupGrantOf, appUserGrantOf } from "./app-grants.js";
import { callOptions, isOktaFailure, notFoundNamingId, oktaIdOf, type Principal, principalOf, type RequestId, requireEntitlement, requireGrantId, unlessNotFound } from "./provisioning.js";
import { groupsOfUser, type UserGroupsLister } from "./user-groups.js";

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
 */
export interface AppProvisioningDeps {
  readonly okta: Pick<
    OktaAppsApi,
    "getApp" | "listAppGroups" | "getAppUser" | "getAppGroup" | "assignUserToApp" | "unassignUserFromApp" | "assignGroupToApp" | "unassignGroupFromApp"
  >;
  /** A user's groups, to name the groups behind a group-derived assignment. */
  readonly userGroups: UserGroupsLister;
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
    if (!direct) {
      try {
        await okta.assignUserToApp(appId, userId, {}, callOptions(ctx));
      } catch (error) {
        // 409 (E0000062, duplicate assignment): another writer got there first; the grant exists.
        if (!isOktaFailure(error, "conflict")) throw notFoundNamingId(error, grantIds(appId, userId, "user"));
      }
    }
    return { grants: [appUserGrantOf(entitlement, appId, userId)], alreadyExists: direct };
  };

  const grantGroup = async (entitlement: Entitlement, appId: string, groupId: string, ctx: ProvisionCallContext): Promise<GrantOutcome> => {
    const current = await unlessNotFound(() => okta.getAppGroup(appId, groupId, callOptions(ctx)), undefined);
    if (!current) await okta.assignGroupToApp(appId, groupId, {}, callOptions(ctx)).catch((error: unknown) => {
      throw notFoundNamingId(error, grantIds(appId, groupId, "group"));
    });
    return { grants: [appGroupGrantOf(entitlement, appId, groupId)], alreadyExists: current !== undefined };
  };

  /** The app's group assignments that `userId` belongs to: the groups that grant the access. */
  const grantingGroups = async (appId: string, userId: string, ctx: ProvisionCallContext): Promise<string[]> => {
    const assigned = new Set((await allPages((o) => okta.listAppGroups(appId, o), ctx)).map((g) => g.id));
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
    try {
      await okta.unassignUserFromApp(appId, userId, callOptions(ctx));
    } catch (error) {
      if (isOktaFailure(error, "not-found")) return { alreadyRevoked: true };
      if (isOktaFailure(error, "group-derived-assignment")) return refuseGroupDerived(appId, userId, ctx);
      throw error;
    }
    return { alreadyRevoked: false };
  };

  const revokeGroup = async (appId: string, groupId: string, ctx: ProvisionCallContext): Promise<RevokeOutcome> => {
    const current = await unlessNotFound(() => okta.getAppGroup(appId, groupId, callOptions(ctx)), undefined);
    if (!current) return { alreadyRevoked: true };
    const gone = await unlessNotFound(async () => {
      await okta.unassignGroupFromApp(appId, groupId, callOptions(ctx));
      return false;
    }, true);
    return { alreadyRevoked: gone };
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

async function allPages(fetch: (options: PageOptions) => Promise<Page<OktaAppGroup>>, ctx: ProvisionCallContext): Promise<OktaAppGroup[]> {
  const items: OktaAppGroup[] = [];
  let after: string | undefined;
  do {
    const page = await fetch({ after, signal: ctx.signal, deadlineMs: ctx.deadlineMs });
    items.push(...page.items);
    after = page.after;
  } while (after !== undefined);
  return items;
}
