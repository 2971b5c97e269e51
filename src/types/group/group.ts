import type { SyncOptions } from "../../config/config.js";
import { attemptWrite, type OktaGroup, type OktaGroupsApi, type OktaUser, type OktaUsersApi } from "../../okta/index.js";
import type { ResourceSyncer } from "../../protocol/resource-syncer.js";
import type { Entitlement } from "../../../gen/c1/connector/v2/entitlement_pb.js";
import type { Resource } from "../../../gen/c1/connector/v2/resource_pb.js";
import { ConnectorError } from "../../protocol/errors.js";
import type { ProvisionCallContext } from "../../protocol/resource-syncer.js";
import { afterOf, cursorOf } from "../shared/cursor.js";
import { createEmailFilter } from "../shared/email-filter.js";
import { callOptions, isOktaFailure, notFoundAs, oktaIdOf, principalOf, requireEntitlement, requireGrantId } from "../shared/provisioning.js";
import { leftOutByListing } from "../shared/get-resource.js";
import { GET_RESOURCE_ID_FIELD, LISTED_RESOURCE_ID_FIELD } from "../shared/request-fields.js";
import { USER_TYPE } from "../user/resource-type.js";
import { GROUP_TYPE } from "./resource-type.js";
import type { GroupRulesSource } from "../shared/group-rules-source.js";
import { type GroupRuleIndex, mayBeRuleManaged } from "../shared/group-rule-index.js";
import { ruleSourcesOf, rulesKeeping } from "../shared/rule-managed.js";
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
  /** A user's profile, for a revoke that must tell whether a group rule keeps the membership. */
  readonly users: Pick<OktaUsersApi, "getUser">;
  /** Group rules: the rule behind a membership (grant sources), and revokes a rule would undo. */
  readonly rules: GroupRulesSource;
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

  /**
   * Okta answers a repeated membership PUT or DELETE with 204 again, so every retry of a write whose
   * answer was lost can lose its answer too. When no attempt was answered, the membership itself says
   * whether the write landed; it was read as the other way round before the write, so landing is this
   * call's own effect.
   */
  const writeMembership = async (write: () => Promise<void>, landed: () => Promise<boolean>): Promise<void> => {
    const attempt = await attemptWrite(write);
    if (attempt.ok || (attempt.uncertain && (await landed()))) return;
    throw attempt.error;
  };

  /**
   * Refuses to remove a membership an ACTIVE group rule keeps: Okta would take the removal and
   * quietly add the user to the rule's exclusions, a change to the rule nobody asked for (and a user
   * later taken off that list would be added back). Reads the rules as they are now: ⌈rules / 200⌉
   * GETs, plus one GET of the user when a readable rule targets the group and does not exclude them.
   * A credential that may not read rules (403) cannot tell, and the revoke goes ahead.
   */
  const refuseRuleManaged = async (groupId: string, userId: string, userGroups: readonly OktaGroup[], ctx: ProvisionCallContext): Promise<void> => {
    const read = await deps.rules.readNow(callOptions(ctx));
    if (!read.readable || !mayBeRuleManaged(read.index, groupId, userId)) return;
    const user = await deps.users.getUser(userId, callOptions(ctx));
    const [rule, ...others] = await rulesKeeping(read.index, groupId, user, async () => userGroups);
    if (rule === undefined) return;
    const named = [rule, ...others].map((r) => `${r.id} ("${r.name}")`).join(", ");
    throw new ConnectorError(
      "failed-precondition",
      `grant: user ${userId} is in group ${groupId} through group rule ${named}; Okta would exclude the user from the rule rather than drop the rule's membership for good: change the rule, or the user's profile, instead`,
    );
  };

  const keepUser = createEmailFilter(deps.options.filterEmailDomains);
  /** Whether the member listing keeps this user: the email filter, and DEPROVISIONED users only with their flag. */
  const listed = (user: OktaUser) => keepUser(user.profile) && (deps.options.syncDeprovisionedUsers || user.status !== "DEPROVISIONED");
  /** A membership grant as a sync lists it, naming the ACTIVE rules that keep it (`groupsOf` is read only when a rule needs it). */
  const membershipOf = async (entitlement: Entitlement, groupId: string, user: OktaUser, rules: GroupRuleIndex, groupsOf: () => Promise<readonly OktaGroup[]>) =>
    membershipGrantOf(entitlement, groupId, user.id, ruleSourcesOf(entitlement.id, await rulesKeeping(rules, groupId, user, groupsOf)));
  return {
    resourceType: GROUP_TYPE,
    async list(_parent, cursor, ctx) {
      const page = await deps.okta.listGroups({ after: afterOf(cursor), expandStats: true, signal: ctx.signal });
      const groups = deps.options.skipAppGroups ? page.items.filter((g) => g.type !== "APP_GROUP") : page.items;
      return { items: groups.map(groupResourceOf), cursor: cursorOf(page.after) };
    },
    async get(id, _parent, ctx) {
      const group = await deps.okta.getGroup(oktaIdOf("group", id, GET_RESOURCE_ID_FIELD), { expandStats: true, signal: ctx.signal });
      if (deps.options.skipAppGroups && group.type === "APP_GROUP") throw leftOutByListing(id, "it is an APP_GROUP and --skip-app-groups is on");
      return groupResourceOf(group);
    },
    async entitlements(resource) {
      return { items: [memberEntitlementOf(resource)] };
    },
    async grants(resource, cursor, ctx) {
      const groupId = oktaIdOf("group", resource.id!, LISTED_RESOURCE_ID_FIELD);
      if (usersCountOf(resource) === 0) return { items: [] };
      const entitlement = memberEntitlementOf(resource);
      const [page, rules] = await Promise.all([
        deps.okta.listGroupMembers(groupId, { after: afterOf(cursor), signal: ctx.signal }),
        deps.rules.load({ signal: ctx.signal, syncId: ctx.activeSyncId }),
      ]);
      // A member's groups are read (one call each, one at a time) only for a rule of this group
      // whose expression tests group membership and that the profile alone does not settle.
      // A member no rule of this group can keep (most of them) needs no rule check and no await.
      const items = [];
      for (const u of page.items.filter(listed)) {
        items.push(mayBeRuleManaged(rules.index, groupId, u.id)
          ? await membershipOf(entitlement, groupId, u, rules.index, () => groupsOfUser(deps.userGroups, u.id, ctx))
          : membershipGrantOf(entitlement, groupId, u.id));
      }
      return { items, cursor: cursorOf(page.after) };
    },

    /** A user's memberships from its side: one user read and `/users/{id}/groups`, instead of every group's members. */
    async grantsHeldBy(principal, ctx) {
      if (principal.resourceType !== USER_TYPE.id) return undefined;
      // A user Okta no longer has (404) is its caller's to read as holding nothing (watch-reads.ts).
      const user = await deps.users.getUser(principal.resource, { signal: ctx.signal });
      // The member listing's filters: a user it leaves out holds nothing here.
      if (!listed(user)) return [];
      const [groups, rules] = await Promise.all([groupsOfUser(deps.userGroups, user.id, ctx), deps.rules.load({ signal: ctx.signal, syncId: ctx.activeSyncId })]);
      const items = [];
      for (const group of groups) {
        if (deps.options.skipAppGroups && group.type === "APP_GROUP") continue;
        items.push(await membershipOf(memberEntitlementOf(groupResourceOf(group)), group.id, user, rules.index, async () => groups));
      }
      return items;
    },

    async grant(principal, entitlement, ctx) {
      const user = principalOf(principal.id!, ["user"], "principal.id");
      const groupId = await writableGroup(entitlement, "entitlement", ctx);
      const already = await notFoundAs("principal.id.resource", `user "${user.id}"`, () => isMember(groupId, user.id, ctx));
      if (!already) await writeMembership(() => deps.okta.addGroupMember(groupId, user.id, callOptions(ctx)), () => isMember(groupId, user.id, ctx));
      return { grants: [membershipGrantOf(entitlement, groupId, user.id)], alreadyExists: already };
    },

    async revoke(grant, ctx) {
      const user = principalOf(grant.principal!.id!, ["user"], "grant.principal.id");
      requireGrantId(grant, user);
      const groupId = await writableGroup(grant.entitlement!, "grant.entitlement", ctx);
      // A user Okta no longer has holds no membership: that revoke is already done.
      let groups: OktaGroup[];
      try {
        groups = await groupsOfUser(deps.userGroups, user.id, ctx);
      } catch (error) {
        if (!isOktaFailure(error, "not-found")) throw error;
        groups = [];
      }
      const member = groups.some((g) => g.id === groupId);
      if (member) {
        await refuseRuleManaged(groupId, user.id, groups, ctx);
        await writeMembership(() => deps.okta.removeGroupMember(groupId, user.id, callOptions(ctx)), async () => !(await isMember(groupId, user.id, ctx)));
      }
      return { alreadyRevoked: !member };
    },
  } satisfies ResourceSyncer;
}
