import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ResourceSchema, ResourceTypeSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import { diffSnapshots } from "./diff.js";
import { findSqliteDamage, isSqliteCorruption } from "./sqlite-damage.js";
import { isSnapshotFileError, openSnapshotDatabase, type SnapshotFileError } from "./snapshot-schema.js";
import { openSnapshotStore } from "./snapshot-store.js";

let dir: string;
let sound: string;
let size: number;

/** A snapshot of 2,000 users: enough pages that damage in the middle lies in table data, not only in the schema page. */
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sqlite-damage-"));
  sound = join(dir, "sound.db");
  const store = openSnapshotStore(sound);
  const run = store.startRun({ mode: "stream", connector: "x:1" });
  const users = Array.from({ length: 2000 }, (_v, i) =>
    create(ResourceSchema, { id: { resourceType: "user", resource: `00u${String(i).padStart(17, "0")}` }, displayName: `User ${i}`, description: "x".repeat(200) }),
  );
  store.writeBatch(run.id, { resourceTypes: [create(ResourceTypeSchema, { id: "user" })], resources: users });
  store.completeRun(run.id, {});
  store.close();
  size = statSync(sound).size;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function copy(name: string, damage: (path: string) => void): string {
  const path = join(dir, name);
  copyFileSync(sound, path);
  damage(path);
  return path;
}

/** Overwrites the pages after the first (the header and schema) up to half the file. */
function mangle(path: string): void {
  const bytes = readFileSync(path);
  bytes.fill(0x55, 4096, Math.floor(bytes.length / 2));
  writeFileSync(path, bytes);
}

function caught(action: () => unknown): SnapshotFileError {
  try {
    action();
  } catch (error) {
    if (isSnapshotFileError(error)) return error;
    throw error;
  }
  throw new Error("did not throw");
}

describe("findSqliteDamage", () => {
  it("finds nothing wrong with a sound snapshot", () => {
    expect(size).toBeGreaterThan(200_000);
    expect(findSqliteDamage(sound)).toBeUndefined();
  });

  it("tells a text file from a truncated snapshot from one with damaged pages", () => {
    const text = join(dir, "notes.txt");
    writeFileSync(text, "my notes\n");
    expect(findSqliteDamage(text)).toEqual({ kind: "not-sqlite" });
    const truncated = copy("truncated.db", (path) => truncateSync(path, 8192));
    expect(findSqliteDamage(truncated)).toEqual({ kind: "damaged", detail: `truncated: 8192 bytes of the ${size} its header records`, applicationId: 0x4f4b5453 });
    const mangled = copy("mangled.db", mangle);
    const damage = findSqliteDamage(mangled);
    expect(damage).toMatchObject({ kind: "damaged", applicationId: 0x4f4b5453 });
    expect(damage?.kind === "damaged" && damage.detail).toMatch(/^SQLite's quick_check finds: [^\n]+$/);
  });
});

describe("snapshot errors name the file and what is wrong with it", () => {
  it("opening a truncated snapshot says it is truncated, not that it is not a snapshot", () => {
    const truncated = copy("cut.db", (path) => truncateSync(path, Math.floor(size / 2)));
    for (const purpose of ["read", "write"] as const) {
      const error = caught(() => openSnapshotDatabase(truncated, purpose));
      expect(error.problem).toBe("damaged");
      expect(error.message).toBe(`${truncated} is a damaged okta-connector snapshot (truncated: ${Math.floor(size / 2)} bytes of the ${size} its header records)`);
      expect(error.fix).toMatch(/^delete it/);
    }
  });

  it("a diff that reaches a damaged page names the damaged file, whichever side it is on", () => {
    const mangled = copy("diff-mangled.db", mangle);
    // The header and schema page are sound, so the file opens; only the queries reach the damage.
    openSnapshotDatabase(mangled, "read").close();
    for (const [a, b] of [[sound, mangled], [mangled, sound]] as const) {
      const error = caught(() => diffSnapshots(a, b));
      expect(error.path).toBe(mangled);
      expect(error.message).toMatch(new RegExp(`^${mangled.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is a damaged okta-connector snapshot \\(SQLite's quick_check finds: `));
    }
  });

  it("refuses /dev/null to read and to write without opening it", () => {
    for (const purpose of ["read", "write"] as const) {
      const error = caught(() => openSnapshotDatabase("/dev/null", purpose));
      expect(error).toMatchObject({ problem: "unusable-path", message: "/dev/null is a character device, not a regular file" });
    }
  });

  it("recognises SQLite's corruption errors and no others", () => {
    const db = new Database(join(dir, "notes.txt"));
    let notADatabase: unknown;
    try {
      db.pragma("user_version");
    } catch (error) {
      notADatabase = error;
    } finally {
      db.close();
    }
    expect(isSqliteCorruption(notADatabase)).toBe(true);
    expect(isSqliteCorruption(new Error("wrapped", { cause: notADatabase }))).toBe(true);
    expect(isSqliteCorruption(Object.assign(new Error("database is locked"), { name: "SqliteError", code: "SQLITE_BUSY" }))).toBe(false);
    expect(isSqliteCorruption(new Error("database disk image is malformed"))).toBe(false);
  });
});
