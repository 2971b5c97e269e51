import type { ExpectedSync } from "../sync/support/expected-sync.js";
import { assert, assertEqual, assertSameSet, type CheckRecorder } from "./support/checks.js";
import type { ExpectedC1z } from "./support/expected-c1z.js";
import { grpcurl, grpcurlCall, grpcurlStream, type GrpcurlTarget } from "./support/grpcurl.js";

/** Every service baton-sdk's connector server registers, plus ours, health and reflection. */
const SERVICES = [
  "c1.connector.v2.AccountManagerService", "c1.connector.v2.ActionService", "c1.connector.v2.AssetService",
  "c1.connector.v2.ConnectorService", "c1.connector.v2.CredentialManagerService", "c1.connector.v2.EntitlementsService",
  "c1.connector.v2.EventService", "c1.connector.v2.GrantManagerService", "c1.connector.v2.GrantsService",
  "c1.connector.v2.ResourceDeleterService", "c1.connector.v2.ResourceGetterService", "c1.connector.v2.ResourceManagerService",
  "c1.connector.v2.ResourceTypesService", "c1.connector.v2.ResourcesService", "c1.connector.v2.TicketsService",
  "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection",
  "oktaconnector.v1.ConnectorStreamService",
];

/** c1.connector.v2.Resource as baton-sdk v0.25.0 declares it (resource.proto), in grpcurl's describe syntax. */
const RESOURCE_FIELDS = [
  ".c1.connector.v2.ResourceId id = 1;", ".c1.connector.v2.ResourceId parent_resource_id = 2;", "string display_name = 3;",
  "repeated .google.protobuf.Any annotations = 4;", "string description = 5;", "bool baton_resource = 6;",
  ".c1.connector.v2.ExternalId external_id = 7", ".c1.connector.v2.Resource.CreationSource creation_source = 8",
  ".google.protobuf.Struct profile = 9;", ".c1.connector.v2.AssetRef icon = 10;", ".c1.connector.v2.Status status = 11;",
  ".google.protobuf.Timestamp created_at = 12;",
];

type Json = Record<string, unknown>;
interface ResourceJson extends Json { id: { resourceType: string; resource: string } }

export interface GrpcurlCase {
  /** e.g. "grpcurl plaintext". */
  readonly label: string;
  readonly target: GrpcurlTarget;
  readonly sync: ExpectedSync;
  readonly c1z: ExpectedC1z;
  readonly rolesReadable: boolean;
}

/** Walks every page of a paged listing through grpcurl. */
async function allPages<T>(target: GrpcurlTarget, method: string, request: Json): Promise<T[]> {
  const items: T[] = [];
  let pageToken = "";
  for (let page = 0; page < 10_000; page++) {
    const answer = await grpcurlCall<{ list?: T[]; nextPageToken?: string }>(target, method, { ...request, pageToken });
    items.push(...(answer.list ?? []));
    if (!answer.nextPageToken) return items;
    assert(answer.nextPageToken !== pageToken, `${method} returned the page token it was given`);
    pageToken = answer.nextPageToken;
  }
  throw new Error(`${method}: more than 10,000 pages`);
}

/**
 * grpcurl against one running server, schema by reflection only: list and describe, then every read
 * RPC we serve, each answer compared with the ground truth, and our Sync stream read to its summary.
 */
