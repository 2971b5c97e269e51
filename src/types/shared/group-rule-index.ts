import { entitlementId } from "../../protocol/ids.js";
import type { OktaGroupRule } from "./group-rules-okta.js";
import { parseOktaExpression, type ParsedOktaExpression } from "./okta-expression-parser.js";
import { evaluateOktaExpression, type ExpressionSubject } from "./okta-expression.js";

/**
 * Which rule keeps which membership. Okta does not say per membership whether a rule added it, so
 * it is worked out: a rule manages user U's membership in group G when the rule is ACTIVE, G is one
 * of its groups, U is not excluded, U is a member of G, and the rule's expression holds for U.
 * Rules whose expression is outside the subset the evaluator reads are kept apart: they name no
 * membership, and the sync reports them.
 */

/** The `group-rule` type's one entitlement slug: the rule assigns its users to the groups holding it. */
export const GROUP_RULE_ASSIGNS_SLUG = "assigns";

/** `group-rule:{ruleId}:assigns`: the key a rule-managed membership grant's `sources` names the rule by. */
export function ruleSourceEntitlementId(ruleId: string): string {
  return entitlementId("group-rule", ruleId, GROUP_RULE_ASSIGNS_SLUG);
}

export interface IndexedRule {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly groupIds: readonly string[];
  readonly excluded: ReadonlySet<string>;
  readonly expression: string;
  readonly parsed: ParsedOktaExpression;
  readonly rule: OktaGroupRule;
}

export interface GroupRuleIndex {
  /** Every rule, in Okta's order. */
  readonly rules: readonly IndexedRule[];
  /** ACTIVE rules the evaluator reads, by target group id. */
  readonly readableByGroup: ReadonlyMap<string, readonly IndexedRule[]>;
  /** Rules whose expression the evaluator cannot read, with the reason (whatever their status). */
  readonly unreadable: readonly (IndexedRule & { readonly reason: string })[];
}

/** Indexes `rules` (pure). */
export function groupRuleIndexOf(rules: readonly OktaGroupRule[]): GroupRuleIndex {
  const indexed: IndexedRule[] = [];
  const readableByGroup = new Map<string, IndexedRule[]>();
  const unreadable: (IndexedRule & { reason: string })[] = [];
  for (const rule of rules) {
    const expression = rule.conditions?.expression?.value ?? "";
    const entry: IndexedRule = {
      id: rule.id,
      name: rule.name ?? rule.id,
      status: rule.status ?? "",
      groupIds: [...new Set(rule.actions?.assignUserToGroups?.groupIds ?? [])],
      excluded: new Set(rule.conditions?.people?.users?.exclude ?? []),
      expression,
      parsed: parseOktaExpression(expression),
      rule,
    };
    indexed.push(entry);
    if (!entry.parsed.ok) {
      unreadable.push({ ...entry, reason: entry.parsed.reason });
      continue;
    }
    if (entry.status !== "ACTIVE") continue;
    for (const groupId of entry.groupIds) readableByGroup.set(groupId, [...(readableByGroup.get(groupId) ?? []), entry]);
  }
  return { rules: indexed, readableByGroup, unreadable };
}

/** A member as the index evaluates it: id, profile, and its groups when already known. */
export interface RuleSubject extends ExpressionSubject {
  readonly id: string;
}

/**
 * The readable ACTIVE rules that keep `subject` (a member of `groupId`) there. `needsGroups` is true
 * when some rule's answer depends on the user's groups and `subject.groups` was not given: the caller
 * asks again with them.
 */
export function rulesManaging(index: GroupRuleIndex, groupId: string, subject: RuleSubject): { readonly rules: readonly IndexedRule[]; readonly needsGroups: boolean } {
  const rules: IndexedRule[] = [];
  let needsGroups = false;
  for (const rule of index.readableByGroup.get(groupId) ?? []) {
    if (rule.excluded.has(subject.id) || !rule.parsed.ok) continue;
    const holds = evaluateOktaExpression(rule.parsed.expression, subject);
    if (holds === undefined) needsGroups = true;
    else if (holds) rules.push(rule);
  }
  return { rules, needsGroups };
}

/** Whether any readable ACTIVE rule targets `groupId` and does not exclude `userId` (worth evaluating). */
export function mayBeRuleManaged(index: GroupRuleIndex, groupId: string, userId: string): boolean {
  return (index.readableByGroup.get(groupId) ?? []).some((r) => !r.excluded.has(userId));
}
