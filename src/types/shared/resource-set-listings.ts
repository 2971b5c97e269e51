import type { OktaBinding, OktaResourceSet, OktaRolesApi, Page } from "../../okta/index.js";
import type { SyncCallContext } from "../../protocol/resource-syncer.js";
import { createPerSyncMemo } from "./per-sync-memo.js";

/**
 * The resource sets and their bindings, which two types list in one sync: the resource-set type (its
 * grants are the bindings) and the binding type (its resources). Each page is read once per sync
 * (per-sync-memo.ts), not once per type: at 1,000 users those repeats were 4 of the sync's 139 calls.
 */
export interface ResourceSetListings {
  resourceSets(ctx: SyncCallContext, after: string | undefined): Promise<Page<OktaResourceSet>>;
  bindings(ctx: SyncCallContext, resourceSetId: string, after: string | undefined): Promise<Page<OktaBinding>>;
}

export function createResourceSetListings(roles: Pick<OktaRolesApi, "listResourceSets" | "listBindings">): ResourceSetListings {
  const once = createPerSyncMemo();
  return {
    resourceSets: (ctx, after) => once(ctx, `resource-sets\n${after ?? ""}`, () => roles.listResourceSets({ after, signal: ctx.signal })),
    bindings: (ctx, setId, after) => once(ctx, `bindings\n${setId}\n${after ?? ""}`, () => roles.listBindings(setId, { after, signal: ctx.signal })),
  };
}
