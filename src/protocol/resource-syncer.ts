import type { Entitlement } from "../../gen/c1/connector/v2/entitlement_pb.js";
import type { Grant } from "../../gen/c1/connector/v2/grant_pb.js";
import type { Resource, ResourceId, ResourceType } from "../../gen/c1/connector/v2/resource_pb.js";

/**
 * A syncer's own position in a listing: small, JSON-serialisable state (typically a phase and an Okta
 * `after` value). The protocol layer wraps it in a signed page token; syncers never see token strings.
 */
export type Cursor = string | number | boolean | null | readonly Cursor[] | { readonly [key: string]: Cursor };

export interface Page<T> {
  readonly items: readonly T[];
  /** Where the next page starts; undefined when this is the last page. */
  readonly cursor?: Cursor | undefined;
}

export interface SyncCallContext {
  /** Aborts when the client cancels, the deadline passes or the server shuts down: stop calling Okta. */
  readonly signal: AbortSignal;
}

/** Why a resource type is not (fully) synced: reported in ListResourceTypes annotations and Sync's coverage. */
export interface CoverageGap {
  readonly scope: "resources" | "entitlements" | "grants";
  readonly reason: "missing-permission" | "disabled-by-flag" | "filtered";
  readonly detail: string;
  readonly missingOktaRole?: string;
  readonly flag?: string;
}

/**
 * One Okta resource type: the seam between the baton protocol (written once, in this folder) and
 * Okta (one small module per type in src/syncers/). Both the paged c1 RPCs and the streaming RPCs
 * are adapters over these methods, so their output is identical by construction.
 */
export interface ResourceSyncer {
  readonly resourceType: ResourceType;
  /** Resources of this type, page by page; `parent` is set when listing children of a resource. */
  list(parent: ResourceId | undefined, cursor: Cursor | undefined, ctx: SyncCallContext): Promise<Page<Resource>>;
  entitlements(resource: Resource, cursor: Cursor | undefined, ctx: SyncCallContext): Promise<Page<Entitlement>>;
  grants(resource: Resource, cursor: Cursor | undefined, ctx: SyncCallContext): Promise<Page<Grant>>;
  /** One resource by id, for targeted sync (ResourceGetterService); undefined when it does not exist. */
  get?(id: ResourceId, parent: ResourceId | undefined, ctx: SyncCallContext): Promise<Resource | undefined>;
  /** What this syncer cannot see with the current credential or flags (may ask Okta once). */
  coverageGaps?(ctx: SyncCallContext): Promise<readonly CoverageGap[]>;
}
