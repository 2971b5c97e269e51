import type { CoverageGap, SyncCallContext } from "../../protocol/resource-syncer.js";

/**
 * Why the credential cannot read admin roles, or undefined when it can. Every role-related type
 * (role, custom-role, resource-set, resourceset-binding) depends on the same permission.
 */
export type RolesUnreadable = (ctx: SyncCallContext) => Promise<CoverageGap | undefined>;

/** The coverageGaps member of a role-related syncer: the one gap, when roles cannot be read. */
export function roleCoverageGaps(rolesUnreadable: RolesUnreadable) {
  return async (ctx: SyncCallContext): Promise<readonly CoverageGap[]> => {
    const gap = await rolesUnreadable(ctx);
    return gap ? [gap] : [];
  };
}
