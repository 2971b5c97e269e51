import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ResourceSchema, ResourceTypeSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import { openSnapshotStore } from "../../src/engine/snapshot-store.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { type CliResult, type CliUser, runCli } from "./support/sync-cli.js";

/**
 * `sync --out` pointing where no snapshot can be written: a device, a directory, a FIFO, a socket, a
 * path under a file, a path whose SQLite sidecar name is taken, a missing or read-only directory, a
 * file that is not a snapshot, a damaged snapshot. Each is refused with exit 2 and one line naming --out, the path, what it is and the fix,
 * before the connector is dialled (a listener counts connections) and without touching the file.
 */
let dir: string;
let listener: Server;
let connections = 0;
let connector: string;
let snapshot: string;

beforeAll(async () => {
  await buildCliIfStale();
  dir = mkdtempSync(join(tmpdir(), "engine-out-path-"));
  // Another user runs the CLI in the read-only-directory case, and must reach this directory.
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, "folder"));
  writeFileSync(join(dir, "a"), "a plain file\n");
  execFileSync("mkfifo", [join(dir, "fifo")]);
  listener = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  connector = `127.0.0.1:${(listener.address() as { port: number }).port}`;
  // A snapshot of many pages, so damage past its first page lies in table data.
  snapshot = join(dir, "sound.db");
  const store = openSnapshotStore(snapshot);
  const run = store.startRun({ mode: "stream", connector });
  const users = Array.from({ length: 2000 }, (_v, i) => create(ResourceSchema, { id: { resourceType: "user", resource: `00u${i}` }, displayName: `User ${i}`, description: "x".repeat(200) }));
  store.writeBatch(run.id, { resourceTypes: [create(ResourceTypeSchema, { id: "user" })], resources: users }, { cursor: "c1", oktaCalls: 1 });
  store.failRun(run.id, "interrupted");
  store.close();
}, 120_000);

afterEach(() => {
  expect(connections, "the connector was dialled").toBe(0);
});

