import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOkta, startFakeOkta } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { type RunningConnector, startConnector } from "../support/sync-helpers.js";
import { runCli } from "./support/sync-cli.js";

/**
 * `okta-connector diff` on snapshots written by the real `sync`: a snapshot against itself is empty,
 * and one group membership added in the simulator between two syncs shows as exactly that change.
 */
let fake: FakeOkta;
let connector: RunningConnector;
let dir: string;
let before: string;
let after: string;
let added: { groupId: string; userId: string };

interface DiffJson {
  identical: boolean;
  types: { resourceTypeId: string }[];
  totals: Record<"resources" | "entitlements" | "grants", { added: number; removed: number; changed: number }>;
  ids: Record<"resources" | "entitlements" | "grants", { added: string[]; removed: string[]; changed: string[] }>;
  resourceTypes: { added: string[]; removed: string[]; changed: string[] };
}

async function sync(path: string): Promise<void> {
  const result = await runCli(["sync", "--connector", connector.process.address, "--out", path]);
  expect(result.code, result.stderr).toBe(0);
}

async function diffJson(a: string, b: string): Promise<DiffJson> {
  const result = await runCli(["diff", a, b, "--json"]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as DiffJson;
}

beforeAll(async () => {
  await buildCliIfStale();
  dir = mkdtempSync(join(tmpdir(), "engine-diff-"));
  fake = await startFakeOkta({ seed: 41, users: 300 });
  connector = await startConnector(fake, { token: fake.tokens.super_admin });
  before = join(dir, "before.db");
  after = join(dir, "after.db");
  await sync(before);

  // An Okta-mastered group and an active user outside it, changed over the management API.
  const truth = await fake.groundTruth();
  const group = truth.groups.find((g) => g.type === "OKTA_GROUP" && g.memberIds.length > 0)!;
  const user = truth.users.find((u) => u.status === "ACTIVE" && !group.memberIds.includes(u.id))!;
  const response = await fetch(`${fake.url}/api/v1/groups/${group.id}/users/${user.id}`, {
    method: "PUT",
    headers: { Authorization: `SSWS ${fake.tokens.super_admin}`, Accept: "application/json" },
  });
  expect(response.status).toBe(204);
  added = { groupId: group.id, userId: user.id };
  await sync(after);
}, 180_000);

afterAll(async () => {
  await connector?.stop();
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("okta-connector diff", () => {
  it("finds nothing between a snapshot and itself", async () => {
    const diff = await diffJson(before, before);
    expect(diff.identical).toBe(true);
    expect(diff.types).toEqual([]);
    const none = { added: [], removed: [], changed: [] };
    expect(diff.ids).toEqual({ resources: none, entitlements: none, grants: none });
    expect(diff.resourceTypes).toEqual(none);
    const table = await runCli(["diff", before, before]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("No changes");
  }, 120_000);

  it("shows exactly the membership added between two syncs: one grant, and the group whose member count changed", async () => {
    const diff = await diffJson(before, after);
    const grant = `group:${added.groupId}:member:user:${added.userId}`;
    expect(diff.identical).toBe(false);
    expect(diff.types.map((t) => t.resourceTypeId)).toEqual(["group"]);
    expect(diff.totals.grants).toEqual({ added: 1, removed: 0, changed: 0 });
    expect(diff.ids.grants).toEqual({ added: [grant], removed: [], changed: [] });
    // The group resource carries users_count in its profile, so its bytes change with the membership.
    expect(diff.totals.resources).toEqual({ added: 0, removed: 0, changed: 1 });
    expect(diff.ids.resources.changed).toEqual([`group:${added.groupId}`]);
    expect(diff.totals.entitlements).toEqual({ added: 0, removed: 0, changed: 0 });

    const table = await runCli(["diff", before, after]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^\s+group\s+\+0 -0 ~1\s+\+0 -0 ~0\s+\+1 -0 ~0$/m);
    expect(table.stdout).toContain(`  + ${grant}\n`);
    expect(table.stdout).toContain(`  ~ group:${added.groupId}\n`);
  }, 120_000);

  it("shows the same change as a removal when the snapshots are swapped", async () => {
    const diff = await diffJson(after, before);
    expect(diff.totals.grants).toEqual({ added: 0, removed: 1, changed: 0 });
    expect(diff.ids.grants.removed).toEqual([`group:${added.groupId}:member:user:${added.userId}`]);
  });

  it("refuses a missing file or one that is not a snapshot with exit 2, naming the argument", async () => {
    const missing = await runCli(["diff", before, join(dir, "missing.db")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`okta-connector: snapshot B: ${join(dir, "missing.db")}: no such file\n`);
    const notes = join(dir, "notes.txt");
    writeFileSync(notes, "not a database\n".repeat(200));
    const foreign = await runCli(["diff", notes, before]);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toMatch(/^okta-connector: snapshot A: .*notes\.txt is not an okta-connector snapshot/);
    const limit = await runCli(["diff", before, after, "--limit", "-1"]);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toMatch(/^okta-connector: --limit: /);
  }, 120_000);

  it("names a damaged snapshot and what is wrong with it: truncated, or with broken pages, on either side", async () => {
    const truncated = join(dir, "truncated.db");
    copyFileSync(before, truncated);
    truncateSync(truncated, 4096);
    const cut = await runCli(["diff", before, truncated]);
    expect(cut.code, cut.stderr).toBe(2);
    expect(cut.stderr).toBe(`okta-connector: snapshot B: ${truncated} is a damaged okta-connector snapshot (truncated: 4096 bytes of the ${statSync(before).size} its header records)\n`);

    // Past the first page (header and schema), so the file opens and only the diff's queries reach the damage.
    const mangled = join(dir, "mangled.db");
    const bytes = readFileSync(before);
    bytes.fill(0x55, 4096, Math.floor(bytes.length / 2));
    writeFileSync(mangled, bytes);
    for (const [args, side] of [[[mangled, after], "A"], [[after, mangled], "B"]] as const) {
      const broken = await runCli(["diff", ...args]);
      expect(broken.code, broken.stderr).toBe(2);
      expect(broken.stderr).toMatch(new RegExp(`^okta-connector: snapshot ${side}: ${mangled.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is a damaged okta-connector snapshot \\(SQLite's quick_check finds: [^\n]+\\)\n$`));
    }
  }, 120_000);

  it("names another program's SQLite database, an empty file, a device, a directory and a FIFO (without blocking on it)", async () => {
    const other = join(dir, "other.sqlite");
    const db = new Database(other);
    db.exec("CREATE TABLE notes (body TEXT)");
    db.close();
    const empty = join(dir, "empty.db");
    writeFileSync(empty, "");
    const folder = join(dir, "folder");
    mkdirSync(folder);
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    const cases: [string, string][] = [
      [other, `${other} is a SQLite database of another program, not an okta-connector snapshot`],
      [empty, `${empty} is an empty database, not an okta-connector snapshot`],
      ["/dev/null", "/dev/null is a character device, not a regular file"],
      [folder, `${folder} is a directory, not a regular file`],
      [fifo, `${fifo} is a named pipe (FIFO), not a regular file`],
    ];
    for (const [path, message] of cases) {
      const result = await runCli(["diff", path, before], { timeoutMs: 20_000 });
      expect(result.code, `${path}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toBe(`okta-connector: snapshot A: ${message}\n`);
    }
  }, 120_000);
});