export async function checkWithGrpcurl(checks: CheckRecorder, c: GrpcurlCase): Promise<void> {
  const { target, label } = c;

  await checks.check(`${label}: list shows the 15 c1.connector.v2 services, ConnectorStreamService, health and reflection v1/v1alpha`, async () => {
    const listed = await grpcurl(target, [], ["list"]);
    assertEqual(listed.code, 0, `exit code (${listed.stderr.trim()})`);
    assertSameSet(listed.stdout.trim().split("\n"), SERVICES, "services");
    const methods = await grpcurl(target, [], ["list", "c1.connector.v2.ResourcesService"]);
    assertEqual(methods.stdout.trim(), "c1.connector.v2.ResourcesService.ListResources", "ResourcesService methods");
  });

  await checks.check(`${label}: describe c1.connector.v2.Resource shows upstream's twelve fields and numbers`, async () => {
    const described = await grpcurl(target, [], ["describe", "c1.connector.v2.Resource"]);
    assertEqual(described.code, 0, `exit code (${described.stderr.trim()})`);
    const missing = RESOURCE_FIELDS.filter((field) => !described.stdout.includes(field));
    assert(missing.length === 0, `not in the description: ${missing.join(" ")}`);
  });

  await checks.check(`${label}: describe shows ListResources unary and Sync server-streaming`, async () => {
    const unary = await grpcurl(target, [], ["describe", "c1.connector.v2.ResourcesService.ListResources"]);
    assert(unary.stdout.includes("rpc ListResources ( .c1.connector.v2.ResourcesServiceListResourcesRequest ) returns ( .c1.connector.v2.ResourcesServiceListResourcesResponse );"), unary.stdout + unary.stderr);
    const stream = await grpcurl(target, [], ["describe", "oktaconnector.v1.ConnectorStreamService.Sync"]);
    assert(stream.stdout.includes("returns ( stream .oktaconnector.v1.SyncResponse )"), stream.stdout + stream.stderr);
  });

  await checks.check(`${label}: Validate answers a semver sdk_version (so the engine sends active_sync_id)`, async () => {
    const answer = await grpcurlCall<{ sdkVersion?: string }>(target, "c1.connector.v2.ConnectorService/Validate");
    assert(/^v\d+\.\d+\.\d+/.test(answer.sdkVersion ?? ""), `sdkVersion ${JSON.stringify(answer.sdkVersion)}`);
  });

  await checks.check(`${label}: GetMetadata names the connector and a capability per resource type`, async () => {
    const answer = await grpcurlCall<{ metadata?: { displayName?: string; capabilities?: { resourceTypeCapabilities?: { resourceType?: { id: string }; capabilities?: string[] }[] } } }>(target, "c1.connector.v2.ConnectorService/GetMetadata");
    assertEqual(answer.metadata?.displayName, "Okta", "displayName");
    const perType = answer.metadata?.capabilities?.resourceTypeCapabilities ?? [];
    assertSameSet(perType.map((t) => t.resourceType?.id ?? ""), c.sync.resourceTypeIds, "types with capabilities");
    const syncable = perType.filter((t) => t.capabilities?.includes("CAPABILITY_SYNC")).map((t) => t.resourceType?.id ?? "");
    // A read-only admin reads the directory, group rules and API tokens (with --sync-secrets), not admin roles.
    const expectSyncable = c.rolesReadable ? c.sync.resourceTypeIds : c.sync.resourceTypeIds.filter((id) => ["user", "group", "app", "api-token", "group-rule"].includes(id));
    assertSameSet(syncable, expectSyncable, "types with CAPABILITY_SYNC");
  });

  await checks.check(`${label}: ListResourceTypes lists every type${c.rolesReadable ? "" : ", role types naming the missing Super Administrator role"}`, async () => {
    const types = await allPages<{ id: string; description?: string }>(target, "c1.connector.v2.ResourceTypesService/ListResourceTypes", {});
    assertSameSet(types.map((t) => t.id), c.sync.resourceTypeIds, "resource types");
    for (const type of types) {
      const unreadable = !c.rolesReadable && ["service-app", "role", "custom-role", "resource-set", "resourceset-binding"].includes(type.id);
      assertEqual(/Super Administrator/.test(type.description ?? ""), unreadable, `${type.id} description names the Super Administrator role`);
    }
  });

  // page_size is only a hint in baton (the engine never sends it); the connector pages as Okta does.
  await checks.check(`${label}: ListResources pages users with a replayable next_page_token`, async () => {
    const method = "c1.connector.v2.ResourcesService/ListResources";
    const first = await grpcurlCall<{ list?: ResourceJson[]; nextPageToken?: string }>(target, method, { resourceTypeId: "user" });
    assert((first.list?.length ?? 0) > 0, "page 1 is empty");
    assert(first.nextPageToken, "no next page token after page 1");
    const second = await grpcurlCall<{ list?: ResourceJson[] }>(target, method, { resourceTypeId: "user", pageToken: first.nextPageToken });
    const again = await grpcurlCall<{ list?: ResourceJson[] }>(target, method, { resourceTypeId: "user", pageToken: first.nextPageToken });
    const ids = (page: { list?: ResourceJson[] }) => (page.list ?? []).map((r) => r.id.resource);
    const both = [...ids(first), ...ids(second)];
    assertEqual(new Set(both).size, both.length, "distinct users on pages 1 and 2");
    assertEqual(ids(again).join(), ids(second).join(), "page 2 replayed from the same token");
    for (const id of both) assert(c.sync.users.has(id), `user ${id} is not in the ground truth`);
    const withTrait = (first.list ?? []).filter((r) => JSON.stringify(r.annotations ?? []).includes("type.googleapis.com/c1.connector.v2.UserTrait"));
    assertEqual(withTrait.length, first.list?.length ?? 0, "users carrying a UserTrait (decoded through reflection)");
  });

  // One group with a modest membership: its Resource (as ListResources printed it) goes back in the
  // requests, as the engine sends the stored resource, Any annotations and all.
  let group: ResourceJson | undefined;
  await checks.check(`${label}: ListResources walks every group`, async () => {
    const groups = await allPages<ResourceJson>(target, "c1.connector.v2.ResourcesService/ListResources", { resourceTypeId: "group" });
    assertSameSet(groups.map((g) => g.id.resource), c.sync.groups.keys(), "groups");
    const members = (g: ResourceJson) => c.sync.groups.get(g.id.resource)!.memberIds.filter((u) => c.sync.users.has(u)).length;
    group = groups.filter((g) => members(g) >= 3 && members(g) <= 400).sort((a, b) => members(b) - members(a))[0];
    assert(group, "no group with 3 to 400 members");
  });
  const groupGrants = () => {
    const g = c.sync.groups.get(group!.id.resource)!;
    return g.memberIds.filter((u) => c.sync.users.has(u)).map((u) => `group:${g.id}:member:user:${u}`);
  };

  await checks.check(`${label}: ListEntitlements and ListGrants for one group equal its ground-truth membership`, async () => {
    assert(group, "no group chosen");
    const entitlements = await allPages<{ id: string }>(target, "c1.connector.v2.EntitlementsService/ListEntitlements", { resource: group });
    assertSameSet(entitlements.map((e) => e.id), [`group:${group.id.resource}:member`], "entitlements");
    const grants = await allPages<{ id: string }>(target, "c1.connector.v2.GrantsService/ListGrants", { resource: group });
    assertSameSet(grants.map((g) => g.id), groupGrants(), "grants");
  });

  await checks.check(`${label}: StreamResources, StreamEntitlements and StreamGrants match the paged answers`, async () => {
    assert(group, "no group chosen");
    const collect = async (method: string, request: Json, field: string) => {
      const ids: string[] = [];
      const result = await grpcurlStream(target, method, request, (message) => {
        for (const item of (message[field] as { id: unknown }[] | undefined) ?? []) ids.push(typeof item.id === "string" ? item.id : (item.id as { resource: string }).resource);
      });
      assertEqual(result.code, 0, `${method} exit code (${result.stderr.trim()})`);
      return ids;
    };
    assertSameSet(await collect("oktaconnector.v1.ConnectorStreamService/StreamResources", { resourceTypeId: "group" }, "resources"), c.sync.groups.keys(), "streamed groups");
    assertSameSet(await collect("oktaconnector.v1.ConnectorStreamService/StreamEntitlements", { resource: group }, "entitlements"), [`group:${group.id.resource}:member`], "streamed entitlements");
    assertSameSet(await collect("oktaconnector.v1.ConnectorStreamService/StreamGrants", { resource: group }, "grants"), groupGrants(), "streamed grants");
  });

  await checks.check(`${label}: GetResource returns the user asked for`, async () => {
    const userId = c.sync.users.keys().next().value as string;
    const answer = await grpcurlCall<{ resource?: ResourceJson }>(target, "c1.connector.v2.ResourceGetterService/GetResource", { resourceId: { resourceType: "user", resource: userId } });
    assertEqual(answer.resource?.id.resource, userId, "resource id");
  });

  await checks.check(`${label}: ListStaticEntitlements is empty for every type; ListEventFeeds names the System Log feed; ListActionSchemas is empty`, async () => {
    for (const type of c.sync.resourceTypeIds) {
      const answer = await grpcurlCall<{ list?: unknown[] }>(target, "c1.connector.v2.EntitlementsService/ListStaticEntitlements", { resourceTypeId: type });
      assertEqual(answer.list?.length ?? 0, 0, `static entitlements of ${type}`);
    }
    const feeds = await grpcurlCall<{ list?: { id?: string }[] }>(target, "c1.connector.v2.EventService/ListEventFeeds");
    assertEqual((feeds.list ?? []).map((f) => f.id).join(","), "baton_feed_event", "event feeds");
    const actions = await grpcurlCall<{ schemas?: unknown[] }>(target, "c1.connector.v2.ActionService/ListActionSchemas");
    assertEqual(actions.schemas?.length ?? 0, 0, "action schemas");
  });

  await checks.check(`${label}: grpc.health.v1 Check answers SERVING`, async () => {
    const answer = await grpcurlCall<{ status?: string }>(target, "grpc.health.v1.Health/Check", { service: "" });
    assertEqual(answer.status, "SERVING", "status");
  });

  let watchCursor = "";
  await checks.check(`${label}: Sync streams the whole org in dependency order, to a summary equal to the ground truth`, async () => {
    watchCursor = await checkSyncStream(target, c);
  });
  await checks.check(`${label}: Watch from the Sync summary's watch_cursor streams heartbeats, each with a cursor, until grpcurl's -max-time`, async () => {
    assert(/^[A-Za-z0-9_-]+$/.test(watchCursor), `the summary's watch_cursor: "${watchCursor}"`);
    const events: string[] = [];
    const result = await grpcurlStream(
      target,
      "oktaconnector.v1.ConnectorStreamService/Watch",
      { cursor: watchCursor, heartbeatInterval: "1s" },
      (message) => {
        if (typeof message["cursor"] !== "string" || message["cursor"] === "") throw new Error("a Watch message without a cursor");
        events.push(Object.keys(message).find((k) => k !== "cursor") ?? "");
      },
      ["-max-time", "4"],
    );
    // The stream never ends by itself: grpcurl's deadline ends it.
    assert(/DeadlineExceeded|deadline/i.test(result.stderr), `grpcurl ended otherwise: exit ${result.code}, ${result.stderr.trim()}`);
    assert(events.includes("heartbeat"), `messages: ${events.join(", ")}`);
    assert(events.every((e) => e === "heartbeat" || e === "change"), `messages: ${events.join(", ")}`);
  });
}

