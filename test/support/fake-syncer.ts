import { setTimeout as sleep } from "node:timers/promises";
import { create } from "@bufbuild/protobuf";
import { anyPack } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import {
  GroupTraitSchema,
  UserTrait_AccountType,
  UserTrait_Status_Status,
  UserTraitSchema,
} from "../../gen/c1/connector/v2/annotation_trait_pb.js";
import { ConnectorMetadataSchema } from "../../gen/c1/connector/v2/connector_pb.js";
import { type Entitlement, Entitlement_PurposeValue, EntitlementSchema } from "../../gen/c1/connector/v2/entitlement_pb.js";
import type { Grant } from "../../gen/c1/connector/v2/grant_pb.js";
import {
  type Resource,
  type ResourceId,
  ResourceIdSchema,
  ResourceSchema,
  ResourceType_Trait,
  ResourceTypeSchema,
} from "../../gen/c1/connector/v2/resource_pb.js";
import {
  type ConnectorDefinition,
  connectorJsonTypes,
  type Cursor,
  createSyncerRegistry,
  derivePageTokenKey,
  entitlementId,
  type Page,
  registerConnectorServices,
  type ResourceSyncer,
  type SyncCallContext,
} from "../../src/protocol/index.js";
import { formatListenAddress } from "../../src/config/index.js";
import { type ConnectorServer, createConnectorServer } from "../../src/server/create-server.js";
import { createLogger } from "../../src/server/logger.js";

/** The trait a fake type declares; its resources then carry the matching annotation, as baton requires. */
export type FakeTrait = "user" | "group" | "none";

export interface FakeSyncerOptions {
  /** Resource type id, e.g. "user". */
  readonly typeId: string;
  readonly trait?: FakeTrait;
  /** Number of pages `list` serves (default 3). */
  readonly pages?: number;
  /** Items per page (default 4). */
  readonly pageSize?: number;
  /** Delay before each page, as a slow Okta would take; aborted by ctx.signal (default 0). */
  readonly delayMs?: number;
  /** Display name of the item at a global index (default "User 7", "Group 7", …). */
  readonly displayName?: (index: number) => string;
}

/** What the fake saw, for tests that assert the plumbing stopped calling it. */
export interface FakeSyncerStats {
  /** Calls to `list`, counting ones that were aborted. */
  listCalls: number;
  /** `list` calls that ended because ctx.signal aborted. */
  aborted: number;
}

export interface FakeSyncer extends ResourceSyncer {
  readonly stats: FakeSyncerStats;
  /** Every resource id `list` can return, in order: what a complete listing must yield exactly once. */
  readonly allIds: readonly string[];
}

const ID_PREFIX: Readonly<Record<FakeTrait, string>> = { user: "00u", group: "00g", none: "0oa" };

/**
 * A ResourceSyncer over a fixed, generated set of resources, paged with a real cursor (the next page
 * number) so the protocol layer's page tokens, stream cursors and limits are exercised for real.
 * Ids look like Okta's (`00u…` for users, `00g…` for groups, 20 characters).
 */
export function createFakeSyncer(options: FakeSyncerOptions): FakeSyncer {
  const trait = options.trait ?? "none";
  const pages = options.pages ?? 3;
  const pageSize = options.pageSize ?? 4;
  const delayMs = options.delayMs ?? 0;
  const label = trait === "group" ? "Group" : trait === "user" ? "User" : "App";
  const displayName = options.displayName ?? ((index: number) => `${label} ${index}`);
  const stats: FakeSyncerStats = { listCalls: 0, aborted: 0 };
  const allIds = Array.from({ length: pages * pageSize }, (_, index) => oktaLikeId(ID_PREFIX[trait], index));

  const resourceType = create(ResourceTypeSchema, {
    id: options.typeId,
    displayName: label,
    traits: trait === "user" ? [ResourceType_Trait.USER] : trait === "group" ? [ResourceType_Trait.GROUP] : [],
  });

  const resourceAt = (index: number, parent: ResourceId | undefined): Resource => {
    const id = allIds[index]!;
    return create(ResourceSchema, {
      id: create(ResourceIdSchema, { resourceType: options.typeId, resource: id }),
      parentResourceId: parent,
      displayName: displayName(index),
      annotations: traitAnnotations(trait, index),
    });
  };

  const pause = async (ctx: SyncCallContext): Promise<void> => {
    if (delayMs === 0) return;
    try {
      await sleep(delayMs, undefined, { signal: ctx.signal });
    } catch (error) {
      stats.aborted++;
      throw error;
    }
  };

  return {
    resourceType,
    stats,
    allIds,
    async list(parent, cursor, ctx): Promise<Page<Resource>> {
      stats.listCalls++;
      const page = readPageCursor(cursor);
      await pause(ctx);
      const first = page * pageSize;
      const items = Array.from({ length: pageSize }, (_, i) => resourceAt(first + i, parent));
      return { items, cursor: page + 1 < pages ? { page: page + 1 } : undefined };
    },
    async entitlements(resource): Promise<Page<Entitlement>> {
      if (trait !== "group") return { items: [] };
      const id = resource.id!;
      const member = create(EntitlementSchema, {
        resource,
        id: entitlementId(id.resourceType, id.resource, "member"),
        displayName: `${resource.displayName} Group Member`,
        slug: "member",
        purpose: Entitlement_PurposeValue.ASSIGNMENT,
      });
      return { items: [member] };
    },
    async grants(): Promise<Page<Grant>> {
      return { items: [] };
    },
    async get(id, parent) {
      const index = allIds.indexOf(id.resource);
      return index < 0 ? undefined : resourceAt(index, parent);
    },
  } satisfies FakeSyncer;
}

