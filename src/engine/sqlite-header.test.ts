import { describe, expect, it } from "vitest";
import { diagnoseSqliteHeader, type SqliteHeaderVerdict } from "./sqlite-header.js";

/** A SQLite header as the format defines it: page size at 16, change counter at 24, page count at 28, user_version at 60, application_id at 68, version-valid-for at 92. */
function header(options: { pageSize?: number; pages?: number; counter?: number; validFor?: number; applicationId?: number; userVersion?: number } = {}): Buffer {
  const bytes = Buffer.alloc(100);
  bytes.write("SQLite format 3\0", 0, "latin1");
  bytes.writeUInt16BE(options.pageSize ?? 4096, 16);
  bytes.writeUInt32BE(options.counter ?? 7, 24);
  bytes.writeUInt32BE(options.pages ?? 10, 28);
  bytes.writeUInt32BE(options.userVersion ?? 1, 60);
  bytes.writeUInt32BE(options.applicationId ?? 0x4f4b5453, 68);
  bytes.writeUInt32BE(options.validFor ?? options.counter ?? 7, 92);
  return bytes;
}

describe("diagnoseSqliteHeader", () => {
  const cases: [string, Uint8Array, number, SqliteHeaderVerdict][] = [
    ["a zero-byte file is empty (SQLite makes it a new database)", Buffer.alloc(0), 0, { kind: "empty" }],
    ["a text file is not SQLite", Buffer.from("my notes, not a database\n"), 25, { kind: "not-sqlite" }],
    ["a file cut inside the magic string is a damaged SQLite file", Buffer.from("SQLite for"), 10, { kind: "damaged", detail: "truncated: 10 bytes, shorter than SQLite's 100-byte header" }],
    ["a file cut inside the header", header().subarray(0, 60), 60, { kind: "damaged", detail: "truncated: 60 bytes, shorter than SQLite's 100-byte header" }],
    ["a sound 10-page file", header(), 40_960, { kind: "intact", applicationId: 0x4f4b5453, userVersion: 1 }],
    ["page size 1 means 65536", header({ pageSize: 1, pages: 2 }), 131_072, { kind: "intact", applicationId: 0x4f4b5453, userVersion: 1 }],
    ["a page size that is not a power of two", header({ pageSize: 1000 }), 40_960, { kind: "damaged", detail: "its header is damaged (page size 1000)", applicationId: 0x4f4b5453 }],
    ["fewer bytes than the header's page count", header({ pages: 10 }), 8192, { kind: "damaged", detail: "truncated: 8192 bytes of the 40960 its header records", applicationId: 0x4f4b5453 }],
    ["a size that is not whole pages", header({ pages: 10 }), 40_960 + 100, { kind: "damaged", detail: "41060 bytes is not a whole number of its 4096-byte pages (truncated or appended to)", applicationId: 0x4f4b5453 }],
    // A stale page count (left by an old SQLite) must not be read as a truncation.
    ["a page count whose version-valid-for does not match is ignored", header({ pages: 10, counter: 8, validFor: 7 }), 8192, { kind: "intact", applicationId: 0x4f4b5453, userVersion: 1 }],
    ["another program's database keeps its application id", header({ applicationId: 0, userVersion: 0 }), 40_960, { kind: "intact", applicationId: 0, userVersion: 0 }],
  ];
  for (const [name, bytes, size, verdict] of cases) {
    it(name, () => expect(diagnoseSqliteHeader(bytes, size)).toEqual(verdict));
  }
});
