import { create, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { type Resource, ResourceSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import { skipEntitlementsAndGrants, skipGrants } from "./annotations.js";
import { createResourceWalk, skippedListings } from "./resource-walk.js";

const group = (id: string, annotations = [] as Resource["annotations"]) =>
  create(ResourceSchema, { id: { resourceType: "group", resource: id }, displayName: `Group ${id}`, annotations });
const listedAs = (resources: Resource[]) => resources.map((resource) => ({ resource, skips: skippedListings(resource.annotations, []) }));
const ids = (ahead: { key: string; resource(): Resource }[]) => ahead.map((a) => a.resource().id!.resource);
const groups = (n: number) => Array.from({ length: n }, (_, i) => group(`g${i}`));

describe("createResourceWalk", () => {
  it("names nothing on the first ask, then the next resources in the direction of the walk (forward, as our engine walks)", () => {
    const walk = createResourceWalk();
    walk.listed("s", "resources:group:", true, listedAs(groups(10)));
    walk.asked("s", "grants", "group/g0");
    expect(walk.ahead("s", "grants", 3)).toEqual([]);
    walk.asked("s", "grants", "group/g1");
    expect(ids(walk.ahead("s", "grants", 3))).toEqual(["g2", "g3", "g4"]);
  });

  it("follows a backward walk (baton-sdk works each batch of its store from the last row back), stopping at the first resource", () => {
    const walk = createResourceWalk();
    walk.listed("s", "resources:group:", true, listedAs(groups(6)));
    walk.asked("s", "entitlements", "group/g5");
    walk.asked("s", "entitlements", "group/g4");
    expect(ids(walk.ahead("s", "entitlements", 10))).toEqual(["g3", "g2", "g1", "g0"]);
    // Each listing has its own walk: grants have not been asked for yet.
    expect(walk.ahead("s", "grants", 10)).toEqual([]);
  });

  it("forgets the direction after a jump (a new batch), and never names a resource already asked about", () => {
    const walk = createResourceWalk();
    walk.listed("s", "resources:group:", true, listedAs(groups(20)));
    walk.asked("s", "grants", "group/g10");
    walk.asked("s", "grants", "group/g9");
    walk.asked("s", "grants", "group/g19");
    expect(walk.ahead("s", "grants", 3)).toEqual([]);
    walk.asked("s", "grants", "group/g8");
    walk.asked("s", "grants", "group/g7");
    expect(ids(walk.ahead("s", "grants", 3))).toEqual(["g6", "g5", "g4"]);
    walk.asked("s", "grants", "group/g11");
    walk.asked("s", "grants", "group/g12");
    expect(ids(walk.ahead("s", "grants", 2))).toEqual(["g13", "g14"]);
    walk.asked("s", "grants", "group/g18");
    walk.asked("s", "grants", "group/g17");
    // g11 and g12 were asked about already, so are g10 and g9.
    expect(ids(walk.ahead("s", "grants", 8))).toEqual(["g16", "g15", "g14", "g13", "g6", "g5", "g4", "g3"]);
  });

  it("leaves out the listings a resource's Skip* annotations skip, and keeps no resource whose every listing is skipped", () => {
    const walk = createResourceWalk();
    walk.listed("s", "resources:group:", true, listedAs([group("a"), group("b", [skipGrants()]), group("c", [skipEntitlementsAndGrants()]), group("d")]));
    walk.asked("s", "grants", "group/a");
    walk.asked("s", "entitlements", "group/a");
    // c is not kept at all, so a and d are neighbours; b is kept for its entitlements only.
    walk.asked("s", "grants", "group/d");
    expect(walk.ahead("s", "grants", 5)).toEqual([]);
    walk.asked("s", "entitlements", "group/b");
    expect(ids(walk.ahead("s", "entitlements", 5))).toEqual(["d"]);
  });

  it("reads SkipEntitlementsAndGrants and SkipEntitlements on the type, SkipGrants on the resource only", () => {
    expect([...skippedListings([], [skipEntitlementsAndGrants()])].sort()).toEqual(["entitlements", "grants"]);
    expect([...skippedListings([skipGrants()], [])]).toEqual(["grants"]);
    expect([...skippedListings([], [skipGrants()])]).toEqual([]);
  });

  it("starts a new order when a listing's first page is answered again under the same key (a new sync)", () => {
    const walk = createResourceWalk();
    walk.listed("s", "resources:group:", true, listedAs(groups(5)));
    walk.listed("s", "resources:group:", true, listedAs([group("g4"), group("g3"), group("g2")]));
    walk.asked("s", "grants", "group/g4");
    walk.asked("s", "grants", "group/g3");
    expect(ids(walk.ahead("s", "grants", 5))).toEqual(["g2"]);
  });

  it("keeps each sync's order apart, at most maxSyncs of them, and at most maxBytes of resources per sync", () => {
    const size = toBinary(ResourceSchema, group("g0")).byteLength;
    const walk = createResourceWalk({ maxSyncs: 2, maxBytes: 3 * size });
    for (const sync of ["a", "b", "c"]) walk.listed(sync, "resources:group:", true, listedAs(groups(10)));
    // "a" is the least recently used of three: dropped.
    walk.asked("a", "grants", "group/g0");
    walk.asked("a", "grants", "group/g1");
    expect(walk.ahead("a", "grants", 5)).toEqual([]);
    walk.asked("b", "grants", "group/g0");
    walk.asked("b", "grants", "group/g1");
    // Three groups fit in maxBytes: g0 to g2 are kept, the rest are not predicted.
    expect(ids(walk.ahead("b", "grants", 10))).toEqual(["g2"]);
    walk.asked("c", "grants", "group/g2");
    walk.asked("c", "grants", "group/g1");
    expect(ids(walk.ahead("c", "grants", 10))).toEqual(["g0"]);
  });

  it("ignores resources it never listed", () => {
    const walk = createResourceWalk();
    walk.asked("s", "grants", "group/x");
    expect(walk.ahead("s", "grants", 5)).toEqual([]);
    walk.listed("s", "resources:group:", true, listedAs(groups(3)));
    walk.asked("s", "grants", "group/x");
    expect(walk.ahead("s", "grants", 5)).toEqual([]);
  });
});
