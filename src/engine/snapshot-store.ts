import { create, type DescMessage, fromBinary, type MessageShape, toBinary } from "@bufbuild/protobuf";
import type Database from "better-sqlite3";
import { type Entitlement, EntitlementSchema } from "../../gen/c1/connector/v2/entitlement_pb.js";
import { type Grant, GrantSchema } from "../../gen/c1/connector/v2/grant_pb.js";
import { type Resource, type ResourceType, ResourceSchema, ResourceTypeSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import { readGrantKeys } from "./grant-keys.js";
import { openSnapshotDatabase } from "./snapshot-schema.js";

export type SyncMode = "stream" | "paged";
export type SyncRunStatus = "running" | "complete" | "failed";

/** One row of `sync_runs`. */
export interface SyncRun {
  readonly id: number;
  readonly status: SyncRunStatus;
  readonly mode: SyncMode;
  /** The connector address the run used (never a token). */
  readonly connector: string;
  /** The connector's sync id (stream runs), from the first SyncStarted. */
  readonly syncId: string | undefined;
  readonly startedAt: string;
  readonly finishedAt: string | undefined;
  /** resume_cursor of the last stored batch; Sync{resume_cursor} continues right after it. */
  readonly lastCursor: string | undefined;
  readonly batches: number;
  /** Items received and stored, duplicates included: equal to the row counts when nothing was sent twice. */
  readonly received: TypeTotals;
  /** Okta calls the connector reported for the stored batches, over every attempt of the run. */
  readonly oktaCalls: number;
  /** The final report, as JSON (see SyncReport). */
  readonly summary: unknown;
  readonly error: string | undefined;
}

export interface TypeTotals {
  readonly resources: number;
  readonly entitlements: number;
  readonly grants: number;
}

export interface TypeCount extends TypeTotals {
  readonly resourceTypeId: string;
}

/**
 * Items to store together; any kind may be absent. Each item is a message, or its encoding as the
 * connector sent it: those bytes are stored as `data` as they are, never decoded and encoded again,
 * and only what the key columns need is read from them.
 */
export interface SnapshotBatch {
  readonly resourceTypes?: readonly ResourceType[];
  readonly resources?: readonly (Resource | Uint8Array)[];
  readonly entitlements?: readonly (Entitlement | Uint8Array)[];
  readonly grants?: readonly (Grant | Uint8Array)[];
}

/** Where the stream stands after a batch: stored in the batch's own transaction. */
export interface BatchPosition {
  readonly cursor: string;
  /** Okta calls of the whole run so far (earlier attempts included). */
  readonly oktaCalls: number;
}

/** A snapshot file open for writing. */
export interface SnapshotStore {
  readonly path: string;
  /** The most recent run, if any. */
  lastRun(): SyncRun | undefined;
  run(id: number): SyncRun;
  /** The most recent complete run, if any. */
  lastCompleteRun(): SyncRun | undefined;
  /** Empties the data tables and records a new running run, in one transaction. Older running runs become failed. */
  startRun(options: { mode: SyncMode; connector: string }): SyncRun;
  /** Stores the resource types a (resumed) stream announced and its sync id. */
  recordStart(runId: number, start: { syncId: string; resourceTypes: readonly ResourceType[] }): void;
  /** Upserts a batch by id, with its position when given, in ONE transaction: all of it or none. */
  writeBatch(runId: number, batch: SnapshotBatch, position?: BatchPosition): void;
  completeRun(runId: number, summary: unknown): void;
  failRun(runId: number, error: string): void;
  /** Rows per resource type; grants and entitlements are counted under their resource's type. */
  countsByType(): TypeCount[];
  /**
   * The stored resources in the order each was first stored, read a chunk at a time, so a caller walking
   * every resource holds one chunk, not the org. Writes may happen between two items.
   */
  storedResources(): Iterable<Resource>;
  close(): void;
}

/** Opens (creating if needed) the snapshot at `path`; throws SnapshotFileError for a file that is not one. */
export function openSnapshotStore(path: string): SnapshotStore {
  return createSnapshotStore(openSnapshotDatabase(path, "write"), path);
}

function createSnapshotStore(db: Database.Database, path: string): SnapshotStore {
  const upsertType = db.prepare(
    `INSERT INTO resource_types (id, display_name, data) VALUES (?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name, data = excluded.data`,
  );
  const { upsertResource, upsertEntitlement, upsertGrant } = prepareItemUpserts(db);
  const countBatch = db.prepare(
    `UPDATE sync_runs SET batches = batches + 1, received_resources = received_resources + ?,
       received_entitlements = received_entitlements + ?, received_grants = received_grants + ? WHERE id = ?`,
  );
  const storePosition = db.prepare("UPDATE sync_runs SET last_cursor = ?, okta_calls = ? WHERE id = ?");
  const selectRun = db.prepare("SELECT * FROM sync_runs WHERE id = ?");
  const selectLastRun = db.prepare("SELECT * FROM sync_runs ORDER BY id DESC LIMIT 1");
  const selectLastComplete = db.prepare("SELECT * FROM sync_runs WHERE status = 'complete' ORDER BY id DESC LIMIT 1");
  // Keyset paging by rowid, not one open iterator: better-sqlite3 refuses writes on a connection
  // while a statement iterates, and the paged sync writes entitlements and grants between resources.
  // An upsert keeps a row's rowid, so rowid order is the order of first storage.
  const selectResourcesAfter = db.prepare("SELECT rowid, data FROM resources WHERE rowid > ? ORDER BY rowid LIMIT ?");

  const writeBatch = db.transaction((runId: number, batch: SnapshotBatch, position: BatchPosition | undefined) => {
    for (const type of batch.resourceTypes ?? []) upsertType.run(type.id, type.displayName, bytes(toBinary(ResourceTypeSchema, type)));
    for (const resource of batch.resources ?? []) upsertResource.run(...resourceRow(resource));
    for (const entitlement of batch.entitlements ?? []) upsertEntitlement.run(...entitlementRow(entitlement));
    for (const grant of batch.grants ?? []) upsertGrant.run(...grantRow(grant));
    const changed = countBatch.run(batch.resources?.length ?? 0, batch.entitlements?.length ?? 0, batch.grants?.length ?? 0, runId).changes;
    if (changed !== 1) throw new Error(`snapshot ${path} has no sync run ${runId}`);
    if (position) storePosition.run(position.cursor, position.oktaCalls, runId);
  });

  const run = (id: number): SyncRun => {
    const row = selectRun.get(id) as RunRow | undefined;
    if (!row) throw new Error(`snapshot ${path} has no sync run ${id}`);
    return runFromRow(row);
  };

  return {
    path,
    lastRun: () => {
      const row = selectLastRun.get() as RunRow | undefined;
      return row ? runFromRow(row) : undefined;
    },
    run,
    lastCompleteRun: () => {
      const row = selectLastComplete.get() as RunRow | undefined;
      return row ? runFromRow(row) : undefined;
    },
    startRun: (options) =>
      db.transaction(() => {
        for (const table of ["grants", "entitlements", "resources", "resource_types"]) db.prepare(`DELETE FROM ${table}`).run();
        const { lastInsertRowid } = db
          .prepare("INSERT INTO sync_runs (status, mode, connector, started_at) VALUES ('running', ?, ?, ?)")
          .run(options.mode, options.connector, new Date().toISOString());
        db.prepare("UPDATE sync_runs SET status = 'failed', finished_at = ?, error = ? WHERE status = 'running' AND id != ?")
          .run(new Date().toISOString(), `replaced by sync run ${lastInsertRowid}`, lastInsertRowid);
        return run(Number(lastInsertRowid));
      })(),
    recordStart: (runId, start) =>
      db.transaction(() => {
        for (const type of start.resourceTypes) upsertType.run(type.id, type.displayName, bytes(toBinary(ResourceTypeSchema, type)));
        db.prepare("UPDATE sync_runs SET sync_id = ?, status = 'running', error = NULL, finished_at = NULL WHERE id = ?").run(start.syncId, runId);
      })(),
    writeBatch: (runId, batch, position) => writeBatch(runId, batch, position),
    completeRun: (runId, summary) => {
      db.prepare("UPDATE sync_runs SET status = 'complete', finished_at = ?, summary = ?, error = NULL WHERE id = ?")
        .run(new Date().toISOString(), JSON.stringify(summary), runId);
    },
    failRun: (runId, error) => {
      db.prepare("UPDATE sync_runs SET status = 'failed', finished_at = ?, error = ? WHERE id = ?").run(new Date().toISOString(), error, runId);
    },
    countsByType: () => countsByType(db, "main"),
    storedResources: function* () {
      for (let after = 0; ; ) {
        const rows = selectResourcesAfter.all(after, RESOURCES_READ_AT_ONCE) as { rowid: number; data: Buffer }[];
        for (const row of rows) yield fromBinary(ResourceSchema, row.data);
        if (rows.length < RESOURCES_READ_AT_ONCE) return;
        after = rows[rows.length - 1]!.rowid;
      }
    },
    close: () => db.close(),
  };
}

/** The upserts of resources, entitlements and grants, shared by sync (snapshot-store.ts) and watch (watch-store.ts). */
export function prepareItemUpserts(db: Database.Database) {
  return {
    upsertResource: db.prepare(
      `INSERT INTO resources (resource_type, resource_id, parent_type, parent_id, display_name, data) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (resource_type, resource_id) DO UPDATE SET parent_type = excluded.parent_type, parent_id = excluded.parent_id,
         display_name = excluded.display_name, data = excluded.data`,
    ),
    upsertEntitlement: db.prepare(
      `INSERT INTO entitlements (id, resource_type, resource_id, slug, display_name, data, own) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET resource_type = excluded.resource_type, resource_id = excluded.resource_id,
         slug = excluded.slug, display_name = excluded.display_name, data = excluded.data, own = excluded.own`,
    ),
    upsertGrant: db.prepare(
      `INSERT INTO grants (id, entitlement_id, resource_type, resource_id, principal_type, principal_id, data, own) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET entitlement_id = excluded.entitlement_id, resource_type = excluded.resource_type,
         resource_id = excluded.resource_id, principal_type = excluded.principal_type, principal_id = excluded.principal_id,
         data = excluded.data, own = excluded.own`,
    ),
  };
}

/** Rows per resource type in the schema `schema` of `db` (main, or an attached snapshot). */
export function countsByType(db: Database.Database, schema: string): TypeCount[] {
  const rows = db
    .prepare(
      `SELECT t AS type, sum(r) AS resources, sum(e) AS entitlements, sum(g) AS grants FROM (
         SELECT resource_type AS t, count(*) AS r, 0 AS e, 0 AS g FROM ${schema}.resources GROUP BY resource_type
         UNION ALL SELECT resource_type, 0, count(*), 0 FROM ${schema}.entitlements GROUP BY resource_type
         UNION ALL SELECT resource_type, 0, 0, count(*) FROM ${schema}.grants GROUP BY resource_type
       ) GROUP BY t ORDER BY t`,
    )
    .all() as { type: string; resources: number; entitlements: number; grants: number }[];
  return rows.map((r) => ({ resourceTypeId: r.type, resources: r.resources, entitlements: r.entitlements, grants: r.grants }));
}

/** better-sqlite3 binds Buffers as BLOBs (not plain Uint8Arrays); this wraps without copying. */
function bytes(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** The message and its encoding: decoded from the bytes it arrived as, or encoded from the message given. */
function both<T extends DescMessage>(schema: T, item: MessageShape<T> | Uint8Array): [MessageShape<T>, Buffer] {
  return item instanceof Uint8Array ? [fromBinary(schema, item), bytes(item)] : [item, bytes(toBinary(schema, item))];
}

export function resourceRow(item: Resource | Uint8Array): [string, string, string | null, string | null, string, Buffer] {
  const [resource, data] = both(ResourceSchema, item);
  const id = resource.id;
  if (!id || id.resourceType === "" || id.resource === "") throw new Error("resource without an id");
  const parent = resource.parentResourceId;
  return [id.resourceType, id.resource, parent?.resourceType ?? null, parent?.resource ?? null, resource.displayName, data];
}

export function entitlementRow(item: Entitlement | Uint8Array): [string, string, string, string, string, Buffer, Buffer] {
  const [entitlement, data] = both(EntitlementSchema, item);
  const owner = entitlement.resource?.id;
  if (entitlement.id === "" || !owner) throw new Error(`entitlement "${entitlement.id}" without an id or a resource`);
  const own = entitlement.resource ? { ...entitlement, resource: create(ResourceSchema, { id: owner }) } : entitlement;
  return [entitlement.id, owner.resourceType, owner.resource, entitlement.slug, entitlement.displayName, data, bytes(toBinary(EntitlementSchema, own))];
}

export function grantRow(item: Grant | Uint8Array): [string, string, string, string, string, string, Buffer, Buffer] {
  // Grants arrive without sources: their columns are read off the bytes (grant-keys.ts).
  const keys = item instanceof Uint8Array ? readGrantKeys(item) : undefined;
  if (keys) {
    const own = keys.own.length === 0 ? NOTHING : bytes(keys.own);
    return [keys.id, keys.entitlementId, keys.resourceType, keys.resourceId, keys.principalType, keys.principalId, bytes(item as Uint8Array), own];
  }
  const [grant, data] = both(GrantSchema, item);
  const owner = grant.entitlement?.resource?.id;
  const principal = grant.principal?.id;
  if (grant.id === "" || !grant.entitlement || !owner || !principal) throw new Error(`grant "${grant.id}" without an id, an entitlement or a principal`);
  // Most grants have neither annotations nor sources: no second serialization for them.
  const own = grant.annotations.length === 0 && grant.sources === undefined ? NOTHING : bytes(toBinary(GrantSchema, create(GrantSchema, { annotations: grant.annotations, sources: grant.sources })));
  return [grant.id, grant.entitlement.id, owner.resourceType, owner.resource, principal.resourceType, principal.resource, data, own];
}

const NOTHING = Buffer.alloc(0);

/** Resources decoded per read of storedResources(): a few hundred KB held at a time. */
const RESOURCES_READ_AT_ONCE = 500;

interface RunRow {
  id: number;
  status: SyncRunStatus;
  mode: SyncMode;
  connector: string;
  sync_id: string | null;
  started_at: string;
  finished_at: string | null;
  last_cursor: string | null;
  batches: number;
  received_resources: number;
  received_entitlements: number;
  received_grants: number;
  okta_calls: number;
  summary: string | null;
  error: string | null;
}

function runFromRow(row: RunRow): SyncRun {
  return {
    id: row.id,
    status: row.status,
    mode: row.mode,
    connector: row.connector,
    syncId: row.sync_id ?? undefined,
    startedAt: row.started_at,
    finishedAt: row.finished_at ?? undefined,
    lastCursor: row.last_cursor ?? undefined,
    batches: row.batches,
    received: { resources: row.received_resources, entitlements: row.received_entitlements, grants: row.received_grants },
    oktaCalls: row.okta_calls,
    summary: row.summary === null ? undefined : (JSON.parse(row.summary) as unknown),
    error: row.error ?? undefined,
  };
}
