import type Database from "better-sqlite3";
import type { ResourceId } from "../../gen/c1/connector/v2/resource_pb.js";
import type { PrincipalGrants, ResourceState, TypeState, WatchChange } from "../../gen/oktaconnector/v1/stream_pb.js";
import { openSnapshotDatabase } from "./snapshot-schema.js";
import { entitlementRow, grantRow, prepareItemUpserts, resourceRow } from "./snapshot-store.js";
import type { SyncReport } from "./sync-report.js";

/** What one change did to the snapshot, for the printed line and the totals. */
export interface AppliedChange {
  readonly upserted: { resources: number; entitlements: number; grants: number };
  readonly removed: { resources: number; entitlements: number; grants: number };
}

/**
 * A snapshot kept current by Watch: applies WatchChange messages and keeps the cursor of the last one
 * applied, in the same transaction, so a killed watcher resumes exactly where its snapshot stands.
 *
 * The cursor lives in a `watch_state` table created on first use, tied to the sync run it continues:
 * after a new `sync` the run differs, and watching starts again from that run's watch cursor.
 */
export interface WatchStore {
  readonly path: string;
  /** The sync run this snapshot's content comes from (the last complete one). */
  readonly runId: number;
  /** Where to watch from: the last applied message's cursor, else the sync run's watch cursor. */
  cursor(): string;
  apply(change: WatchChange, cursor: string): AppliedChange;
  /** Stores a heartbeat's cursor (nothing changed). */
  advance(cursor: string): void;
  /** Changes applied since the sync run. */
  changesApplied(): number;
  close(): void;
}

export class WatchStartError extends Error {}

export function openWatchStore(path: string): WatchStore {
  const db = openSnapshotDatabase(path, "write");
  try {
    return createWatchStore(db, path);
  } catch (error) {
    db.close();
    throw error;
  }
}

function createWatchStore(db: Database.Database, path: string): WatchStore {
  const run = db.prepare("SELECT id, mode, summary FROM sync_runs WHERE status = 'complete' ORDER BY id DESC LIMIT 1").get() as { id: number; mode: string; summary: string } | undefined;
  if (!run) throw new WatchStartError(`${path} holds no complete sync: run \`okta-connector sync --out ${path}\` first`);
  const last = db.prepare("SELECT id FROM sync_runs ORDER BY id DESC LIMIT 1").get() as { id: number };
  if (last.id !== run.id) throw new WatchStartError(`${path}'s last sync (run ${last.id}) did not complete: finish it with \`sync --resume\` first`);
  const summary = JSON.parse(run.summary) as SyncReport;
  db.exec("CREATE TABLE IF NOT EXISTS watch_state (id INTEGER PRIMARY KEY CHECK (id = 1), sync_run INTEGER NOT NULL, cursor TEXT NOT NULL, changes INTEGER NOT NULL, updated_at TEXT NOT NULL)");
  const saved = db.prepare("SELECT sync_run, cursor, changes FROM watch_state WHERE id = 1").get() as { sync_run: number; cursor: string; changes: number } | undefined;
  const own = saved?.sync_run === run.id ? saved : undefined;
  if (!own && !summary.watchCursor) {
    throw new WatchStartError(
      run.mode === "paged"
        ? `${path} was made by a --paged sync, which gets no watch cursor: sync it again without --paged`
        : `${path}'s sync has no watch cursor: the connector serves no event feed, or is older than Watch`,
    );
  }
  let cursor = own?.cursor ?? summary.watchCursor!;
  let changes = own?.changes ?? 0;
  const save = db.prepare(
    `INSERT INTO watch_state (id, sync_run, cursor, changes, updated_at) VALUES (1, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET sync_run = excluded.sync_run, cursor = excluded.cursor, changes = excluded.changes, updated_at = excluded.updated_at`,
  );
  const state = createStateWriter(db);

  const apply = db.transaction((change: WatchChange, next: string): AppliedChange => {
    const applied = emptyApplied();
    for (const type of change.types) state.applyTypePart(type, applied);
    for (const resource of change.resources) state.applyResource(resource, applied);
    for (const held of change.principalGrants) state.applyPrincipalGrants(held, applied);
    changes++;
    cursor = next;
    save.run(run.id, cursor, changes, new Date().toISOString());
    return applied;
  });

  return {
    path,
    runId: run.id,
    cursor: () => cursor,
    apply: (change, next) => apply(change, next),
    advance(next) {
      cursor = next;
      save.run(run.id, cursor, changes, new Date().toISOString());
    },
    changesApplied: () => changes,
    close: () => db.close(),
  };
}

const emptyApplied = (): AppliedChange => ({ upserted: { resources: 0, entitlements: 0, grants: 0 }, removed: { resources: 0, entitlements: 0, grants: 0 } });

/**
 * The row operations behind a change. A resource sent in parts (`more_grants`) replaces its row and
 * entitlements with the first part and its grants only after the last; a type sent in parts removes the
 * resources it did not list only after its last part. Parts never span a resumed stream: a resume
 * starts again at the first part of the page, so this in-memory progress restarts with it.
 */
