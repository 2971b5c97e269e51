import type { SyncOptions } from "../../config/config.js";
import type { OktaGroup, OktaGroupsApi } from "../../okta/index.js";
import type { ResourceSyncer } from "../../protocol/resource-syncer.js";
import type { Entitlement } from "../../../gen/c1/connector/v2/entitlement_pb.js";
import type { Resource } from "../../../gen/c1/connector/v2/resource_pb.js";
import { ConnectorError } from "../../protocol/errors.js";
import type { ProvisionCallContext } from "../../protocol/resource-syncer.js";
import { afterOf, cursorOf } from "../shared/cursor.js";
import { createEmailFilter } from "../shared/email-filter.js";
import { callOptions, isOktaFailure, notFoundAs, oktaIdOf, principalOf, requireEntitlement, requireGrantId } from "../shared/provisioning.js";
import { GET_RESOURCE_ID_FIELD, LISTED_RESOURCE_ID_FIELD } from "../shared/request-fields.js";
import { GROUP_TYPE } from "./resource-type.js";
import { groupsOfUser, type UserGroupsLister } from "../shared/user-groups.js";
import { groupResourceOf, memberEntitlementOf, membershipGrantOf } from "./group-mappers.js";

/**
 * Okta groups → `group` resources with one `member` entitlement; grants are the memberships, and
 * provisioning adds and removes members. Admin roles held by groups are listed by the role syncers,
 * which read every role assignment once.
 */
export interface GroupSyncerDeps {
  readonly okta: Pick<OktaGroupsApi, "listGroups" | "getGroup" | "listGroupMembers" | "addGroupMember" | "removeGroupMember">;
  /** A user's groups: the membership check that lets a repeat answer GrantAlreadyExists. */
  readonly userGroups: UserGroupsLister;
  readonly options: SyncOptions;
}

/** Members of an empty group need no Okta call: `expand=stats` already said there are none. */
function usersCountOf(resource: Resource): number | undefined {
  const count = resource.profile?.["users_count"];
  return typeof count === "number" ? count : undefined;
}

/**
 * Okta refuses membership writes on APP_GROUP and BUILT_IN groups with 403 E0000006, even for a
 * super admin (okta-api.md §1.2). Refusing first says why, instead of blaming the credential.
 */
function refuseManagedGroup(group: OktaGroup): void {
  if (group.type === "OKTA_GROUP") return;
  const why = group.type === "BUILT_IN"
    ? "it is Okta's built-in Everyone group, which always holds every user"
    : `its members are imported from app ${group.source?.id ?? "(unknown)"}; change them in that app`;
  throw new ConnectorError("failed-precondition", `group ${group.id} ("${group.profile.name}") is a ${group.type} group and Okta manages its members: ${why}`);
}

export function createGroupSyncer(deps: GroupSyncerDeps) {
  /** The group, refused when Okta manages its members; also NOT_FOUND for an unknown group. */
  const writableGroup = async (entitlement: Entitlement, field: string, ctx: ProvisionCallContext): Promise<string> => {
    requireEntitlement(entitlement, memberEntitlementOf(entitlement.resource!), field);
    const groupField = `${field}.resource.id.resource`;
    const groupId = oktaIdOf("group", entitlement.resource!.id!, groupField);
    refuseManagedGroup(await notFoundAs(groupField, `group "${groupId}"`, () => deps.okta.getGroup(groupId, { expandStats: false, ...callOptions(ctx) })));
    return groupId;
  };
  /** Okta's membership PUT answers 204 either way, so the user's groups decide "already". */
  const isMember = async (groupId: string, userId: string, ctx: ProvisionCallContext): Promise<boolean> =>
    (await groupsOfUser(deps.userGroups, userId, ctx)).some((g) => g.id === groupId);

  const keepUser = createEmailFilter(deps.options.filterEmailDomains);
  return {
    resourceType: GROUP_TYPE,
    async list(_parent, cursor, ctx) {
      const page = await deps.okta.listGroups({ after: afterOf(cursor), expandStats: true, signal: ctx.signal });
      const groups = deps.options.skipAppGroups ? page.items.filter((g) => g.type !== "APP_GROUP") : page.items;
      return { items: groups.map(groupResourceOf), cursor: cursorOf(page.after) };
    },
    async get(id, _parent, ctx) {
      const group = await deps.okta.getGroup(oktaIdOf("group", id, GET_RESOURCE_ID_FIELD), { expandStats: true, signal: ctx.signal });
      if (deps.options.skipAppGroups && group.type === "APP_GROUP") return undefined;
      return groupResourceOf(group);
    },
    async entitlements(resource) {
      return { items: [memberEntitlementOf(resource)] };
    },
    async grants(resource, cursor, ctx) {
      const groupId = oktaIdOf("group", resource.id!, LISTED_RESOURCE_ID_FIELD);
      if (usersCountOf(resource) === 0) return { items: [] };
      const entitlement = memberEntitlementOf(resource);
      const page = await deps.okta.listGroupMembers(groupId, { after: afterOf(cursor), signal: ctx.signal });
      const items = page.items
        .filter((u) => keepUser(u.profile) && (deps.options.syncDeprovisionedUsers || u.status !== "DEPROVISIONED"))
        .map((u) => membershipGrantOf(entitlement, groupId, u.id));
      return { items, cursor: cursorOf(page.after) };
    },

    async grant(principal, entitlement, ctx) {
      const user = principalOf(principal.id!, ["user"], "principal.id");
      const groupId = await writableGroup(entitlement, "entitlement", ctx);
      const already = await notFoundAs("principal.id.resource", `user "${user.id}"`, () => isMember(groupId, user.id, ctx));
      if (!already) await deps.okta.addGroupMember(groupId, user.id, callOptions(ctx));
      return { grants: [membershipGrantOf(entitlement, groupId, user.id)], alreadyExists: already };
    },

    async revoke(grant, ctx) {
      const user = principalOf(grant.principal!.id!, ["user"], "grant.principal.id");
      requireGrantId(grant, user);
      const groupId = await writableGroup(grant.entitlement!, "grant.entitlement", ctx);
      // A user Okta no longer has holds no membership: that revoke is already done.
      let member: boolean;
      try {
        member = await isMember(groupId, user.id, ctx);
      } catch (error) {
        if (!isOktaFailure(error, "not-found")) throw error;
        member = false;
      }
      if (member) await deps.okta.removeGroupMember(groupId, user.id, callOptions(ctx));
      return { alreadyRevoked: !member };
    },
  } satisfies ResourceSyncer;
}