afterAll(async () => {
  await new Promise((resolve) => listener?.close(resolve));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function sync(out: string, extra: readonly string[] = [], user?: CliUser): Promise<CliResult> {
  // A FIFO would block SQLite's open: the timeout turns a hang into a failure.
  return runCli(["sync", "--connector", connector, "--out", out, "--max-retries", "0", ...extra], { timeoutMs: 20_000, ...(user ? { user } : {}) });
}

function expectRefused(result: CliResult, message: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
  expect(result.stdout).toBe("");
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("sync --out where no snapshot can be written", () => {
  for (const resume of [[], ["--resume"]]) {
    const mode = resume.length === 0 ? "new sync" : "--resume";

    it(`refuses /dev/null as a character device and leaves no /dev/null-journal (${mode})`, async () => {
      const journalBefore = existsSync("/dev/null-journal");
      const result = await sync("/dev/null", resume);
      expectRefused(result, /^okta-connector: --out: \/dev\/null is a character device, not a regular file; give the path of a snapshot file to write, e\.g\. \.\/okta\.db$/m);
      expect(existsSync("/dev/null-journal")).toBe(journalBefore);
    }, 60_000);

    it(`refuses a directory, naming a file path in it (${mode})`, async () => {
      const folder = join(dir, "folder");
      expectRefused(await sync(folder, resume), new RegExp(`^okta-connector: --out: ${escape(folder)} is a directory, not a regular file; give a file path in it, e\\.g\\. ${escape(join(folder, "okta.db"))}$`, "m"));
      expect(readdirSync(folder)).toEqual([]);
    }, 60_000);

    it(`refuses a FIFO without blocking on it (${mode})`, async () => {
      expectRefused(await sync(join(dir, "fifo"), resume), /^okta-connector: --out: .*\/fifo is a named pipe \(FIFO\), not a regular file; give the path of a snapshot file/m);
    }, 60_000);

    it(`refuses a path under a plain file: "a is a file, not a directory" (${mode})`, async () => {
      const a = join(dir, "a");
      expectRefused(await sync(join(a, "x.sqlite"), resume), new RegExp(`^okta-connector: --out: ${escape(a)} is a file, not a directory, so ${escape(join(a, "x.sqlite"))} cannot be created; choose a path in an existing directory$`, "m"));
      expect(readFileSync(a, "utf8")).toBe("a plain file\n");
    }, 60_000);
  }

  it("refuses a socket", async () => {
    const path = join(dir, "socket");
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      expectRefused(await sync(path), /^okta-connector: --out: .*\/socket is a socket, not a regular file/m);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, 60_000);

  it("refuses a path whose -wal or -journal name is taken by a directory, and creates no empty snapshot beside it", async () => {
    for (const suffix of ["-wal", "-journal"]) {
      const own = mkdtempSync(join(dir, "sidecar-"));
      const out = join(own, "okta.db");
      mkdirSync(out + suffix);
      expectRefused(await sync(out), new RegExp(`^okta-connector: --out: ${escape(out + suffix)} is a directory, where SQLite keeps the snapshot's ${suffix.slice(1)} file; move it away, or choose another path$`, "m"));
      expect(readdirSync(own)).toEqual([`okta.db${suffix}`]);
    }
  }, 60_000);

  it("refuses a missing directory rather than creating it, and says how to create it (or, with --resume, to check the path)", async () => {
    const missing = join(dir, "snapshots", "2026");
    expectRefused(await sync(join(missing, "okta.db")), new RegExp(`^okta-connector: --out: directory ${escape(missing)} does not exist; create it first \\(mkdir -p ${escape(missing)}\\), or choose another path$`, "m"));
    expectRefused(await sync(join(missing, "okta.db"), ["--resume"]), new RegExp(`^okta-connector: --out: directory ${escape(missing)} does not exist; check the path: --resume continues a snapshot that exists$`, "m"));
    expect(existsSync(join(dir, "snapshots"))).toBe(false);
  }, 60_000);

  it("refuses a directory this user cannot write, naming the -wal and -shm files SQLite needs there", async () => {
    const readOnly = join(dir, "read-only");
    mkdirSync(readOnly, { mode: 0o755 });
    // root writes anywhere: as root, the CLI runs as nobody, for whom the root-owned directory is read-only.
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) chmodSync(readOnly, 0o555);
    const user = asRoot ? { uid: 65534, gid: 65534 } : undefined;
    try {
      expectRefused(await sync(join(readOnly, "okta.db"), [], user), new RegExp(`^okta-connector: --out: directory ${escape(readOnly)} is not writable by this user \\(EACCES\\), and SQLite writes okta\\.db-wal and okta\\.db-shm there; choose a directory you can write to$`, "m"));
    } finally {
      chmodSync(readOnly, 0o755);
    }
    expect(readdirSync(readOnly)).toEqual([]);
  }, 60_000);
});

describe("sync --out of a file that is not a usable snapshot", () => {
  for (const resume of [[], ["--resume"]]) {
    const mode = resume.length === 0 ? "new sync" : "--resume";

    it(`refuses a text file and leaves it, and its directory, as they were (${mode})`, async () => {
      const own = mkdtempSync(join(dir, "text-"));
      const notes = join(own, "notes.txt");
      writeFileSync(notes, "my notes, not a database\n".repeat(300));
      expectRefused(await sync(notes, resume), new RegExp(`^okta-connector: --out: ${escape(notes)} is not an okta-connector snapshot \\(not a SQLite database\\); choose another path, or delete the file if it is yours$`, "m"));
      expect(readFileSync(notes, "utf8")).toBe("my notes, not a database\n".repeat(300));
      expect(readdirSync(own)).toEqual(["notes.txt"]);
    }, 60_000);

    it(`refuses a truncated snapshot, saying it is truncated and how to start over (${mode})`, async () => {
      const truncated = join(dir, `truncated-${resume.length}.db`);
      copyFileSync(snapshot, truncated);
      truncateSync(truncated, 8192);
      const before = readFileSync(truncated);
      expectRefused(
        await sync(truncated, resume),
        new RegExp(`^okta-connector: --out: ${escape(truncated)} is a damaged okta-connector snapshot \\(truncated: 8192 bytes of the \\d+ its header records\\); delete it, with any -wal and -shm file beside it, and sync again; or choose another path$`, "m"),
      );
      expect(readFileSync(truncated)).toEqual(before);
    }, 60_000);
  }

  it("refuses a snapshot with damaged pages before dialling the connector, naming what SQLite's check finds", async () => {
    const mangled = join(dir, "mangled.db");
    const bytes = readFileSync(snapshot);
    bytes.fill(0x55, 4096, Math.floor(bytes.length / 2));
    writeFileSync(mangled, bytes);
    // Its first page is sound, so it opens; replacing its content reaches the damage.
    expectRefused(await sync(mangled), new RegExp(`^okta-connector: --out: ${escape(mangled)} is a damaged okta-connector snapshot \\(SQLite's quick_check finds: .+\\); delete it`, "m"));
  }, 60_000);
});