/** Reads the Sync stream and checks it; returns the summary's watch_cursor. */
async function checkSyncStream(target: GrpcurlTarget, c: GrpcurlCase): Promise<string> {
  const seen = { resources: new Map<string, number>(), entitlements: new Map<string, number>(), grants: new Map<string, number>() };
  const bump = (map: Map<string, number>, type: string) => map.set(type, (map.get(type) ?? 0) + 1);
  const kinds: string[] = [];
  let summary: Json | undefined;
  // What an engine storing batch by batch can resolve: every entitlement after its resource, every
  // grant after its entitlement and its principal, every GrantExpandable source already sent.
  const sentResources = new Set<string>();
  const sentEntitlements = new Set<string>();
  const keyOf = (id: { resourceType: string; resource: string } | undefined) => `${id?.resourceType}:${id?.resource}`;
  const result = await grpcurlStream(target, "oktaconnector.v1.ConnectorStreamService/Sync", {}, (message) => {
    const kind = Object.keys(message)[0] ?? "";
    kinds.push(kind);
    if (kind === "summary") summary = message["summary"] as Json;
    if (kind !== "batch") return;
    const batch = message["batch"] as {
      phase?: string;
      resources?: ResourceJson[];
      entitlements?: { id: string; resource?: ResourceJson }[];
      grants?: { id: string; entitlement?: { id: string }; principal?: ResourceJson; annotations?: { "@type": string; entitlementIds?: string[] }[] }[];
      resumeCursor?: string;
    };
    if (!batch.resumeCursor) throw new Error("a batch without a resume cursor");
    const filled = [batch.resources, batch.entitlements, batch.grants].filter((items) => (items?.length ?? 0) > 0).length;
    if (filled !== 1) throw new Error(`a ${batch.phase} batch carries ${filled} kinds of items`);
    const phaseOfItems = batch.resources?.length ? "SYNC_PHASE_RESOURCES" : batch.entitlements?.length ? "SYNC_PHASE_ENTITLEMENTS" : "SYNC_PHASE_GRANTS";
    if (batch.phase !== phaseOfItems) throw new Error(`a batch labelled ${batch.phase} carries ${phaseOfItems} items`);
    for (const r of batch.resources ?? []) {
      sentResources.add(keyOf(r.id));
      bump(seen.resources, r.id.resourceType);
    }
    for (const e of batch.entitlements ?? []) {
      if (!sentResources.has(keyOf(e.resource?.id))) throw new Error(`entitlement ${e.id} before its resource`);
      sentEntitlements.add(e.id);
      bump(seen.entitlements, e.id.split(":")[0]!);
    }
    for (const g of batch.grants ?? []) {
      if (!sentEntitlements.has(g.entitlement?.id ?? "")) throw new Error(`grant ${g.id} before its entitlement`);
      if (!sentResources.has(keyOf(g.principal?.id))) throw new Error(`grant ${g.id} before its principal`);
      const expandable = (g.annotations ?? []).find((a) => a["@type"].endsWith("/c1.connector.v2.GrantExpandable"));
      for (const source of expandable?.entitlementIds ?? []) if (!sentEntitlements.has(source)) throw new Error(`grant ${g.id} expands from ${source}, not sent yet`);
      bump(seen.grants, g.entitlement?.id.split(":")[0] ?? "");
    }
  });
  assertEqual(result.code, 0, `exit code (${result.stderr.trim()})`);
  assertEqual(kinds[0], "started", "first message");
  assertEqual(kinds.at(-1), "summary", "last message");
  assertEqual(kinds.filter((k) => k !== "batch").length, 2, "messages that are not batches");
  assert(summary, "no summary");

  const expectedGrants = new Map<string, number>();
  for (const id of c.c1z.directGrants.keys()) bump(expectedGrants, id.split(":")[0]!);
  const counts = new Map(((summary["counts"] as { resourceTypeId: string; resources?: string; entitlements?: string; grants?: string }[] | undefined) ?? []).map((row) => [row.resourceTypeId, row]));
  for (const type of c.sync.resourceTypeIds) {
    const resources = c.c1z.resources.get(type)?.size ?? 0;
    const entitlements = [...c.c1z.entitlements].filter((id) => id.startsWith(`${type}:`)).length;
    const grants = expectedGrants.get(type) ?? 0;
    const row = counts.get(type);
    assertEqual(Number(row?.resources ?? 0), resources, `summary resources of ${type}`);
    assertEqual(Number(row?.entitlements ?? 0), entitlements, `summary entitlements of ${type}`);
    assertEqual(Number(row?.grants ?? 0), grants, `summary grants of ${type}`);
    assertEqual(seen.resources.get(type) ?? 0, resources, `streamed resources of ${type}`);
    assertEqual(seen.entitlements.get(type) ?? 0, entitlements, `streamed entitlements of ${type}`);
    assertEqual(seen.grants.get(type) ?? 0, grants, `streamed grants of ${type}`);
  }
  const coverage = summary["coverage"] as { complete?: boolean; gaps?: { resourceTypeId: string; reason?: string; missingOktaRole?: string }[] } | undefined;
  const permissionGaps = (coverage?.gaps ?? []).filter((g) => g.reason === "COVERAGE_REASON_MISSING_PERMISSION");
  if (c.rolesReadable) {
    assertEqual(permissionGaps.length, 0, "gaps for missing permissions");
  } else {
    assert(coverage?.complete !== true, "coverage says complete without the role data");
    assertSameSet(new Set(permissionGaps.map((g) => g.resourceTypeId)), ["service-app", "role", "custom-role", "resource-set", "resourceset-binding"], "types with a missing-permission gap");
  }
  return typeof summary["watchCursor"] === "string" ? summary["watchCursor"] : "";
}
