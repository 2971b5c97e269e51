import type { CallOptions, OktaClient } from "../../okta/index.js";
import type { CoverageGap } from "../../protocol/resource-syncer.js";
import { allPages } from "./cursor.js";
import { groupRuleIndexOf, type GroupRuleIndex } from "./group-rule-index.js";
import { listGroupRules } from "./group-rules-okta.js";
import { isOktaFailure } from "./provisioning.js";

/**
 * Every group rule of the org, read once and shared by the `group-rule` type (its resources and
 * grants) and the `group` type (the rule named in a membership's sources). A pass costs
 * ⌈rules / 200⌉ calls to /api/v1/groups/rules. Sync asks for coverage first, so that read starts a
 * fresh index (`maxAgeMs` small); the listings later in the same sync reuse it.
 */
export type GroupRulesRead =
  | { readonly readable: true; readonly index: GroupRuleIndex }
  /** Okta answered 403: the credential may not read rules (an OAuth app without an admin role). */
  | { readonly readable: false; readonly gap: CoverageGap; readonly index: GroupRuleIndex };

export interface GroupRulesSource {
  /**
   * The rules, read again when the copy is older than `maxAgeMs` (default 30 minutes) or was read for
   * another sync than `syncId` (the caller's SyncCallContext.activeSyncId; Watch names one per change).
   */
  load(options: CallOptions & { maxAgeMs?: number; syncId?: string | undefined }): Promise<GroupRulesRead>;
  /** The rules as Okta holds them now, bypassing the copy (a revoke decides on current rules). */
  readNow(options: CallOptions): Promise<GroupRulesRead>;
}

const DEFAULT_MAX_AGE_MS = 30 * 60 * 1000;

export const GROUP_RULES_UNREADABLE: CoverageGap = {
  scope: "resources",
  reason: "missing-permission",
  detail: "listing group rules needs an admin role that reads groups and, for an OAuth app, the okta.groups.read scope (Okta answered 403); memberships carry no rule source",
};

const EMPTY = groupRuleIndexOf([]);

export function createGroupRulesSource(client: OktaClient): GroupRulesSource {
  let cached: { builtAt: number; syncId: string | undefined; read: Promise<GroupRulesRead> } | undefined;
  const readNow = async (options: CallOptions): Promise<GroupRulesRead> => {
    try {
      const rules = await allPages("GET /api/v1/groups/rules", (after) => listGroupRules(client, { ...options, after }));
      return { readable: true, index: groupRuleIndexOf(rules) };
    } catch (error) {
      if (isOktaFailure(error, "forbidden")) return { readable: false, gap: GROUP_RULES_UNREADABLE, index: EMPTY };
      throw error;
    }
  };
  return {
    load({ maxAgeMs = DEFAULT_MAX_AGE_MS, syncId, ...options }) {
      // A call naming no sync takes whatever copy there is, as the role index does.
      const otherSync = syncId !== undefined && syncId !== cached?.syncId;
      if (!cached || otherSync || Date.now() - cached.builtAt > maxAgeMs) {
        const entry = { builtAt: Date.now(), syncId, read: readNow(options) };
        cached = entry;
        // A failed or cancelled read must not be served to the next caller.
        entry.read.catch(() => {
          if (cached === entry) cached = undefined;
        });
      }
      return cached.read;
    },
    readNow,
  };
}
