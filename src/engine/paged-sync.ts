import { randomUUID } from "node:crypto";
import { type Any, anyIs, anyUnpack } from "@bufbuild/protobuf/wkt";
import { ChildResourceTypeSchema, SkipEntitlementsAndGrantsSchema, SkipEntitlementsSchema, SkipGrantsSchema } from "../../gen/c1/connector/v2/annotation_resource_tree_pb.js";
import type { Entitlement } from "../../gen/c1/connector/v2/entitlement_pb.js";
import type { Grant } from "../../gen/c1/connector/v2/grant_pb.js";
import type { Resource, ResourceId, ResourceType } from "../../gen/c1/connector/v2/resource_pb.js";
import type { ConnectorClients } from "./connector-client.js";
import { callPageWithRetry } from "./page-retry.js";
import type { SyncRetryPolicy } from "./retry-policy.js";
import type { RetryNotice } from "./sync-progress.js";
import { missingTraitOf } from "./trait-check.js";

/** Receives what a sync finds, in dependency order: types, then resources, then entitlements, then grants. */
export interface SyncSink {
  resourceTypes(items: readonly ResourceType[]): void | Promise<void>;
  resources(items: readonly Resource[]): void | Promise<void>;
  entitlements(items: readonly Entitlement[]): void | Promise<void>;
  grants(items: readonly Grant[]): void | Promise<void>;
  /**
   * The resources this sink has stored, in the order first stored, each once. A sink that can read them
   * back (a snapshot) spares the sync from holding every resource in memory for the entitlement and
   * grant passes: at 100,000 users that list alone was most of the paged client's 769 MB peak.
   */
  storedResources?(): Iterable<Resource>;
}

export interface PagedSyncProgress {
  readonly phase: "resource-types" | "resources" | "entitlements" | "grants";
  readonly resources: number;
  readonly entitlements: number;
  readonly grants: number;
  readonly calls: number;
  /** Page requests sent again after UNAVAILABLE. */
  readonly retries: number;
}

export interface PagedSyncOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: PagedSyncProgress) => void;
  /** Retries of a page after UNAVAILABLE (default: the stream's policy). */
  readonly retry?: SyncRetryPolicy;
  readonly onRetry?: (notice: RetryNotice) => void;
}

/**
 * Drives a whole sync over the paged c1 RPCs, in the order baton-sdk's syncer uses: every resource
 * type; every resource of each type, then the children of resources that announce ChildResourceType;
 * then entitlements and grants of every resource, honouring the Skip* annotations on the resource and
 * its type. Like baton-sdk, it refuses a resource that lacks the trait its type declares, and asks
 * again for a page that failed with UNAVAILABLE (callPageWithRetry).
 */
export async function runPagedSync(clients: ConnectorClients, sink: SyncSink, options: PagedSyncOptions = {}): Promise<PagedSyncProgress> {
  const signal = options.signal;
  let phase: PagedSyncProgress["phase"] = "resource-types";
  const counts = { resources: 0, entitlements: 0, grants: 0, calls: 0, retries: 0 };
  const report = () => options.onProgress?.({ phase, ...counts });
  const retryOptions = { policy: options.retry, signal, onRetry: options.onRetry };
  const page = async <T>(call: () => Promise<T>): Promise<T> => {
    const { response, retries } = await callPageWithRetry(call, retryOptions);
    counts.calls += 1 + retries;
    counts.retries += retries;
    return response;
  };

  // As baton-sdk's engine does, every request names the sync it belongs to, so the connector reads
  // afresh what it keeps per sync (the admin-role index, the resource sets) and shares it within one.
  const activeSyncId = randomUUID();
  const types: ResourceType[] = [];
  for (let token = "", first = true; first || token !== ""; first = false) {
    const res = await page(() => clients.resourceTypes.listResourceTypes({ pageToken: token, activeSyncId }, { signal }));
    types.push(...res.list);
    token = res.nextPageToken;
  }
  await sink.resourceTypes(types);
  const typeById = new Map(types.map((t) => [t.id, t]));

  phase = "resources";
  // Kept here only for a sink that cannot read its resources back.
  const listed: Resource[] = [];
  const keepListed = sink.storedResources === undefined;
  const listAll = async (resourceTypeId: string, parent: ResourceId | undefined) => {
    const type = typeById.get(resourceTypeId);
    for (let token = "", first = true; first || token !== ""; first = false) {
      const res = await page(() => clients.resources.listResources({ resourceTypeId, pageToken: token, activeSyncId, ...(parent ? { parentResourceId: parent } : {}) }, { signal }));
      for (const resource of res.list) {
        const missing = type ? missingTraitOf(type, resource) : undefined;
        if (missing) throw new Error(`resource ${resource.id?.resourceType}/${resource.id?.resource} lacks the ${missing} trait its type declares`);
      }
      if (keepListed) listed.push(...res.list);
      counts.resources += res.list.length;
      await sink.resources(res.list);
      report();
      token = res.nextPageToken;
      for (const resource of res.list) {
        for (const child of childTypesOf(resource.annotations)) await listAll(child, resource.id);
      }
    }
  };
  for (const type of types) await listAll(type.id, undefined);

  const resources = (): Iterable<Resource> => sink.storedResources?.() ?? listed;
  phase = "entitlements";
  for (const resource of resources()) {
    const typeAnnotations = typeById.get(resource.id!.resourceType)?.annotations ?? [];
    if (skips(resource.annotations, typeAnnotations, "entitlements")) continue;
    for (let token = "", first = true; first || token !== ""; first = false) {
      const res = await page(() => clients.entitlements.listEntitlements({ resource, pageToken: token, activeSyncId }, { signal }));
      counts.entitlements += res.list.length;
      await sink.entitlements(res.list);
      token = res.nextPageToken;
    }
    report();
  }

  phase = "grants";
  for (const resource of resources()) {
    const typeAnnotations = typeById.get(resource.id!.resourceType)?.annotations ?? [];
    if (skips(resource.annotations, typeAnnotations, "grants")) continue;
    for (let token = "", first = true; first || token !== ""; first = false) {
      const res = await page(() => clients.grants.listGrants({ resource, pageToken: token, activeSyncId }, { signal }));
      counts.grants += res.list.length;
      await sink.grants(res.list);
      token = res.nextPageToken;
    }
    report();
  }
  report();
  return { phase, ...counts };
}

function childTypesOf(annotations: readonly Any[]): string[] {
  return annotations.filter((a) => anyIs(a, ChildResourceTypeSchema)).map((a) => anyUnpack(a, ChildResourceTypeSchema)!.resourceTypeId);
}

/** baton-sdk v0.25.0 reads SkipEntitlementsAndGrants on types and resources, SkipGrants on resources only. */
function skips(resource: readonly Any[], type: readonly Any[], what: "entitlements" | "grants"): boolean {
  if (resource.some((a) => anyIs(a, SkipEntitlementsAndGrantsSchema)) || type.some((a) => anyIs(a, SkipEntitlementsAndGrantsSchema))) return true;
  if (what === "entitlements") return resource.some((a) => anyIs(a, SkipEntitlementsSchema)) || type.some((a) => anyIs(a, SkipEntitlementsSchema));
  return resource.some((a) => anyIs(a, SkipGrantsSchema));
}
