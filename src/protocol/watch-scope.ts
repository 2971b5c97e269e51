import { create } from "@bufbuild/protobuf";
import { type ResourceId, ResourceIdSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import type { LogEntry } from "./event-feed.js";

/**
 * What some System Log entries touched, as Watch re-reads it: single resources, and whole types.
 *
 * Watch sends fresh state rather than the events themselves, so that a late, repeated or reordered
 * entry cannot leave the engine with a stale answer: whatever order the entries arrive in, the last
 * read of a resource happens after its last change became visible. A grant or revoke therefore
 * re-reads the resource the entitlement belongs to (a group's members, an app's assignments), and a
 * resource change re-reads the resource. A type whose changes Okta does not log precisely (its entry
 * names `wholeTypes`) is re-read whole.
 */
export interface WatchScope {
  /** Resources to re-read, each once, ordered by `typeOrder` (dependency order) and then first mention. */
  readonly resources: readonly ResourceId[];
  /** Types to re-read whole, in `typeOrder`. */
  readonly types: readonly string[];
  /**
   * Principals of grant events, with the type of the entitlement: what they hold on that type is re-read
   * from their side too, where the type can (a membership's rule sources depend on the user's other groups).
   */
  readonly principals: readonly { readonly principal: ResourceId; readonly resourceTypeId: string }[];
  /** Successful changes that neither their events nor a whole-type read can place. */
  readonly unscoped: readonly LogEntry[];
}

/** The scope of `entries`, keeping only the types in `typeOrder` (the ones a sync holds). */
export function scopeOfEntries(entries: readonly LogEntry[], typeOrder: readonly string[]): WatchScope {
  const rank = new Map(typeOrder.map((id, i) => [id, i]));
  const types = new Set<string>();
  const resources = new Map<string, ResourceId>();
  const unscoped: LogEntry[] = [];
  const principals = new Map<string, { principal: ResourceId; resourceTypeId: string }>();
  const addPrincipal = (principal: ResourceId | undefined, resourceTypeId: string | undefined) => {
    if (!principal || !resourceTypeId || !rank.has(principal.resourceType) || !rank.has(resourceTypeId)) return;
    const key = `${resourceTypeId}\n${principal.resourceType}\n${principal.resource}`;
    if (!principals.has(key)) principals.set(key, { principal: create(ResourceIdSchema, { resourceType: principal.resourceType, resource: principal.resource }), resourceTypeId });
  };
  const add = (id: ResourceId | undefined) => {
    if (!id || !rank.has(id.resourceType) || id.resource === "") return;
    const key = `${id.resourceType}\n${id.resource}`;
    if (!resources.has(key)) resources.set(key, create(ResourceIdSchema, { resourceType: id.resourceType, resource: id.resource }));
  };
  for (const entry of entries) {
    if (entry.unscoped) unscoped.push(entry);
    for (const type of entry.wholeTypes) if (rank.has(type)) types.add(type);
    for (const read of entry.principalReads) addPrincipal(create(ResourceIdSchema, read.principal), read.resourceTypeId);
    // A type read from the principal's side for this entry needs no read of the entitlement's resource.
    const fromPrincipal = new Set(entry.principalReads.map((r) => r.resourceTypeId));
    const addEntitlementResource = (id: ResourceId | undefined) => {
      if (id && !fromPrincipal.has(id.resourceType)) add(id);
    };
    for (const { event } of entry.events) {
      switch (event.case) {
        case "resourceChangeEvent":
          add(event.value.resourceId);
          break;
        case "createGrantEvent":
        case "createRevokeEvent":
        case "revokeEvent":
          addEntitlementResource(event.value.entitlement?.resource?.id);
          addPrincipal(event.value.principal?.id, event.value.entitlement?.resource?.id?.resourceType);
          break;
        case "grantEvent":
          addEntitlementResource(event.value.grant?.entitlement?.resource?.id);
          break;
        default:
          // Usage changes nothing a sync holds.
          break;
      }
    }
  }
  const ordered = [...resources.values()]
    .filter((id) => !types.has(id.resourceType))
    .map((id, i) => ({ id, i }))
    .sort((a, b) => rank.get(a.id.resourceType)! - rank.get(b.id.resourceType)! || a.i - b.i)
    .map(({ id }) => id);
  return { resources: ordered, types: typeOrder.filter((t) => types.has(t)), principals: [...principals.values()].filter((p) => !types.has(p.resourceTypeId)), unscoped };
}

export function isEmptyScope(scope: WatchScope): boolean {
  return scope.resources.length === 0 && scope.types.length === 0 && scope.principals.length === 0;
}
