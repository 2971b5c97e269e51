import type { OktaClient } from "../../okta/index.js";
import { ConnectorError } from "../../protocol/errors.js";
import type { CoverageGap, ResourceSyncer } from "../../protocol/resource-syncer.js";
import { groupRuleIndexOf } from "../shared/group-rule-index.js";
import { getGroupRule, isGroupRuleId } from "../shared/group-rules-okta.js";
import type { GroupRulesSource } from "../shared/group-rules-source.js";
import { GET_RESOURCE_ID_FIELD } from "../shared/request-fields.js";
import { GROUP_RULE_TYPE } from "./resource-type.js";
import { assignsEntitlementOf, assignsGrantOf, groupRuleResourceOf, ruleGroupIdsOf } from "./group-rule-mappers.js";

/**
 * Okta group rules → `group-rule` resources with one `assigns` entitlement, held by the groups each
 * rule adds users to. Everything comes from the one shared read of the rules (⌈rules / 200⌉ calls a
 * sync), which the group type also uses to name the rule behind a membership. Read only.
 */
export interface GroupRuleSyncerDeps {
  readonly rules: GroupRulesSource;
  /** For GetResource: one rule, read live. */
  readonly client: OktaClient;
}

/** Rules per page: the read holds them all, so this only bounds a page's size. */
const PAGE_SIZE = 200;
/** Coverage is asked once at the start of every sync: a copy older than this is read again. */
const COVERAGE_MAX_AGE_MS = 10_000;

function offsetOf(cursor: unknown): number {
  const offset = typeof cursor === "object" && cursor !== null ? (cursor as { offset?: unknown }).offset : undefined;
  return typeof offset === "number" && Number.isInteger(offset) && offset > 0 ? offset : 0;
}

export function createGroupRuleSyncer(deps: GroupRuleSyncerDeps) {
  return {
    resourceType: GROUP_RULE_TYPE,
    async coverageGaps(ctx) {
      const read = await deps.rules.load({ signal: ctx.signal, maxAgeMs: COVERAGE_MAX_AGE_MS, syncId: ctx.activeSyncId });
      if (!read.readable) return [read.gap];
      // A rule the evaluator cannot read still lists, but the memberships it keeps name no rule.
      return read.index.unreadable.map((rule): CoverageGap => ({
        scope: "grants",
        reason: "filtered",
        detail: `group rule ${rule.id} ("${rule.name}"): its expression is outside the Okta Expression Language subset the connector evaluates (${rule.reason}), so the memberships it manages carry no rule source`,
      }));
    },
    async list(_parent, cursor, ctx) {
      const read = await deps.rules.load({ signal: ctx.signal, syncId: ctx.activeSyncId });
      const offset = offsetOf(cursor);
      const rules = read.index.rules.slice(offset, offset + PAGE_SIZE);
      const next = offset + PAGE_SIZE < read.index.rules.length ? { offset: offset + PAGE_SIZE } : undefined;
      return { items: rules.map(groupRuleResourceOf), cursor: next };
    },
    async get(id, _parent, ctx) {
      if (!isGroupRuleId(id.resource)) throw new ConnectorError("invalid", `${GET_RESOURCE_ID_FIELD}: ${JSON.stringify(id.resource.slice(0, 64))} is not a valid Okta group rule id`);
      // Okta's 404 becomes NOT_FOUND in the getter service, as for every type.
      const rule = await getGroupRule(deps.client, id.resource, { signal: ctx.signal });
      return groupRuleResourceOf(groupRuleIndexOf([rule]).rules[0]!);
    },
    async entitlements(resource) {
      return { items: [assignsEntitlementOf(resource)] };
    },
    async grants(resource) {
      const entitlement = assignsEntitlementOf(resource);
      return { items: ruleGroupIdsOf(resource).map((groupId) => assignsGrantOf(entitlement, groupId)) };
    },
  } satisfies ResourceSyncer;
}
