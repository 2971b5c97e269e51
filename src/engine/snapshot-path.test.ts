import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { snapshotPathProblem } from "./snapshot-path.js";

let dir: string;
let socketServer: Server;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "snapshot-path-"));
  writeFileSync(join(dir, "a"), "a plain file\n");
  writeFileSync(join(dir, "okta.db"), "");
  mkdirSync(join(dir, "folder"));
  mkdirSync(join(dir, "blocked.db-wal"));
  writeFileSync(join(dir, "existing.db"), "");
  mkdirSync(join(dir, "existing.db-journal"));
  execFileSync("mkfifo", [join(dir, "fifo")]);
  symlinkSync(join(dir, "nowhere", "x.db"), join(dir, "dangling"));
  socketServer = createServer();
  await new Promise<void>((resolve) => socketServer.listen(join(dir, "socket"), resolve));
});

afterAll(async () => {
  await new Promise((resolve) => socketServer.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe("snapshotPathProblem", () => {
  const problems: [string, () => string, "sync" | "resume" | "read", RegExp, RegExp][] = [
    ["a character device", () => "/dev/null", "sync", /^\/dev\/null is a character device, not a regular file$/, /snapshot file to write/],
    ["a character device to diff", () => "/dev/null", "read", /^\/dev\/null is a character device, not a regular file$/, /written by okta-connector sync/],
    ["a directory", () => join(dir, "folder"), "sync", /folder is a directory, not a regular file$/, /give a file path in it, e\.g\. .*folder\/okta\.db$/],
    ["a FIFO (SQLite would block opening it)", () => join(dir, "fifo"), "read", /fifo is a named pipe \(FIFO\), not a regular file$/, /./],
    ["a socket", () => join(dir, "socket"), "resume", /socket is a socket, not a regular file$/, /./],
    ["a path ending in a slash", () => `${dir}/new/`, "sync", /ends with "\/", so it names a directory/, /e\.g\. .*\/new\/okta\.db$/],
    ["a file used as a directory", () => join(dir, "a", "x.sqlite"), "sync", /\/a is a file, not a directory, so .*\/a\/x\.sqlite cannot be created$/, /existing directory/],
    ["a file used as a directory, deeper", () => join(dir, "a", "b", "x.sqlite"), "resume", /\/a is a file, not a directory/, /existing directory/],
    ["a missing directory", () => join(dir, "nope", "deeper", "x.db"), "sync", /^directory .*\/nope\/deeper does not exist$/, /^create it first \(mkdir -p .*\/nope\/deeper\), or choose another path$/],
    ["a missing directory to resume in", () => join(dir, "nope", "x.db"), "resume", /^directory .*\/nope does not exist$/, /--resume continues a snapshot that exists/],
    ["a directory where the write-ahead log goes", () => join(dir, "blocked.db"), "sync", /blocked\.db-wal is a directory, where SQLite keeps the snapshot's wal file$/, /move it away/],
    ["a directory where the rollback journal goes, beside an existing file", () => join(dir, "existing.db"), "read", /existing\.db-journal is a directory, where SQLite keeps the snapshot's journal file$/, /move it away/],
    ["a dangling symbolic link", () => join(dir, "dangling"), "sync", /dangling is a symbolic link to .*nowhere\/x\.db, which does not exist$/, /./],
  ];
  for (const [name, path, purpose, problem, fix] of problems) {
    it(`refuses ${name} (${purpose})`, () => {
      const found = snapshotPathProblem(path(), purpose);
      expect(found?.problem).toMatch(problem);
      expect(found?.fix).toMatch(fix);
    });
  }

  it("accepts a new file in a writable directory, an existing regular file, and a relative path", () => {
    expect(snapshotPathProblem(join(dir, "new.db"), "sync")).toBeUndefined();
    expect(snapshotPathProblem(join(dir, "okta.db"), "resume")).toBeUndefined();
    expect(snapshotPathProblem(join(dir, "okta.db"), "read")).toBeUndefined();
    expect(snapshotPathProblem("relative-new.db", "sync")).toBeUndefined();
  });

  it("leaves a missing file to read or resume to the caller, which says so in its own words", () => {
    expect(snapshotPathProblem(join(dir, "missing.db"), "read")).toBeUndefined();
    expect(snapshotPathProblem(join(dir, "missing.db"), "resume")).toBeUndefined();
  });

  // root may write anywhere, so permission bits only bind other users (the CLI test covers root via another uid).
  it.skipIf(process.getuid?.() === 0)("refuses a read-only directory, naming the -wal and -shm files SQLite needs there", () => {
    const readOnly = join(dir, "read-only");
    mkdirSync(readOnly);
    writeFileSync(join(readOnly, "okta.db"), "");
    chmodSync(readOnly, 0o555);
    try {
      expect(snapshotPathProblem(join(readOnly, "x.db"), "sync")?.problem).toMatch(/^directory .*read-only is not writable by this user \(EACCES\), and SQLite writes x\.db-wal and x\.db-shm there$/);
      expect(snapshotPathProblem(join(readOnly, "okta.db"), "resume")?.problem).toMatch(/read-only is not writable/);
    } finally {
      chmodSync(readOnly, 0o755);
    }
  });
});
