import type { ResourceSyncer } from "./resource-syncer.js";

export interface SyncerRegistry {
  /** In registration order, which is the order resource types are listed and synced. */
  readonly syncers: readonly ResourceSyncer[];
  /** The syncer of a resource type, or undefined for a type this connector does not serve. */
  find(resourceTypeId: string): ResourceSyncer | undefined;
}

/** Indexes syncers by resource type id, refusing duplicates at start-up rather than at the first RPC. */
export function createSyncerRegistry(syncers: readonly ResourceSyncer[]): SyncerRegistry {
  const byId = new Map<string, ResourceSyncer>();
  for (const syncer of syncers) {
    const id = syncer.resourceType.id;
    if (id === "") throw new Error("a resource syncer has an empty resource type id");
    if (byId.has(id)) throw new Error(`two resource syncers claim resource type "${id}"`);
    byId.set(id, syncer);
  }
  return { syncers: [...syncers], find: (id) => byId.get(id) };
}
