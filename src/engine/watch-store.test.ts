import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EntitlementSchema } from "../../gen/c1/connector/v2/entitlement_pb.js";
import { type Grant, GrantSchema } from "../../gen/c1/connector/v2/grant_pb.js";
import { type Resource, ResourceIdSchema, ResourceSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import { ResourceStateSchema, TypeStateSchema, type WatchChange, WatchChangeSchema } from "../../gen/oktaconnector/v1/stream_pb.js";
import { openSnapshotStore } from "./snapshot-store.js";
import { openWatchStore, WatchStartError } from "./watch-store.js";

// Built from the generated schemas: the engine reads what the wire carries, not the connector's builders.
const resourceId = (resourceType: string, resource: string) => create(ResourceIdSchema, { resourceType, resource });
const user = (id: string) => create(ResourceSchema, { id: resourceId("user", id), displayName: id });
const group = (id: string, name = id) => create(ResourceSchema, { id: resourceId("group", id), displayName: name });
const member = (g: Resource) => create(EntitlementSchema, { id: `group:${g.id!.resource}:member`, resource: g, slug: "member", displayName: "member" });
const membership = (g: Resource, u: Resource): Grant =>
  create(GrantSchema, { id: `group:${g.id!.resource}:member:user:${u.id!.resource}`, entitlement: member(g), principal: u });
const state = (r: Resource, grants: Grant[], extra: { moreGrants?: boolean; entitlements?: boolean } = {}) =>
  create(ResourceStateSchema, { resourceId: r.id, resource: r, entitlements: extra.entitlements === false ? [] : [member(r)], grants, moreGrants: extra.moreGrants ?? false });
const gone = (type: string, id: string) => create(ResourceStateSchema, { resourceId: resourceId(type, id) });
const change = (init: Partial<WatchChange>) => create(WatchChangeSchema, init as never);

let dir: string;
let path: string;
const rows = (sql: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(sql).pluck().all() as string[]).sort();
  } finally {
    db.close();
  }
};
const grantIds = () => rows("SELECT id FROM grants");
const resourceIds = () => rows("SELECT resource_type || ':' || resource_id FROM resources");

