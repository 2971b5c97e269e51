import { clone } from "@bufbuild/protobuf";
import { type ResourceType, ResourceTypeSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import { has, skipEntitlementsAndGrants } from "./annotations.js";
import { SkipEntitlementsAndGrantsSchema } from "../../gen/c1/connector/v2/annotation_resource_tree_pb.js";
import type { CoverageGap, SyncCallContext } from "./resource-syncer.js";
import type { SyncerRegistry } from "./syncer-registry.js";

export interface TypeCoverage {
  readonly resourceTypeId: string;
  readonly gaps: readonly CoverageGap[];
}

/** What each resource type cannot see with this credential and configuration. */
export async function coverageOf(registry: SyncerRegistry, ctx: SyncCallContext): Promise<TypeCoverage[]> {
  return Promise.all(registry.syncers.map(async (s) => ({ resourceTypeId: s.resourceType.id, gaps: (await s.coverageGaps?.(ctx)) ?? [] })));
}

/**
 * The resource types as ListResourceTypes reports them. A type the credential cannot read is still
 * listed, so the engine never mistakes it for an empty result: its description says what is missing
 * and how to get it, and SkipEntitlementsAndGrants spares the engine calls that would return nothing.
 */
export async function resourceTypesWithCoverage(registry: SyncerRegistry, ctx: SyncCallContext): Promise<ResourceType[]> {
  const coverage = await coverageOf(registry, ctx);
  return registry.syncers.map((syncer, i) => {
    const type = clone(ResourceTypeSchema, syncer.resourceType);
    const unreadable = coverage[i]!.gaps.filter((g) => g.scope === "resources" && g.reason === "missing-permission");
    if (unreadable.length > 0) {
      type.description = `Not synced with this credential: ${unreadable.map((g) => g.detail).join("; ")}`;
      if (!has(type.annotations, SkipEntitlementsAndGrantsSchema)) type.annotations.push(skipEntitlementsAndGrants());
    }
    return type;
  });
}
