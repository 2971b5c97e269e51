import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/**
 * What the first 100 bytes of a file say about it as a SQLite database. SQLite itself reports a
 * truncated file, a text file and a damaged page alike ("file is not a database", "database disk
 * image is malformed"); the header tells them apart, so the engine can say which one a file is.
 * Layout: https://www.sqlite.org/fileformat2.html#the_database_header
 */
export type SqliteHeaderVerdict =
  | { readonly kind: "empty" }
  | { readonly kind: "not-sqlite" }
  /** `applicationId` is known when the header survived (at least 72 bytes of it). */
  | { readonly kind: "damaged"; readonly detail: string; readonly applicationId?: number }
  | { readonly kind: "intact"; readonly applicationId: number; readonly userVersion: number };

export const SQLITE_HEADER_BYTES = 100;
const MAGIC = Buffer.from("SQLite format 3\0", "latin1");

/**
 * Judges a file from its first bytes (`header`, up to 100) and its size. Only the header and the size
 * are looked at: "intact" does not mean every page is sound (that takes `PRAGMA quick_check`).
 */
export function diagnoseSqliteHeader(header: Uint8Array, fileSize: number): SqliteHeaderVerdict {
  if (fileSize === 0) return { kind: "empty" };
  const bytes = Buffer.from(header.buffer, header.byteOffset, Math.min(header.byteLength, SQLITE_HEADER_BYTES));
  const magicLength = Math.min(bytes.length, MAGIC.length);
  if (!bytes.subarray(0, magicLength).equals(MAGIC.subarray(0, magicLength))) return { kind: "not-sqlite" };
  if (fileSize < SQLITE_HEADER_BYTES || bytes.length < SQLITE_HEADER_BYTES) {
    return { kind: "damaged", detail: `truncated: ${fileSize} bytes, shorter than SQLite's ${SQLITE_HEADER_BYTES}-byte header` };
  }
  const applicationId = bytes.readUInt32BE(68);
  const rawPageSize = bytes.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65_536 : rawPageSize;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) return { kind: "damaged", detail: `its header is damaged (page size ${rawPageSize})`, applicationId };
  // The page count in the header is only meaningful when the change counter matches version-valid-for.
  const pages = bytes.readUInt32BE(28);
  const pagesValid = pages > 0 && bytes.readUInt32BE(24) === bytes.readUInt32BE(92);
  if (pagesValid && fileSize < pages * pageSize) {
    return { kind: "damaged", detail: `truncated: ${fileSize} bytes of the ${pages * pageSize} its header records`, applicationId };
  }
  if (fileSize % pageSize !== 0) {
    return { kind: "damaged", detail: `${fileSize} bytes is not a whole number of its ${pageSize}-byte pages (truncated or appended to)`, applicationId };
  }
  return { kind: "intact", applicationId, userVersion: bytes.readUInt32BE(60) };
}

/** Reads the header of the regular file at `path` and judges it (see diagnoseSqliteHeader). */
export function readSqliteHeader(path: string): SqliteHeaderVerdict {
  const fd = openSync(path, "r");
  try {
    const header = Buffer.alloc(SQLITE_HEADER_BYTES);
    const read = readSync(fd, header, 0, SQLITE_HEADER_BYTES, 0);
    return diagnoseSqliteHeader(header.subarray(0, read), fstatSync(fd).size);
  } finally {
    closeSync(fd);
  }
}
