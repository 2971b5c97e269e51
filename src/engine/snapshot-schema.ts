import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import { findSqliteDamage, isSqliteCorruption } from "./sqlite-damage.js";
import { snapshotPathProblem } from "./snapshot-path.js";

/**
 * The snapshot file: one SQLite database per synced org. Every c1 object is stored as its serialized
 * proto (`data`, protobuf binary) beside the columns a query needs, keyed by its c1 id, so a snapshot
 * can be diffed and queried with SQL and still hands back the exact messages the connector sent.
 *
 * Entitlements and grants embed whole resources (a group's member grant carries the group with its
 * users_count), so one new member changes the bytes of every grant of that group. `own` holds what is
 * an item's own beyond its key columns: an entitlement's bytes with its resource reduced to the id, a
 * grant's annotations and sources (empty for most grants). `diff` compares those, so a resource
 * change shows once, as a changed resource.
 */

/** `PRAGMA application_id` of a snapshot ("OKTS"): how we tell our files from any other SQLite file. */
export const SNAPSHOT_APPLICATION_ID = 0x4f4b5453;
/** `PRAGMA user_version`: the layout below. A file with another version is refused, never migrated in place. */
export const SNAPSHOT_SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE resource_types (
  id           TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  data         BLOB NOT NULL
);
CREATE TABLE resources (
  resource_type TEXT NOT NULL,
  resource_id   TEXT NOT NULL,
  parent_type   TEXT,
  parent_id     TEXT,
  display_name  TEXT NOT NULL,
  data          BLOB NOT NULL,
  PRIMARY KEY (resource_type, resource_id)
);
CREATE TABLE entitlements (
  id            TEXT PRIMARY KEY,
  resource_type TEXT NOT NULL,
  resource_id   TEXT NOT NULL,
  slug          TEXT NOT NULL,
  display_name  TEXT NOT NULL,
  data          BLOB NOT NULL,
  own           BLOB NOT NULL
);
CREATE INDEX entitlements_by_resource ON entitlements (resource_type, resource_id);
CREATE TABLE grants (
  id             TEXT PRIMARY KEY,
  entitlement_id TEXT NOT NULL,
  resource_type  TEXT NOT NULL,
  resource_id    TEXT NOT NULL,
  principal_type TEXT NOT NULL,
  principal_id   TEXT NOT NULL,
  data           BLOB NOT NULL,
  own            BLOB NOT NULL
);
CREATE INDEX grants_by_entitlement ON grants (entitlement_id);
CREATE INDEX grants_by_principal ON grants (principal_type, principal_id);
CREATE TABLE sync_runs (
  id                     INTEGER PRIMARY KEY,
  status                 TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed')),
  mode                   TEXT NOT NULL CHECK (mode IN ('stream', 'paged')),
  connector              TEXT NOT NULL,
  sync_id                TEXT,
  started_at             TEXT NOT NULL,
  finished_at            TEXT,
  last_cursor            TEXT,
  batches                INTEGER NOT NULL DEFAULT 0,
  received_resources     INTEGER NOT NULL DEFAULT 0,
  received_entitlements  INTEGER NOT NULL DEFAULT 0,
  received_grants        INTEGER NOT NULL DEFAULT 0,
  okta_calls             INTEGER NOT NULL DEFAULT 0,
  summary                TEXT,
  error                  TEXT
);
`;

/**
 * Why a file cannot be used as a snapshot: absent, a path that cannot hold one (a device, a directory,
 * a read-only directory, …), not a snapshot, damaged (truncated, a broken page), unreadable for another
 * reason, or a snapshot of another layout.
 */
export type SnapshotFileProblem = "missing" | "unusable-path" | "not-a-snapshot" | "damaged" | "unreadable" | "other-version";

/** A file that cannot be used as a snapshot; the message names the path and what is wrong, `fix` what to do. */
export class SnapshotFileError extends Error {
  override name = "SnapshotFileError";
  readonly fix: string | undefined;
  constructor(
    readonly problem: SnapshotFileProblem,
    readonly path: string,
    message: string,
    options: { fix?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.fix = options.fix;
  }
}

export function isSnapshotFileError(value: unknown): value is SnapshotFileError {
  return value instanceof Error && value.name === "SnapshotFileError" && typeof (value as SnapshotFileError).problem === "string";
}

/**
 * Opens (and for `write`, creates) a snapshot. A new, empty or zero-table SQLite file gets the schema;
 * any other file must carry our application_id and schema version, checked before anything is written,
 * so a sync pointed at the wrong path never clobbers someone's database. `read` needs an existing
 * snapshot. Writers use WAL with synchronous=NORMAL: a committed batch survives a killed process.
 */
export function openSnapshotDatabase(path: string, purpose: "write" | "read"): Database.Database {
  const unusable = snapshotPathProblem(path, purpose === "write" ? "sync" : "read");
  if (unusable) throw new SnapshotFileError("unusable-path", path, unusable.problem, { fix: unusable.fix });
  if (purpose === "read" && !existsSync(path)) throw new SnapshotFileError("missing", path, `${path}: no such file`);
  const db = new Database(path, { fileMustExist: purpose === "read" });
  try {
    const state = inspect(db, path);
    if (state === "fresh") {
      if (purpose === "read") throw new SnapshotFileError("not-a-snapshot", path, `${path} is an empty database, not an okta-connector snapshot`);
      db.pragma("journal_mode = WAL");
      db.transaction(() => {
        db.exec(SCHEMA);
        db.pragma(`application_id = ${SNAPSHOT_APPLICATION_ID}`);
        db.pragma(`user_version = ${SNAPSHOT_SCHEMA_VERSION}`);
      })();
    } else if (purpose === "write") {
      db.pragma("journal_mode = WAL");
    }
    if (purpose === "write") db.pragma("synchronous = NORMAL");
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** "fresh" for a file with no tables; throws for anything that is not one of our snapshots. */
function inspect(db: Database.Database, path: string): "fresh" | "snapshot" {
  let applicationId: number;
  let version: number;
  let tables: number;
  try {
    applicationId = db.pragma("application_id", { simple: true }) as number;
    version = db.pragma("user_version", { simple: true }) as number;
    tables = (db.prepare("SELECT count(*) AS n FROM sqlite_schema").get() as { n: number }).n;
  } catch (error) {
    throw snapshotErrorFromSqlite(path, error);
  }
  if (applicationId === 0 && tables === 0) return "fresh";
  if (applicationId !== SNAPSHOT_APPLICATION_ID) {
    throw new SnapshotFileError("not-a-snapshot", path, `${path} is a SQLite database of another program, not an okta-connector snapshot`);
  }
  if (version !== SNAPSHOT_SCHEMA_VERSION) {
    throw new SnapshotFileError("other-version", path, `${path} is a snapshot of layout version ${version}; this okta-connector reads version ${SNAPSHOT_SCHEMA_VERSION}`);
  }
  return "snapshot";
}

const DAMAGED_FIX = "delete it, with any -wal and -shm file beside it, and sync again; or choose another path";

/**
 * What is wrong with the snapshot at `path`, given that SQLite failed on it with `error`: not SQLite at
 * all, damaged (and how), or, for a failure that is not about the file's content (locked, I/O),
 * unreadable with SQLite's message.
 */
export function snapshotErrorFromSqlite(path: string, error: unknown): SnapshotFileError {
  const found = isSqliteCorruption(error) ? findSnapshotDamage(path) : undefined;
  if (found) return found;
  const message = error instanceof Error ? error.message : String(error);
  if (isSqliteCorruption(error)) return new SnapshotFileError("damaged", path, `${path} is a damaged SQLite file (${message})`, { fix: DAMAGED_FIX, cause: error });
  return new SnapshotFileError("unreadable", path, `${path} cannot be read (${message})`, { fix: "check its permissions, and that no other program holds it locked", cause: error });
}

/** The damage SQLite's header and quick_check find in the file at `path`, as a SnapshotFileError; undefined for a sound file. */
export function findSnapshotDamage(path: string): SnapshotFileError | undefined {
  const damage = findSqliteDamage(path);
  if (damage === undefined) return undefined;
  if (damage.kind === "not-sqlite") return new SnapshotFileError("not-a-snapshot", path, `${path} is not an okta-connector snapshot (not a SQLite database)`);
  const what =
    damage.applicationId === SNAPSHOT_APPLICATION_ID
      ? "a damaged okta-connector snapshot"
      : damage.applicationId === undefined
        ? "a damaged SQLite file"
        : "a damaged SQLite database, not an okta-connector snapshot";
  return new SnapshotFileError("damaged", path, `${path} is ${what} (${damage.detail})`, { fix: DAMAGED_FIX });
}
