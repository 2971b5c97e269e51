import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { anyPack } from "@bufbuild/protobuf/wkt";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UserTraitSchema } from "../../gen/c1/connector/v2/annotation_trait_pb.js";
import { type Entitlement, EntitlementSchema } from "../../gen/c1/connector/v2/entitlement_pb.js";
import { type Grant, GrantSchema } from "../../gen/c1/connector/v2/grant_pb.js";
import { type Resource, ResourceSchema, ResourceTypeSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import { isSnapshotFileError, SNAPSHOT_APPLICATION_ID } from "./snapshot-schema.js";
import { openSnapshotStore, type SnapshotStore } from "./snapshot-store.js";

let dir: string;
let path: string;
let store: SnapshotStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "snapshot-store-"));
  path = join(dir, "okta.db");
  store = openSnapshotStore(path);
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const user = (id: string, name = id): Resource => create(ResourceSchema, { id: { resourceType: "user", resource: id }, displayName: name });
const group = create(ResourceSchema, { id: { resourceType: "group", resource: "00g1abcdEFGH2345" }, displayName: "Engineering" });
const member: Entitlement = create(EntitlementSchema, { id: "group:00g1abcdEFGH2345:member", resource: group, slug: "member", displayName: "Engineering member" });
const grantTo = (userId: string): Grant =>
  create(GrantSchema, { id: `group:00g1abcdEFGH2345:member:user:${userId}`, entitlement: member, principal: user(userId) });

