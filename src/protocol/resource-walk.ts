import { fromBinary, toBinary } from "@bufbuild/protobuf";
import type { Any } from "@bufbuild/protobuf/wkt";
import { SkipEntitlementsAndGrantsSchema, SkipEntitlementsSchema, SkipGrantsSchema } from "../../gen/c1/connector/v2/annotation_resource_tree_pb.js";
import { type Resource, ResourceSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import { has } from "./annotations.js";

/**
 * Which resources a paged sync will ask about next. An engine asks for the entitlements, then the
 * grants, of its stored resources one after another, in the order it stored them, which is the order
 * ListResources answered them: our engine walks that order forward; baton-sdk v0.25.0 reads its store
 * 10,000 rows at a time and works each batch from the last row back. So the connector keeps, per sync,
 * the order it listed the resources in, and once two asks of one listing name neighbouring resources it
 * knows the direction of the walk and can name the resources that come next.
 *
 * Bounds: a sync's resources are kept encoded, `maxBytes` in all (later ones are not kept, and the walk
 * is not predicted past them), and at most `maxSyncs` syncs, the least recently used dropped first.
 */
export interface ResourceWalkOptions {
  /** Default 8 MiB. */
  readonly maxBytes?: number;
  /** Default 4. */
  readonly maxSyncs?: number;
}

/** The listings an engine walks its stored resources for. */
export type WalkedListing = "entitlements" | "grants";

export interface ResourceWalk {
  /**
   * Notes resources as ListResources answered them, for the sync `sync`, with the listings the engine
   * skips for each (its Skip* annotations). `scope` names the listing (type and parent): its first page
   * answered again means a new sync under the same key, which starts a new order.
   */
  listed(sync: string, scope: string, firstPage: boolean, resources: readonly { readonly resource: Resource; readonly skips: ReadonlySet<WalkedListing> }[]): void;
  /** Notes the engine's first ask of `listing` for the resource `key` (`type/id`): where the walk is, and its direction. */
  asked(sync: string, listing: WalkedListing, key: string): void;
  /**
   * The resources the engine will ask `listing` of next, nearest first, at most `count`, none asked of
   * before (decoded on demand). None while the direction is unknown: before the second ask, and after
   * a jump (a new batch of baton-sdk's store).
   */
  ahead(sync: string, listing: WalkedListing, count: number): { readonly key: string; resource(): Resource }[];
}

/** A jump of more than this many positions is a new batch, not a step: its direction is unknown. */
const MAX_STEP = 4;
/** Positions looked at past the `count` wanted, at most, for one ask. */
const MAX_SCAN = 64;

interface Walked {
  readonly encoded: Uint8Array[];
  readonly keys: string[];
  readonly skips: ReadonlySet<WalkedListing>[];
  readonly position: Map<string, number>;
  readonly scopes: Set<string>;
  bytes: number;
  readonly listings: Map<WalkedListing, { last: number | undefined; direction: number; asked: Set<number> }>;
}

/**
 * The listings an engine skips for a resource, as baton-sdk v0.25.0 reads the Skip* annotations:
 * SkipEntitlementsAndGrants and SkipEntitlements on the resource or its type, SkipGrants on the
 * resource only.
 */
export function skippedListings(resource: readonly Any[], type: readonly Any[]): ReadonlySet<WalkedListing> {
  const both = has(resource, SkipEntitlementsAndGrantsSchema) || has(type, SkipEntitlementsAndGrantsSchema);
  const skips = new Set<WalkedListing>();
  if (both || has(resource, SkipEntitlementsSchema) || has(type, SkipEntitlementsSchema)) skips.add("entitlements");
  if (both || has(resource, SkipGrantsSchema)) skips.add("grants");
  return skips;
}

export function resourceKeyOf(resource: Resource): string {
  return `${resource.id?.resourceType ?? ""}/${resource.id?.resource ?? ""}`;
}

export function createResourceWalk(options: ResourceWalkOptions = {}): ResourceWalk {
  const maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
  const maxSyncs = options.maxSyncs ?? 4;
  // Insertion order is use order: a sync used again moves to the end.
  const syncs = new Map<string, Walked>();
  const fresh = (): Walked => ({ encoded: [], keys: [], skips: [], position: new Map(), scopes: new Set(), bytes: 0, listings: new Map() });
  const use = (sync: string, create: boolean): Walked | undefined => {
    let walked = syncs.get(sync);
    if (walked === undefined) {
      if (!create) return undefined;
      walked = fresh();
    }
    syncs.delete(sync);
    syncs.set(sync, walked);
    for (const oldest of syncs.keys()) {
      if (syncs.size <= maxSyncs) break;
      syncs.delete(oldest);
    }
    return walked;
  };

  return {
    listed(sync, scope, firstPage, resources) {
      let walked = use(sync, true)!;
      if (firstPage && walked.scopes.has(scope)) {
        walked = fresh();
        syncs.set(sync, walked);
      }
      walked.scopes.add(scope);
      for (const { resource, skips } of resources) {
        const key = resourceKeyOf(resource);
        if (walked.position.has(key) || (skips.has("entitlements") && skips.has("grants"))) continue;
        const bytes = toBinary(ResourceSchema, resource);
        if (walked.bytes + bytes.byteLength > maxBytes) return;
        walked.bytes += bytes.byteLength;
        walked.position.set(key, walked.encoded.length);
        walked.encoded.push(bytes);
        walked.keys.push(key);
        walked.skips.push(skips);
      }
    },

    asked(sync, listing, key) {
      const walked = use(sync, false);
      const at = walked?.position.get(key);
      if (walked === undefined || at === undefined) return;
      let state = walked.listings.get(listing);
      if (state === undefined) walked.listings.set(listing, (state = { last: undefined, direction: 0, asked: new Set() }));
      const step = state.last === undefined ? 0 : at - state.last;
      state.direction = step === 0 || Math.abs(step) > MAX_STEP ? 0 : Math.sign(step);
      state.last = at;
      state.asked.add(at);
    },

    ahead(sync, listing, count) {
      const walked = use(sync, false);
      const state = walked?.listings.get(listing);
      if (walked === undefined || state === undefined || state.last === undefined || state.direction === 0) return [];
      const { direction, asked } = state;
      const ahead: { key: string; resource(): Resource }[] = [];
      // The scan is bounded too: past resources the engine skips, or already asked about, it stops.
      for (let p = state.last + direction, seen = 0; p >= 0 && p < walked.encoded.length && ahead.length < count && seen < count + MAX_SCAN; p += direction, seen++) {
        if (asked.has(p) || walked.skips[p]!.has(listing)) continue;
        const encoded = walked.encoded[p]!;
        ahead.push({ key: walked.keys[p]!, resource: () => fromBinary(ResourceSchema, encoded) });
      }
      return ahead;
    },
  };
}
