import type Database from "better-sqlite3";
import { isSqliteCorruption } from "./sqlite-damage.js";
import { findSnapshotDamage, openSnapshotDatabase } from "./snapshot-schema.js";
import type { SyncRunStatus } from "./snapshot-store.js";

/**
 * Added (in B, not in A), removed (in A, not in B) and changed (same id, different content) counts. A
 * resource changes when its bytes do; an entitlement or grant when its own fields do (see TABLES).
 */
export interface ChangeCounts {
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
}

export interface TypeDiff {
  readonly resourceTypeId: string;
  readonly resources: ChangeCounts;
  /** Entitlements and grants are counted under the type of the resource they belong to. */
  readonly entitlements: ChangeCounts;
  readonly grants: ChangeCounts;
}

/** Ids of changed items, sorted by resource type and id, at most `limit` per list. */
export interface ChangedIds {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

export interface SnapshotSide {
  readonly path: string;
  /** The last sync run's status: a diff against a run that did not complete is partial. */
  readonly status: SyncRunStatus | "empty";
  readonly finishedAt?: string;
}

export interface SnapshotDiff {
  readonly a: SnapshotSide;
  readonly b: SnapshotSide;
  readonly identical: boolean;
  readonly resourceTypes: ChangedIds;
  /** Only types with at least one change. */
  readonly types: readonly TypeDiff[];
  readonly totals: { readonly resources: ChangeCounts; readonly entitlements: ChangeCounts; readonly grants: ChangeCounts };
  /** Resource ids are `type:id`; entitlement and grant ids are the c1 ids. */
  readonly ids: { readonly resources: ChangedIds; readonly entitlements: ChangedIds; readonly grants: ChangedIds };
}

type Kind = "resources" | "entitlements" | "grants";

/**
 * How each table is keyed, how an item is named, and what tells a change: a resource's bytes; an
 * entitlement's or grant's own content (see snapshot-schema.ts), not the resources it embeds.
 */
const TABLES: Record<Kind, { join: string; id: (alias: string) => string; differs: string }> = {
  resources: {
    join: "x.resource_type = y.resource_type AND x.resource_id = y.resource_id",
    id: (t) => `${t}.resource_type || ':' || ${t}.resource_id`,
    differs: "x.data != y.data",
  },
  entitlements: { join: "x.id = y.id", id: (t) => `${t}.id`, differs: "x.own != y.own" },
  grants: {
    join: "x.id = y.id",
    id: (t) => `${t}.id`,
    differs: "(x.own != y.own OR x.entitlement_id != y.entitlement_id OR x.principal_type != y.principal_type OR x.principal_id != y.principal_id)",
  },
};

/**
 * What changed from snapshot A to snapshot B. B is ATTACHed to A's connection and every comparison is
 * one SQL query over the primary-key indexes (NOT EXISTS for added and removed, a JOIN comparing
 * content for changed), so a 100,000-user org is compared without loading either side in memory.
 */
export function diffSnapshots(pathA: string, pathB: string, options: { limit?: number } = {}): SnapshotDiff {
  try {
    return compareSnapshots(pathA, pathB, options.limit ?? 20);
  } catch (error) {
    // A damaged page shows only when a query reaches it, and the error does not say which file it was in.
    if (isSqliteCorruption(error)) throw findSnapshotDamage(pathA) ?? findSnapshotDamage(pathB) ?? error;
    throw error;
  }
}

function compareSnapshots(pathA: string, pathB: string, limit: number): SnapshotDiff {
  openSnapshotDatabase(pathB, "read").close();
  const db = openSnapshotDatabase(pathA, "read");
  try {
    db.prepare("ATTACH DATABASE ? AS b").run(pathB);
    const counts = (Object.keys(TABLES) as Kind[]).map((kind) => [kind, changeCounts(db, kind)] as const);
    const byType = new Map<string, Record<Kind, ChangeCounts>>();
    for (const [kind, rows] of counts) {
      for (const [type, c] of rows) {
        const entry = byType.get(type) ?? { resources: NONE, entitlements: NONE, grants: NONE };
        entry[kind] = c;
        byType.set(type, entry);
      }
    }
    const types = [...byType.entries()].sort(([x], [y]) => x.localeCompare(y)).map(([resourceTypeId, c]) => ({ resourceTypeId, ...c }));
    const totals = { resources: sum(types, "resources"), entitlements: sum(types, "entitlements"), grants: sum(types, "grants") };
    const resourceTypes = {
      added: column(db, "SELECT y.id FROM b.resource_types y WHERE NOT EXISTS (SELECT 1 FROM main.resource_types x WHERE x.id = y.id) ORDER BY 1"),
      removed: column(db, "SELECT x.id FROM main.resource_types x WHERE NOT EXISTS (SELECT 1 FROM b.resource_types y WHERE x.id = y.id) ORDER BY 1"),
      changed: column(db, "SELECT x.id FROM main.resource_types x JOIN b.resource_types y ON x.id = y.id WHERE x.data != y.data ORDER BY 1"),
    };
    const ids = { resources: changedIds(db, "resources", limit), entitlements: changedIds(db, "entitlements", limit), grants: changedIds(db, "grants", limit) };
    const identical = types.length === 0 && resourceTypes.added.length + resourceTypes.removed.length + resourceTypes.changed.length === 0;
    return { a: sideOf(db, "main", pathA), b: sideOf(db, "b", pathB), identical, resourceTypes, types, totals, ids };
  } finally {
    db.close();
  }
}

const NONE: ChangeCounts = { added: 0, removed: 0, changed: 0 };

function sum(types: readonly TypeDiff[], kind: Kind): ChangeCounts {
  return types.reduce((t, d) => ({ added: t.added + d[kind].added, removed: t.removed + d[kind].removed, changed: t.changed + d[kind].changed }), NONE);
}

/** Per resource type: [type, counts] for every type with a change of this kind. */
function changeCounts(db: Database.Database, kind: Kind): [string, ChangeCounts][] {
  const { join, differs } = TABLES[kind];
  const grouped = (sql: string) => new Map((db.prepare(sql).all() as { type: string; n: number }[]).map((r) => [r.type, r.n]));
  const added = grouped(`SELECT y.resource_type AS type, count(*) AS n FROM b.${kind} y WHERE NOT EXISTS (SELECT 1 FROM main.${kind} x WHERE ${join}) GROUP BY 1`);
  const removed = grouped(`SELECT x.resource_type AS type, count(*) AS n FROM main.${kind} x WHERE NOT EXISTS (SELECT 1 FROM b.${kind} y WHERE ${join}) GROUP BY 1`);
  const changed = grouped(`SELECT x.resource_type AS type, count(*) AS n FROM main.${kind} x JOIN b.${kind} y ON ${join} WHERE ${differs} GROUP BY 1`);
  const types = new Set([...added.keys(), ...removed.keys(), ...changed.keys()]);
  return [...types].map((type) => [type, { added: added.get(type) ?? 0, removed: removed.get(type) ?? 0, changed: changed.get(type) ?? 0 }]);
}

function changedIds(db: Database.Database, kind: Kind, limit: number): ChangedIds {
  const { join, id, differs } = TABLES[kind];
  return {
    added: column(db, `SELECT ${id("y")} FROM b.${kind} y WHERE NOT EXISTS (SELECT 1 FROM main.${kind} x WHERE ${join}) ORDER BY 1 LIMIT ?`, limit),
    removed: column(db, `SELECT ${id("x")} FROM main.${kind} x WHERE NOT EXISTS (SELECT 1 FROM b.${kind} y WHERE ${join}) ORDER BY 1 LIMIT ?`, limit),
    changed: column(db, `SELECT ${id("x")} FROM main.${kind} x JOIN b.${kind} y ON ${join} WHERE ${differs} ORDER BY 1 LIMIT ?`, limit),
  };
}

function column(db: Database.Database, sql: string, ...params: number[]): string[] {
  return db.prepare(sql).pluck().all(...params) as string[];
}

function sideOf(db: Database.Database, schema: string, path: string): SnapshotSide {
  const row = db.prepare(`SELECT status, finished_at FROM ${schema}.sync_runs ORDER BY id DESC LIMIT 1`).get() as { status: SyncRunStatus; finished_at: string | null } | undefined;
  if (!row) return { path, status: "empty" };
  return { path, status: row.status, ...(row.finished_at ? { finishedAt: row.finished_at } : {}) };
}
