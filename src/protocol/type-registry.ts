import type { CoverageGap, ResourceSyncer } from "./resource-syncer.js";
import { createSyncerRegistry, type SyncerRegistry } from "./syncer-registry.js";
import { syncOrderOf } from "./sync-order.js";
import type { ResourceTypeDescriptor } from "./type-descriptor.js";

export interface TypeRegistryInput<Context, Options, Need extends string> {
  readonly descriptors: readonly ResourceTypeDescriptor<Context, Options, Need>[];
  readonly options: Options;
  readonly context: Context;
  /** Every capability name the credential is probed for; a need outside it is a typo, refused at start-up. */
  readonly knownNeeds: readonly Need[];
}

export interface TypeRegistry<Need extends string> {
  /** The syncers of the types the flags include, in sync order (dependencies first). */
  readonly syncers: SyncerRegistry;
  /** What the flags leave out, per type in sync order: of excluded types too, so coverage says why they are missing. */
  readonly configurationGaps: readonly { readonly resourceTypeId: string; readonly gap: CoverageGap }[];
  /** The capability provisioning a type needs; undefined for a type that does not provision (or is unknown). */
  writeNeedOf(resourceTypeId: string): Need | undefined;
}

/** Whether a syncer writes to Okta in any way, so must say which write capability it needs. */
function provisions(syncer: ResourceSyncer): boolean {
  return Boolean(syncer.grant || syncer.revoke || syncer.createAccount || syncer.delete || (syncer.actions ?? []).length > 0);
}

/**
 * Builds every per-type table from the descriptors, once, when the connector starts, and refuses a
 * list that cannot be served: a duplicate id, a type declaring no read need (or an unknown one), a
 * provisioning type without a write need, a syncer answering for another type, an unknown
 * dependency or a dependency cycle. Each is a programming error better found before the first RPC.
 */
export function createTypeRegistry<Context, Options, Need extends string>(input: TypeRegistryInput<Context, Options, Need>): TypeRegistry<Need> {
  const known = new Set<string>(input.knownNeeds);
  const seen = new Set<string>();
  for (const d of input.descriptors) {
    const id = d.resourceType.id;
    if (seen.has(id)) throw new Error(`two descriptors declare resource type "${id}"`);
    seen.add(id);
    // Checked at run time too: a descriptor written in plain JS, or cast, must not slip through.
    const needs = d.needs as Partial<typeof d.needs> | undefined;
    if (!needs?.read) throw new Error(`resource type "${id}" declares no read need: say which capability listing it takes`);
    for (const need of [needs.read, needs.write]) {
      if (need !== undefined && !known.has(need)) throw new Error(`resource type "${id}" needs "${need}", which is not a known capability (${[...known].join(", ")})`);
    }
  }
  const ordered = syncOrderOf(input.descriptors.map((d) => ({ id: d.resourceType.id, dependsOn: d.dependsOn, descriptor: d })));
  const enabled = ordered.filter((o) => o.descriptor.isEnabled?.(input.options) ?? true);
  const syncers = enabled.map(({ id, descriptor }) => {
    const syncer = descriptor.createSyncer(input.context);
    if (syncer.resourceType.id !== id) throw new Error(`the syncer of resource type "${id}" answers for "${syncer.resourceType.id}"`);
    if (provisions(syncer) && descriptor.needs.write === undefined) throw new Error(`resource type "${id}" provisions but declares no write need`);
    return syncer;
  });
  const writeNeeds = new Map(ordered.map((o) => [o.id, o.descriptor.needs.write]));
  return {
    syncers: createSyncerRegistry(syncers),
    configurationGaps: ordered.flatMap(({ id, descriptor }) => (descriptor.configurationGaps?.(input.options) ?? []).map((gap) => ({ resourceTypeId: id, gap }))),
    writeNeedOf: (resourceTypeId) => writeNeeds.get(resourceTypeId),
  };
}