/** A snapshot as `sync` leaves it: users u1..u3, groups g1 (u1, u2) and g2 (u3), and a watch cursor. */
function syncedSnapshot(options: { mode?: "stream" | "paged"; watchCursor?: string } = {}): void {
  const store = openSnapshotStore(path);
  const run = store.startRun({ mode: options.mode ?? "stream", connector: "test" });
  const [u1, u2, u3, g1, g2] = [user("u1"), user("u2"), user("u3"), group("g1"), group("g2")];
  store.writeBatch(run.id, { resources: [u1, u2, u3, g1, g2], entitlements: [member(g1), member(g2)], grants: [membership(g1, u1), membership(g1, u2), membership(g2, u3)] });
  store.completeRun(run.id, options.watchCursor === undefined ? {} : { watchCursor: options.watchCursor });
  store.close();
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "watch-store-"));
  path = join(dir, "s.db");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("a watched snapshot", () => {
  it("starts from the sync's watch cursor and keeps the cursor of the last change applied, across reopenings", () => {
    syncedSnapshot({ watchCursor: "from-sync" });
    const store = openWatchStore(path);
    expect(store.cursor()).toBe("from-sync");
    store.apply(change({ resources: [state(group("g2"), [])] }), "after-1");
    store.advance("heartbeat-2");
    store.close();
    const again = openWatchStore(path);
    expect(again.cursor()).toBe("heartbeat-2");
    expect(again.changesApplied()).toBe(1);
    again.close();
  });

  it("replaces a resource's row, entitlements and grants with its fresh state", () => {
    syncedSnapshot({ watchCursor: "c" });
    const store = openWatchStore(path);
    const applied = store.apply(change({ resources: [state(group("g1", "Renamed"), [membership(group("g1"), user("u3"))])] }), "c2");
    store.close();
    expect(grantIds()).toEqual(["group:g1:member:user:u3", "group:g2:member:user:u3"]);
    expect(rows("SELECT display_name FROM resources WHERE resource_id = 'g1'")).toEqual(["Renamed"]);
    expect(applied).toEqual({ upserted: { resources: 1, entitlements: 1, grants: 1 }, removed: { resources: 0, entitlements: 0, grants: 2 } });
  });

  it("removes a gone resource with its entitlements, the grants on it and the grants it held", () => {
    syncedSnapshot({ watchCursor: "c" });
    const store = openWatchStore(path);
    store.apply(change({ resources: [gone("user", "u1"), gone("group", "g2")] }), "c2");
    store.close();
    expect(resourceIds()).toEqual(["group:g1", "user:u2", "user:u3"]);
    expect(grantIds()).toEqual(["group:g1:member:user:u2"]);
    expect(rows("SELECT id FROM entitlements")).toEqual(["group:g1:member"]);
  });

  it("removes stale grants of a resource sent in parts only after its last part", () => {
    syncedSnapshot({ watchCursor: "c" });
    const store = openWatchStore(path);
    const g1 = group("g1");
    store.apply(change({ resources: [state(g1, [membership(g1, user("u3"))], { moreGrants: true })] }), "part-1");
    // Between the parts the old grants are still there: nothing is lost if the stream breaks here.
    expect(grantIds()).toEqual(["group:g1:member:user:u1", "group:g1:member:user:u2", "group:g1:member:user:u3", "group:g2:member:user:u3"]);
    store.apply(change({ resources: [state(g1, [membership(g1, user("u2"))], { entitlements: false })] }), "part-2");
    store.close();
    expect(grantIds()).toEqual(["group:g1:member:user:u2", "group:g1:member:user:u3", "group:g2:member:user:u3"]);
    // The later part carries no entitlements; the first part's stay.
    expect(rows("SELECT id FROM entitlements")).toEqual(["group:g1:member", "group:g2:member"]);
  });

  it("reads a whole type: missing resources are removed after the last part; resources_only keeps their grants", () => {
    syncedSnapshot({ watchCursor: "c" });
    const store = openWatchStore(path);
    store.apply(change({ types: [create(TypeStateSchema, { resourceTypeId: "group", resources: [create(ResourceStateSchema, { resourceId: resourceId("group", "g1"), resource: group("g1", "Counted") })], resourcesOnly: true, more: true })] }), "t1");
    expect(resourceIds()).toContain("group:g2");
    store.apply(change({ types: [create(TypeStateSchema, { resourceTypeId: "group", resources: [], resourcesOnly: true })] }), "t2");
    store.close();
    expect(resourceIds()).toEqual(["group:g1", "user:u1", "user:u2", "user:u3"]);
    expect(grantIds()).toEqual(["group:g1:member:user:u1", "group:g1:member:user:u2"]);
    expect(rows("SELECT display_name FROM resources WHERE resource_id = 'g1'")).toEqual(["Counted"]);
  });

  it("replaces what a principal holds on one type with the grants read from its side", () => {
    syncedSnapshot({ watchCursor: "c" });
    const store = openWatchStore(path);
    const held = { principal: resourceId("user", "u1"), resourceTypeId: "group", grants: [membership(group("g2"), user("u1"))] };
    store.apply(change({ principalGrants: [held as never] }), "p1");
    store.close();
    expect(grantIds()).toEqual(["group:g1:member:user:u2", "group:g2:member:user:u1", "group:g2:member:user:u3"]);
  });

  it("refuses a snapshot it cannot continue, saying what to do", () => {
    syncedSnapshot({ mode: "paged" });
    expect(() => openWatchStore(path)).toThrow(WatchStartError);
    expect(() => openWatchStore(path)).toThrow(/--paged sync, which gets no watch cursor: sync it again without --paged/);
    rmSync(path);
    const store = openSnapshotStore(path);
    store.startRun({ mode: "stream", connector: "test" });
    store.close();
    expect(() => openWatchStore(path)).toThrow(/holds no complete sync/);
  });
});
