import type { GroupRecord, GroupRuleRecord, GroupRuleStatus, RuleTest, UserRecord } from "../org/types.js";
import { ruleExpressionOf, ruleMatches } from "../org/group-rules.js";
import type { GenerateContext } from "./users.js";

const DAY_MS = 86_400_000;

/** The rules every org with enough groups gets: which tests, how many target groups, which status. */
const RULES: readonly { name: string; tests: RuleTest[]; targets: number; status: GroupRuleStatus; exclude?: boolean }[] = [
  { name: "Engineering department", tests: [{ attribute: "department", test: "equals", value: "Engineering" }], targets: 1, status: "ACTIVE", exclude: true },
  {
    name: "Sales in the US",
    tests: [{ attribute: "department", test: "equals", value: "Sales" }, { attribute: "countryCode", test: "equals", value: "US" }],
    targets: 1,
    status: "ACTIVE",
  },
  { name: "Security titles", tests: [{ attribute: "title", test: "startsWith", value: "Security" }], targets: 2, status: "ACTIVE" },
  { name: "Finance department (paused)", tests: [{ attribute: "department", test: "equals", value: "Finance" }], targets: 1, status: "INACTIVE" },
  { name: "Contractors (draft)", tests: [{ attribute: "userType", test: "equals", value: "Contractor" }], targets: 1, status: "INACTIVE" },
  // Arrays.contains is outside the common EL subset: a connector that cannot read it must say so.
  { name: "Kubernetes skill", tests: [{ attribute: "skills", test: "arrayContains", value: "kubernetes" }], targets: 1, status: "ACTIVE" },
];

/**
 * Generates group rules over non-empty OKTA_GROUPs and applies the ACTIVE ones as Okta does: every
 * matching user who is not DEPROVISIONED (Okta does not run rules for deactivated users) is added
 * to the rule's groups. The first rule excludes one matching user who was not already a member, as
 * Okta does when an admin removes a rule-added member by hand. Runs after every other stage, so it
 * only adds memberships to groups that already have members; orgs with fewer than four such groups
 * get no rules.
 */
export function generateGroupRules(ctx: GenerateContext, users: readonly UserRecord[], groups: readonly GroupRecord[]): GroupRuleRecord[] {
  const { prng } = ctx;
  const candidates = groups.filter((g) => g.type === "OKTA_GROUP" && g.members.size > 0);
  if (candidates.length < 4 || users.length === 0) return [];
  const rules: GroupRuleRecord[] = [];
  for (const spec of RULES) {
    // A group named like the department (the generator makes some) is the natural target.
    const named = candidates.find((g) => spec.tests.some((t) => t.test === "equals" && g.profile.name === t.value));
    const targets = new Set<GroupRecord>(named ? [named] : []);
    while (targets.size < spec.targets) targets.add(prng.pick(candidates));
    const created = ctx.now - prng.range(30, 900) * DAY_MS;
    const rule: GroupRuleRecord = {
      id: ctx.ids.mint("0pr"),
      name: spec.name,
      status: spec.status,
      created,
      lastUpdated: created + prng.int(ctx.now - created),
      expression: ruleExpressionOf(spec.tests),
      tests: spec.tests,
      groupIds: [...targets].map((g) => g.id),
      excludedUserIds: [],
    };
    const matching = users.filter((u) => !u.deleted && u.status !== "DEPROVISIONED" && ruleMatches(rule, u));
    if (spec.exclude) {
      const [target] = targets;
      const excluded = matching.find((u) => !target!.members.has(u.index));
      if (excluded) rule.excludedUserIds.push(excluded.id);
    }
    if (rule.status === "ACTIVE") {
      for (const user of matching) {
        if (rule.excludedUserIds.includes(user.id)) continue;
        for (const group of targets) group.members.add(user.index);
      }
    }
    rules.push(rule);
  }
  return rules;
}
