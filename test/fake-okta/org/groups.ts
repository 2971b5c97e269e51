import { forbidden, validationFailed } from "../core/errors.js";
import { createMemberSet } from "../core/member-set.js";
import { groupTarget, userTarget } from "./log-targets.js";
import { liveGroup, type OrgState } from "./state.js";
import type { LogActor } from "./system-log.js";
import type { GroupRecord, UserRecord } from "./types.js";

/** A group profile as clients send it (`{name, description}`). */
export interface GroupProfileInput {
  name?: unknown;
  description?: unknown;
}

/** Groups and memberships. Only OKTA_GROUPs can be changed; app imports own APP_GROUPs. */
export interface GroupStore {
  /** Every group by index, deleted ones included (check `deleted`). */
  all(): readonly GroupRecord[];
  get(id: string): GroupRecord | undefined;
  everyone(): GroupRecord;
  memberCount(group: GroupRecord): number;
  isMember(group: GroupRecord, user: UserRecord): boolean;
  /** Member user indexes greater than `afterUserIndex`, ascending; Everyone yields every live user. */
  membersAfter(group: GroupRecord, afterUserIndex: number): Iterable<number>;
  /** The live groups `user` belongs to, Everyone first. */
  groupsOf(user: UserRecord): GroupRecord[];
  create(profile: GroupProfileInput, actor: LogActor): GroupRecord;
  replace(group: GroupRecord, profile: GroupProfileInput, actor: LogActor): GroupRecord;
  remove(group: GroupRecord, actor: LogActor): void;
  /** Idempotent: false when the user was already a member (Okta answers 204 either way). `ruleId`: a group rule added it. */
  addMember(group: GroupRecord, user: UserRecord, actor: LogActor, ruleId?: string): boolean;
  /** Idempotent: false when the user was not a member. `ruleId`: a group rule removed it (no exclusion is recorded). */
  removeMember(group: GroupRecord, user: UserRecord, actor: LogActor, ruleId?: string): boolean;
}

/** Side effects on other stores, wired by createOrg. */
export interface GroupHooks {
  deleted(group: GroupRecord): void;
  /** A member left a group by hand (not when the group or user is deleted). */
  memberRemoved(group: GroupRecord, user: UserRecord): void;
}

/** Creates the group store over `state`. */
export function createGroupStore(state: OrgState, hooks: GroupHooks): GroupStore {
  const everyone = state.groups.find((g) => g.type === "BUILT_IN");
  if (!everyone) throw new Error("the org has no Everyone group");
  // Membership changes on APP_GROUP and BUILT_IN groups fail with 403 E0000006 even for a super admin.
  const assertWritable = (group: GroupRecord): void => {
    if (group.type !== "OKTA_GROUP") throw forbidden();
  };
  const checkProfile = (input: GroupProfileInput, self: GroupRecord | undefined): { name: string; description?: string } => {
    const causes: string[] = [];
    const name = typeof input.name === "string" ? input.name.trim() : "";
    if (name === "") causes.push("name: The field cannot be left blank");
    const lower = name.toLowerCase();
    if (name !== "" && state.groups.some((g) => !g.deleted && g !== self && g.profile.name.toLowerCase() === lower)) {
      causes.push("name: An object with this field already exists in the current organization");
    }
    if (input.description !== undefined && input.description !== null && typeof input.description !== "string") causes.push("description: Must be a string");
    if (causes.length > 0) throw validationFailed("name", causes);
    return typeof input.description === "string" ? { name, description: input.description } : { name };
  };

  return {
    all: () => state.groups,
    get: (id) => liveGroup(state, id),
    everyone: () => everyone,
    memberCount(group) {
      if (group.type !== "BUILT_IN") return group.members.size;
      let count = 0;
      for (const user of state.users) if (!user.deleted) count++;
      return count;
    },
    isMember: (group, user) => !user.deleted && (group.type === "BUILT_IN" || group.members.has(user.index)),
    *membersAfter(group, afterUserIndex) {
      if (group.type === "BUILT_IN") {
        for (let i = afterUserIndex + 1; i < state.users.length; i++) if (!state.users[i]?.deleted) yield i;
        return;
      }
      const members = group.members;
      for (let p = members.indexAfter(afterUserIndex); p < members.size; p++) yield members.at(p);
    },
    groupsOf(user) {
      if (user.deleted) return [];
      return state.groups.filter((g) => !g.deleted && (g.type === "BUILT_IN" || g.members.has(user.index)));
    },

    create(input, actor) {
      const profile = checkProfile(input, undefined);
      const now = state.now();
      const group: GroupRecord = {
        index: state.groups.length,
        id: state.ids.mint("00g"),
        type: "OKTA_GROUP",
        profile,
        objectClass: ["okta:user_group"],
        sourceAppId: null,
        created: now,
        lastUpdated: now,
        lastMembershipUpdated: now,
        members: createMemberSet(),
        deleted: false,
      };
      state.groups.push(group);
      state.groupById.set(group.id, group);
      state.touch();
      state.log.record({ eventType: "group.lifecycle.create", displayMessage: "Create Okta group", actor, targets: [groupTarget(group)] });
      return group;
    },
    replace(group, input, actor) {
      assertWritable(group);
      group.profile = checkProfile(input, group);
      group.lastUpdated = state.now();
      state.touch();
      state.log.record({ eventType: "group.profile.update", displayMessage: "Update group profile", actor, targets: [groupTarget(group)] });
      return group;
    },
    remove(group, actor) {
      assertWritable(group);
      group.deleted = true;
      hooks.deleted(group);
      state.touch();
      state.log.record({ eventType: "group.lifecycle.delete", displayMessage: "Delete Okta group", actor, targets: [groupTarget(group)] });
    },
    addMember(group, user, actor, ruleId) {
      assertWritable(group);
      if (!group.members.add(user.index)) return false;
      group.lastMembershipUpdated = state.now();
      state.touch();
      state.log.record({
        eventType: "group.user_membership.add", displayMessage: "Add user to group membership", actor, targets: [userTarget(user), groupTarget(group)],
        ...(ruleId === undefined ? {} : { debugData: { triggeredByGroupRuleId: ruleId } }),
      });
      return true;
    },
    removeMember(group, user, actor, ruleId) {
      assertWritable(group);
      if (!group.members.delete(user.index)) return false;
      if (ruleId === undefined) hooks.memberRemoved(group, user);
      group.lastMembershipUpdated = state.now();
      state.touch();
      state.log.record({
        eventType: "group.user_membership.remove", displayMessage: "Remove user from group membership", actor, targets: [userTarget(user), groupTarget(group)],
        ...(ruleId === undefined ? {} : { debugData: { triggeredByGroupRuleId: ruleId } }),
      });
      return true;
    },
  };
}