/** `00u` + 17 digits: the length and shape of an Okta object id. */
function oktaLikeId(prefix: string, index: number): string {
  return `${prefix}${String(index).padStart(17, "0")}`;
}

function readPageCursor(cursor: Cursor | undefined): number {
  if (cursor === undefined) return 0;
  const page = (cursor as { page?: unknown }).page;
  if (typeof page !== "number") throw new Error(`fake syncer got a cursor it never issued: ${JSON.stringify(cursor)}`);
  return page;
}

function traitAnnotations(trait: FakeTrait, index: number) {
  switch (trait) {
    case "user":
      return [
        anyPack(
          UserTraitSchema,
          create(UserTraitSchema, {
            emails: [{ address: `user${index}@example.com`, isPrimary: true }],
            status: { status: UserTrait_Status_Status.ENABLED },
            accountType: UserTrait_AccountType.HUMAN,
            login: `user${index}@example.com`,
          }),
        ),
      ];
    case "group":
      return [anyPack(GroupTraitSchema, create(GroupTraitSchema, { groupSourceType: "OKTA_GROUP", rawGroupSourceType: "OKTA_GROUP" }))];
    case "none":
      return [];
  }
}

/** The org URL and credential fake connectors sign page tokens with; a second instance with the same pair reads the first's tokens. */
export const FAKE_ORG_URL = "https://acme.okta.com";
export const FAKE_CREDENTIAL = "00aFakeApiToken0123456789abcdefghijklmnopq";

export interface FakeConnectorOptions {
  readonly syncers: readonly ResourceSyncer[];
  readonly provisioning?: boolean;
  /** The credential the page-token key is derived from (default FAKE_CREDENTIAL). */
  readonly credential?: string;
}

/** A ConnectorDefinition over fake syncers, as createConnector builds one over the Okta syncers. */
export function createFakeConnector(options: FakeConnectorOptions): ConnectorDefinition {
  return {
    registry: createSyncerRegistry(options.syncers),
    pageTokenKey: derivePageTokenKey(FAKE_ORG_URL, options.credential ?? FAKE_CREDENTIAL),
    provisioning: options.provisioning ?? false,
    metadata: async () => create(ConnectorMetadataSchema, { displayName: "Fake Okta", description: "Fake syncers for protocol tests" }),
    validate: async () => {},
  };
}

export interface FakeConnectorServer {
  /** The server under test, for `shutdown(graceMs)`. */
  readonly server: ConnectorServer;
  /** `127.0.0.1:PORT`, the form grpc-js dials. */
  readonly address: string;
}

/**
 * Serves the c1 services and the stream service over `connector` with the real createConnectorServer
 * (the drain logic under test), on 127.0.0.1 and an OS-chosen port. Stop it with `server.shutdown(0)`.
 */
export async function startFakeConnectorServer(connector: ConnectorDefinition): Promise<FakeConnectorServer> {
  const server = createConnectorServer({
    routes: (router: ConnectRouter) => registerConnectorServices(router, connector),
    interceptors: [],
    tls: undefined,
    readMaxBytes: 4 * 1024 * 1024,
    logger: createLogger({ level: "silent" }),
    jsonTypes: connectorJsonTypes,
  });
  const bound = await server.listen({ kind: "tcp", host: "127.0.0.1", port: 0 });
  return { server, address: formatListenAddress(bound) };
}
