import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { anyPack } from "@bufbuild/protobuf/wkt";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GrantExpandableSchema } from "../../gen/c1/connector/v2/annotation_grant_pb.js";
import { type Entitlement, EntitlementSchema } from "../../gen/c1/connector/v2/entitlement_pb.js";
import { type Grant, GrantSchema } from "../../gen/c1/connector/v2/grant_pb.js";
import { type Resource, ResourceSchema, ResourceTypeSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import { diffSnapshots } from "./diff.js";
import { type SnapshotBatch, openSnapshotStore } from "./snapshot-store.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "diff-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const user = (id: string): Resource => create(ResourceSchema, { id: { resourceType: "user", resource: id }, displayName: id });
const group = (members: number): Resource =>
  create(ResourceSchema, { id: { resourceType: "group", resource: "00g1abcdEFGH2345" }, displayName: "Engineering", description: `${members} members` });
const memberOf = (g: Resource): Entitlement => create(EntitlementSchema, { id: "group:00g1abcdEFGH2345:member", resource: g, slug: "member", displayName: "member" });
const grant = (g: Resource, userId: string, expandable = false): Grant =>
  create(GrantSchema, {
    id: `group:00g1abcdEFGH2345:member:user:${userId}`,
    entitlement: memberOf(g),
    principal: user(userId),
    annotations: expandable ? [anyPack(GrantExpandableSchema, create(GrantExpandableSchema, { entitlementIds: ["group:00g2:member"] }))] : [],
  });

function snapshot(name: string, batch: SnapshotBatch): string {
  const path = join(dir, name);
  const store = openSnapshotStore(path);
  const run = store.startRun({ mode: "stream", connector: "x:1" });
  store.writeBatch(run.id, { resourceTypes: [create(ResourceTypeSchema, { id: "user" }), create(ResourceTypeSchema, { id: "group" })], ...batch });
  store.completeRun(run.id, {});
  store.close();
  return path;
}

describe("diffSnapshots", () => {
  it("reports a new member once, as an added grant and a changed group, not as a change to every grant embedding the group", () => {
    const before = group(2);
    const after = group(3);
    const a = snapshot("a.db", { resources: [user("00u1"), user("00u2"), user("00u3"), before], entitlements: [memberOf(before)], grants: [grant(before, "00u1"), grant(before, "00u2")] });
    const b = snapshot("b.db", { resources: [user("00u1"), user("00u2"), user("00u3"), after], entitlements: [memberOf(after)], grants: [grant(after, "00u1"), grant(after, "00u2"), grant(after, "00u3")] });
    const diff = diffSnapshots(a, b);
    expect(diff.types).toEqual([
      { resourceTypeId: "group", resources: { added: 0, removed: 0, changed: 1 }, entitlements: { added: 0, removed: 0, changed: 0 }, grants: { added: 1, removed: 0, changed: 0 } },
    ]);
    expect(diff.ids.grants).toEqual({ added: ["group:00g1abcdEFGH2345:member:user:00u3"], removed: [], changed: [] });
    expect(diff.ids.resources.changed).toEqual(["group:00g1abcdEFGH2345"]);
    expect(diff.a.status).toBe("complete");
  });

  it("counts a grant whose own annotations changed, and removed users and their grants", () => {
    const g = group(2);
    const a = snapshot("a.db", { resources: [user("00u1"), user("00u2"), g], grants: [grant(g, "00u1"), grant(g, "00u2")] });
    const b = snapshot("b.db", { resources: [user("00u1"), g], grants: [grant(g, "00u1", true)] });
    const diff = diffSnapshots(a, b);
    expect(diff.totals).toEqual({
      resources: { added: 0, removed: 1, changed: 0 },
      entitlements: { added: 0, removed: 0, changed: 0 },
      grants: { added: 0, removed: 1, changed: 1 },
    });
    expect(diff.ids.resources.removed).toEqual(["user:00u2"]);
    expect(diff.ids.grants).toEqual({ added: [], removed: ["group:00g1abcdEFGH2345:member:user:00u2"], changed: ["group:00g1abcdEFGH2345:member:user:00u1"] });
  });

  it("lists at most `limit` ids while counting all of them, and is empty against itself", () => {
    const users = Array.from({ length: 30 }, (_v, i) => user(`00u${String(i).padStart(3, "0")}`));
    const a = snapshot("a.db", {});
    const b = snapshot("b.db", { resources: users });
    const diff = diffSnapshots(a, b, { limit: 5 });
    expect(diff.totals.resources.added).toBe(30);
    expect(diff.ids.resources.added).toEqual(["user:00u000", "user:00u001", "user:00u002", "user:00u003", "user:00u004"]);
    const same = diffSnapshots(b, b);
    expect(same.identical).toBe(true);
    expect(same.types).toEqual([]);
  });
});
