import type { SyncOptions } from "../../config/config.js";
import type { CoverageGap } from "../../protocol/resource-syncer.js";

/**
 * --sync-custom-roles turns on three types together (custom-role, resource-set, resourceset-binding):
 * whether each is synced, and the gap each reports when it is not.
 */
export const syncsCustomRoles = (o: SyncOptions): boolean => o.syncCustomRoles;

export function customRolesFlagGaps(o: SyncOptions): readonly CoverageGap[] {
  return o.syncCustomRoles
    ? []
    : [{ scope: "resources", reason: "disabled-by-flag", detail: "custom roles, resource sets and bindings are not synced", flag: "--sync-custom-roles" }];
}