function createStateWriter(db: Database.Database) {
  const { upsertResource, upsertEntitlement, upsertGrant } = prepareItemUpserts(db);
  const entitlementIdsOf = db.prepare("SELECT id FROM entitlements WHERE resource_type = ? AND resource_id = ?").pluck();
  const grantIdsOf = db.prepare("SELECT id FROM grants WHERE resource_type = ? AND resource_id = ?").pluck();
  const resourceIdsOfType = db.prepare("SELECT resource_id FROM resources WHERE resource_type = ?").pluck();
  const grantIdsHeldOn = db.prepare("SELECT id FROM grants WHERE principal_type = ? AND principal_id = ? AND resource_type = ?").pluck();
  const deleteEntitlement = db.prepare("DELETE FROM entitlements WHERE id = ?");
  const deleteGrant = db.prepare("DELETE FROM grants WHERE id = ?");
  const deleteGrantsOn = db.prepare("DELETE FROM grants WHERE resource_type = ? AND resource_id = ?");
  const deleteGrantsHeldBy = db.prepare("DELETE FROM grants WHERE principal_type = ? AND principal_id = ?");
  const deleteEntitlementsOf = db.prepare("DELETE FROM entitlements WHERE resource_type = ? AND resource_id = ?");
  const deleteResource = db.prepare("DELETE FROM resources WHERE resource_type = ? AND resource_id = ?");

  /** The resource being received in parts, and the grant ids its parts listed so far. */
  let inParts: { key: string; grants: Set<string> } | undefined;
  /** The type being received in parts, and the resources its parts listed so far. */
  let typeInParts: { type: string; seen: Set<string> } | undefined;

  const remove = (id: ResourceId, applied: AppliedChange) => {
    // Okta deletes what a deleted object held and what was held on it, and logs only the deletion.
    const grants = deleteGrantsOn.run(id.resourceType, id.resource).changes + deleteGrantsHeldBy.run(id.resourceType, id.resource).changes;
    const entitlements = deleteEntitlementsOf.run(id.resourceType, id.resource).changes;
    const resources = deleteResource.run(id.resourceType, id.resource).changes;
    applied.removed.grants += grants;
    applied.removed.entitlements += entitlements;
    applied.removed.resources += resources;
  };

  return {
    applyResource(state: ResourceState, applied: AppliedChange) {
      const id = state.resourceId;
      if (!id) throw new Error("a watched resource state without a resource_id");
      const key = `${id.resourceType}\n${id.resource}`;
      if (!state.resource) {
        inParts = undefined;
        remove(id, applied);
        return;
      }
      if (inParts?.key !== key) {
        // The first (or only) part: the row and the complete list of entitlements.
        upsertResource.run(...resourceRow(state.resource));
        applied.upserted.resources++;
        const keep = new Set(state.entitlements.map((e) => e.id));
        for (const stale of entitlementIdsOf.all(id.resourceType, id.resource) as string[]) {
          if (!keep.has(stale)) applied.removed.entitlements += deleteEntitlement.run(stale).changes;
        }
        for (const entitlement of state.entitlements) upsertEntitlement.run(...entitlementRow(entitlement));
        applied.upserted.entitlements += state.entitlements.length;
        inParts = { key, grants: new Set() };
      }
      for (const grant of state.grants) {
        upsertGrant.run(...grantRow(grant));
        inParts.grants.add(grant.id);
      }
      applied.upserted.grants += state.grants.length;
      if (state.moreGrants) return;
      for (const stale of grantIdsOf.all(id.resourceType, id.resource) as string[]) {
        if (!inParts.grants.has(stale)) applied.removed.grants += deleteGrant.run(stale).changes;
      }
      inParts = undefined;
    },
    /** One part of a whole type: its resources, and on the last part the removal of what no part listed. */
    applyTypePart(part: TypeState, applied: AppliedChange) {
      const type = part.resourceTypeId;
      if (typeInParts?.type !== type) typeInParts = { type, seen: new Set() };
      for (const r of part.resources) {
        if (part.resourcesOnly && r.resource) {
          // Only the row: the resource's entitlements and grants were not re-read.
          upsertResource.run(...resourceRow(r.resource));
          applied.upserted.resources++;
        } else {
          this.applyResource(r, applied);
        }
        if (r.resource && r.resourceId) typeInParts.seen.add(r.resourceId.resource);
      }
      if (part.more) return;
      for (const resource of resourceIdsOfType.all(type) as string[]) {
        if (!typeInParts.seen.has(resource)) remove({ resourceType: type, resource } as ResourceId, applied);
      }
      typeInParts = undefined;
    },
    /** Replaces the grants a principal holds on one type's resources. */
    applyPrincipalGrants(held: PrincipalGrants, applied: AppliedChange) {
      const principal = held.principal;
      if (!principal) throw new Error("watched principal grants without a principal");
      const keep = new Set(held.grants.map((g) => g.id));
      for (const stale of grantIdsHeldOn.all(principal.resourceType, principal.resource, held.resourceTypeId) as string[]) {
        if (!keep.has(stale)) applied.removed.grants += deleteGrant.run(stale).changes;
      }
      for (const grant of held.grants) upsertGrant.run(...grantRow(grant));
      applied.upserted.grants += held.grants.length;
    },
  };
}
