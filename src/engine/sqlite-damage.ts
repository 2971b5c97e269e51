import Database from "better-sqlite3";
import { readSqliteHeader } from "./sqlite-header.js";

/** What is wrong with a SQLite file SQLite could not read. */
export type SqliteDamage =
  | { readonly kind: "not-sqlite" }
  /** `applicationId` is known when the header survived. */
  | { readonly kind: "damaged"; readonly detail: string; readonly applicationId?: number };

/** True for SQLite's "file is not a database" and "database disk image is malformed" errors (better-sqlite3's SqliteError codes). */
export function isSqliteCorruption(error: unknown): boolean {
  for (let cause: unknown = error, depth = 0; cause instanceof Error && depth < 8; cause = cause.cause, depth++) {
    const code = (cause as { code?: unknown }).code;
    if (cause.name === "SqliteError" && typeof code === "string" && (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT"))) return true;
  }
  return false;
}

/**
 * Why SQLite cannot read the file at `path`, or undefined when it finds nothing wrong: first from its
 * header and size (not SQLite at all, truncated), then from `PRAGMA quick_check`, which walks every page
 * and so is only run after SQLite has already failed on the file. The check's findings name pages and
 * cells, never row content.
 */
export function findSqliteDamage(path: string): SqliteDamage | undefined {
  const header = readSqliteHeader(path);
  if (header.kind === "not-sqlite" || header.kind === "damaged") return header;
  if (header.kind === "empty") return undefined;
  let findings: string[];
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      // One row may hold several findings, one a line, under a "*** in database main ***" heading.
      findings = (db.pragma("quick_check(3)") as { quick_check: string }[])
        .flatMap((row) => row.quick_check.split("\n"))
        .filter((line) => line !== "ok" && line.trim() !== "" && !line.startsWith("***"))
        .slice(0, 3);
    } finally {
      db.close();
    }
  } catch (error) {
    return { kind: "damaged", detail: (error as Error).message, applicationId: header.applicationId };
  }
  if (findings.length === 0) return undefined;
  return { kind: "damaged", detail: `SQLite's quick_check finds: ${findings.join("; ")}`, applicationId: header.applicationId };
}
