import { liveGroup, type OrgState } from "./state.js";
import type { GroupRecord, GroupRuleRecord, RuleTest, UserProfile, UserRecord } from "./types.js";

/** Group rules: read only through the API, plus the exclusion Okta records when a rule-added member is removed. */
export interface GroupRuleStore {
  all(): readonly GroupRuleRecord[];
  get(id: string): GroupRuleRecord | undefined;
  /**
   * The members of `group` this rule keeps there: the rule is ACTIVE, targets the group, the user
   * passes its tests, is not excluded, and is a member now. Okta does not say which rule added a
   * member; this is the simulator's truth, computed the same way a connector is expected to.
   */
  manages(rule: GroupRuleRecord, group: GroupRecord, user: UserRecord): boolean;
  /**
   * Called when `user` leaves `group` by hand: every rule that managed the membership excludes the
   * user, as Okta does ("User added to exclusion list for group rule"), so the rule does not add it back.
   */
  memberRemoved(group: GroupRecord, user: UserRecord): void;
  /**
   * Runs the ACTIVE rules for `user` after it was created (`previous` undefined) or its profile changed, as
   * Okta does: every rule it matches (and is not excluded from) adds it to the rule's live groups through
   * `add`; a member the rule managed under the previous profile (it matched then) and no longer matches is
   * removed through `remove`, unless another ACTIVE rule still keeps it in that group.
   */
  apply(user: UserRecord, previous: UserProfile | undefined, add: (group: GroupRecord, rule: GroupRuleRecord) => void, remove: (group: GroupRecord, rule: GroupRuleRecord) => void): void;
}

export function createGroupRuleStore(state: OrgState, isMember: (group: GroupRecord, user: UserRecord) => boolean): GroupRuleStore {
  const byId = new Map(state.groupRules.map((r) => [r.id, r]));
  const manages = (rule: GroupRuleRecord, group: GroupRecord, user: UserRecord): boolean =>
    rule.status === "ACTIVE" &&
    rule.groupIds.includes(group.id) &&
    !rule.excludedUserIds.includes(user.id) &&
    ruleMatches(rule, user) &&
    isMember(group, user);
  return {
    all: () => state.groupRules,
    get: (id) => byId.get(id),
    manages,
    apply(user, previous, add, remove) {
      if (user.deleted) return;
      const keeps = (rule: GroupRuleRecord, groupId: string): boolean =>
        rule.status === "ACTIVE" && rule.groupIds.includes(groupId) && !rule.excludedUserIds.includes(user.id) && ruleMatches(rule, user);
      if (previous !== undefined) {
        const before = { ...user, profile: previous };
        for (const rule of state.groupRules) {
          if (rule.status !== "ACTIVE" || rule.excludedUserIds.includes(user.id) || !ruleMatches(rule, before) || ruleMatches(rule, user)) continue;
          for (const groupId of rule.groupIds) {
            const group = liveGroup(state, groupId);
            if (group && group.type === "OKTA_GROUP" && isMember(group, user) && !state.groupRules.some((other) => keeps(other, groupId))) remove(group, rule);
          }
        }
      }
      if (user.status === "DEPROVISIONED") return;
      for (const rule of state.groupRules) {
        if (rule.status !== "ACTIVE" || rule.excludedUserIds.includes(user.id) || !ruleMatches(rule, user)) continue;
        for (const groupId of rule.groupIds) {
          const group = liveGroup(state, groupId);
          if (group && group.type === "OKTA_GROUP" && !isMember(group, user)) add(group, rule);
        }
      }
    },
    memberRemoved(group, user) {
      for (const rule of state.groupRules) {
        if (!rule.groupIds.includes(group.id) || liveGroup(state, group.id) === undefined) continue;
        if (rule.status === "ACTIVE" && !rule.excludedUserIds.includes(user.id) && ruleMatches(rule, user)) {
          rule.excludedUserIds.push(user.id);
          rule.lastUpdated = state.now();
        }
      }
    },
  };
}

/** Whether `user`'s profile passes every test of `rule`. */
export function ruleMatches(rule: Pick<GroupRuleRecord, "tests">, user: UserRecord): boolean {
  return rule.tests.every((t) => {
    const value = user.profile[t.attribute];
    if (t.test === "arrayContains") return Array.isArray(value) && value.includes(t.value);
    if (typeof value !== "string") return false;
    return t.test === "equals" ? value === t.value : value.startsWith(t.value);
  });
}

/** The Okta EL text of `tests`, joined with `&&`, as an admin would write it in the rule editor. */
export function ruleExpressionOf(tests: readonly RuleTest[]): string {
  return tests
    .map((t) => {
      const value = JSON.stringify(t.value);
      if (t.test === "equals") return `user.${t.attribute}==${value}`;
      if (t.test === "startsWith") return `String.startsWith(user.${t.attribute},${value})`;
      return `Arrays.contains(user.${t.attribute},${value})`;
    })
    .join(" && ");
}