function rows(table: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe("snapshot store", () => {
  it("reads the stored resources back in the order first stored, each once, with writes between two of them", () => {
    const run = store.startRun({ mode: "paged", connector: "127.0.0.1:50051" });
    // 1,201 resources: more than two of the store's read chunks, so the walk crosses chunk boundaries.
    const ids = Array.from({ length: 1_201 }, (_, i) => `00u${String(i).padStart(13, "0")}`);
    store.writeBatch(run.id, { resources: [group] });
    store.writeBatch(run.id, { resources: ids.map((id) => user(id)) });
    // Stored again, renamed: an upsert keeps the first position and takes the new data.
    store.writeBatch(run.id, { resources: [user(ids[0]!, "renamed")] });
    const seen: Resource[] = [];
    for (const resource of store.storedResources()) {
      seen.push(resource);
      // What the paged sync does between two resources: it stores that resource's grants.
      if (resource.id?.resourceType === "user") store.writeBatch(run.id, { grants: [grantTo(resource.id.resource)] });
    }
    expect(seen.map((r) => r.id?.resource)).toEqual(["00g1abcdEFGH2345", ...ids]);
    expect(seen[1]?.displayName).toBe("renamed");
    expect(rows("grants")).toBe(1_201);
  });

  it("stores a replayed batch once: upserts by c1 id, and the replay only moves the cursor", () => {
    const run = store.startRun({ mode: "stream", connector: "127.0.0.1:50051" });
    const batch = { resources: [user("00u1aaaaBBBB1111"), user("00u2aaaaBBBB2222"), group], entitlements: [member], grants: [grantTo("00u1aaaaBBBB1111")] };
    store.writeBatch(run.id, batch, { cursor: "cursor-1", oktaCalls: 3 });
    store.writeBatch(run.id, batch, { cursor: "cursor-1", oktaCalls: 3 });
    expect([rows("resources"), rows("entitlements"), rows("grants")]).toEqual([3, 1, 1]);
    const after = store.run(run.id);
    expect(after.lastCursor).toBe("cursor-1");
    // Received counts keep the duplicate, which is how an engine notices a connector that re-sends.
    expect(after.received).toEqual({ resources: 6, entitlements: 2, grants: 2 });
    expect(store.countsByType()).toEqual([
      { resourceTypeId: "group", resources: 1, entitlements: 1, grants: 1 },
      { resourceTypeId: "user", resources: 2, entitlements: 0, grants: 0 },
    ]);
  });

  it("keeps the bytes of the latest copy, which decode to the message that was stored", () => {
    const run = store.startRun({ mode: "stream", connector: "x:1" });
    store.writeBatch(run.id, { resources: [user("00u1aaaaBBBB1111", "Ada")] });
    store.writeBatch(run.id, { resources: [user("00u1aaaaBBBB1111", "Ada Lovelace")] });
    store.close();
    const db = new Database(path, { readonly: true });
    const row = db.prepare("SELECT display_name, data FROM resources").get() as { display_name: string; data: Buffer };
    db.close();
    store = openSnapshotStore(path);
    expect(row.display_name).toBe("Ada Lovelace");
    expect(fromBinary(ResourceSchema, row.data)).toEqual(user("00u1aaaaBBBB1111", "Ada Lovelace"));
  });

  it("stores items received as bytes exactly as they came, without encoding them again", () => {
    const run = store.startRun({ mode: "stream", connector: "x:1" });
    // A field this engine does not know (number 999) survives only if the bytes are stored as received.
    const withUnknown = (message: Uint8Array) => new Uint8Array([...message, 0xba, 0x3e, 0x02, 0x68, 0x69]);
    const ada = user("00u1aaaaBBBB1111", "Ada");
    const adaBytes = withUnknown(toBinary(ResourceSchema, ada));
    const grant = grantTo("00u1aaaaBBBB1111");
    const grantBytes = withUnknown(toBinary(GrantSchema, grant));
    const memberBytes = withUnknown(toBinary(EntitlementSchema, member));
    store.writeBatch(run.id, {
      resources: [adaBytes],
      entitlements: [memberBytes],
      grants: [grantBytes],
    });
    store.close();
    const db = new Database(path, { readonly: true });
    const data = (table: string) => new Uint8Array((db.prepare(`SELECT data FROM ${table}`).get() as { data: Buffer }).data);
    const stored = [data("resources"), data("entitlements"), data("grants")];
    db.close();
    store = openSnapshotStore(path);
    expect(stored).toEqual([adaBytes, memberBytes, grantBytes]);
  });

  it("gives a grant received as bytes with annotations its own column, as for one given as a message", () => {
    const run = store.startRun({ mode: "stream", connector: "x:1" });
    const annotations = [anyPack(UserTraitSchema, create(UserTraitSchema, { login: "ada@example.com" }))];
    const annotated = create(GrantSchema, { id: "group:00g1abcdEFGH2345:member:user:00u1aaaaBBBB1111", entitlement: member, principal: user("00u1aaaaBBBB1111"), annotations });
    const plain = grantTo("00u2aaaaBBBB2222");
    store.writeBatch(run.id, { grants: [toBinary(GrantSchema, annotated), toBinary(GrantSchema, plain)] });
    store.close();
    const db = new Database(path, { readonly: true });
    const stored = db.prepare("SELECT id, entitlement_id, resource_type, resource_id, principal_type, principal_id, data, own FROM grants ORDER BY id").all() as Record<string, unknown>[];
    db.close();
    store = openSnapshotStore(path);
    expect(stored.map((r) => ({ ...r, data: new Uint8Array(r.data as Buffer), own: new Uint8Array(r.own as Buffer) }))).toEqual([
      {
        id: annotated.id, entitlement_id: member.id, resource_type: "group", resource_id: "00g1abcdEFGH2345", principal_type: "user", principal_id: "00u1aaaaBBBB1111",
        data: toBinary(GrantSchema, annotated), own: toBinary(GrantSchema, create(GrantSchema, { annotations })),
      },
      {
        id: plain.id, entitlement_id: member.id, resource_type: "group", resource_id: "00g1abcdEFGH2345", principal_type: "user", principal_id: "00u2aaaaBBBB2222",
        data: toBinary(GrantSchema, plain), own: new Uint8Array(0),
      },
    ]);
  });

  it("writes a batch and its cursor atomically: an item that cannot be stored rolls back the whole batch", () => {
    const run = store.startRun({ mode: "stream", connector: "x:1" });
    store.writeBatch(run.id, { resources: [user("00u1aaaaBBBB1111")] }, { cursor: "cursor-1", oktaCalls: 1 });
    const broken = create(GrantSchema, { id: "group:00g1abcdEFGH2345:member:user:00u9", entitlement: member });
    expect(() =>
      store.writeBatch(run.id, { resources: [user("00u2aaaaBBBB2222")], grants: [grantTo("00u2aaaaBBBB2222"), broken] }, { cursor: "cursor-2", oktaCalls: 2 }),
    ).toThrow(/without an id, an entitlement or a principal/);
    expect([rows("resources"), rows("grants")]).toEqual([1, 0]);
    const after = store.run(run.id);
    expect(after.lastCursor).toBe("cursor-1");
    expect(after.batches).toBe(1);
    expect(after.oktaCalls).toBe(1);
  });

  it("replaces the content when a new run starts, and marks a run left running as failed", () => {
    const first = store.startRun({ mode: "stream", connector: "x:1" });
    store.recordStart(first.id, { syncId: "sync-1", resourceTypes: [create(ResourceTypeSchema, { id: "user", displayName: "User" })] });
    store.writeBatch(first.id, { resources: [user("00u1aaaaBBBB1111")] }, { cursor: "c", oktaCalls: 1 });
    const second = store.startRun({ mode: "paged", connector: "x:1" });
    expect([rows("resource_types"), rows("resources")]).toEqual([0, 0]);
    expect(store.run(first.id)).toMatchObject({ status: "failed", error: `replaced by sync run ${second.id}` });
    expect(store.lastRun()).toMatchObject({ id: second.id, status: "running", mode: "paged" });
    store.completeRun(second.id, { totals: { resources: 0, entitlements: 0, grants: 0 } });
    expect(store.lastCompleteRun()).toMatchObject({ id: second.id, status: "complete", summary: { totals: { resources: 0, entitlements: 0, grants: 0 } } });
  });

  it("refuses a file that is not a snapshot and leaves it untouched", () => {
    const notes = join(dir, "notes.txt");
    writeFileSync(notes, "my notes, not a database\n".repeat(100));
    const other = join(dir, "other.db");
    const db = new Database(other);
    db.exec("CREATE TABLE t (x)");
    db.close();
    const before = [readFileSync(notes), readFileSync(other)];
    for (const file of [notes, other]) {
      let caught: unknown;
      try {
        openSnapshotStore(file).close();
      } catch (error) {
        caught = error;
      }
      expect(isSnapshotFileError(caught) && caught.problem).toBe("not-a-snapshot");
    }
    expect([readFileSync(notes), readFileSync(other)]).toEqual(before);
  });

  it("marks its files with the snapshot application id and uses WAL", () => {
    const db = new Database(path, { readonly: true });
    expect(db.pragma("application_id", { simple: true })).toBe(SNAPSHOT_APPLICATION_ID);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });
});
