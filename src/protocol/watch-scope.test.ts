import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { type Event, EventSchema } from "../../gen/c1/connector/v2/event_feed_pb.js";
import { newAssignmentEntitlement, newResource, resourceId } from "./builders.js";
import type { LogEntry } from "./event-feed.js";
import { scopeOfEntries } from "./watch-scope.js";

const TYPES = ["user", "group", "role", "app"];
const type = (id: string) => ({ id, displayName: id, traits: [], annotations: [], description: "", sourcedExternally: false }) as never;
const entitlementOf = (resourceType: string, id: string) => newAssignmentEntitlement(newResource({ type: type(resourceType), id, displayName: id }), { slug: "member", displayName: "m", description: "", grantableTo: [] });
const change = (resourceType: string, id: string): Event => create(EventSchema, { id: "e", event: { case: "resourceChangeEvent", value: { resourceId: resourceId(resourceType, id) } } });
const granted = (resourceType: string, id: string, userId: string): Event =>
  create(EventSchema, { id: "e", event: { case: "createGrantEvent", value: { entitlement: entitlementOf(resourceType, id), principal: newResource({ type: type("user"), id: userId, displayName: userId }) } } });
const revoked = (resourceType: string, id: string, userId: string): Event =>
  create(EventSchema, { id: "e", event: { case: "createRevokeEvent", value: { entitlement: entitlementOf(resourceType, id), principal: newResource({ type: type("user"), id: userId, displayName: userId }) } } });
const entry = (events: Event[], extra: Partial<LogEntry> = {}): LogEntry => ({ uuid: "u", eventType: "t", published: 0, events, wholeTypes: [], principalReads: [], unscoped: false, ...extra });
const ids = (scope: ReturnType<typeof scopeOfEntries>) => scope.resources.map((r) => `${r.resourceType}:${r.resource}`);

describe("scopeOfEntries", () => {
  it("re-reads the resource of a grant's entitlement, not the principal, once per resource", () => {
    const scope = scopeOfEntries([entry([granted("group", "g1", "u1")]), entry([revoked("group", "g1", "u2")]), entry([granted("app", "a1", "u1")])], TYPES);
    expect(ids(scope)).toEqual(["group:g1", "app:a1"]);
    expect(scope.types).toEqual([]);
  });

  it("orders resources by the type order (dependency order), then by first mention", () => {
    const scope = scopeOfEntries([entry([granted("app", "a1", "u9")]), entry([change("group", "g2")]), entry([change("user", "u3")]), entry([change("group", "g1")])], TYPES);
    expect(ids(scope)).toEqual(["user:u3", "group:g2", "group:g1", "app:a1"]);
  });

  it("reads a whole type when an entry names it, and drops that type's single resources", () => {
    const scope = scopeOfEntries([entry([granted("role", "SUPER_ADMIN", "u1")], { wholeTypes: ["role"] }), entry([change("user", "u1")])], TYPES);
    expect(scope.types).toEqual(["role"]);
    expect(ids(scope)).toEqual(["user:u1"]);
  });

  it("re-reads a grant event's principal from its side; where the entry asks for that, not the entitlement's resource", () => {
    const membership = scopeOfEntries([entry([granted("group", "g1", "u1")])], TYPES);
    expect(ids(membership)).toEqual(["group:g1"]);
    expect(membership.principals.map((p) => `${p.resourceTypeId}<-${p.principal.resourceType}:${p.principal.resource}`)).toEqual(["group<-user:u1"]);
    const role = scopeOfEntries([entry([granted("role", "SUPER_ADMIN", "u1")], { principalReads: [{ principal: { resourceType: "user", resource: "u1" }, resourceTypeId: "role" }] })], TYPES);
    expect(ids(role)).toEqual([]);
    expect(role.principals.map((p) => `${p.resourceTypeId}<-${p.principal.resourceType}:${p.principal.resource}`)).toEqual(["role<-user:u1"]);
  });

  it("keeps only the types a sync holds", () => {
    const scope = scopeOfEntries([entry([change("device", "d1")], { wholeTypes: ["custom-role"] }), entry([change("user", "u1")])], TYPES);
    expect(ids(scope)).toEqual(["user:u1"]);
    expect(scope.types).toEqual([]);
  });

  it("reports entries that changed something it cannot place, and ignores usage", () => {
    const usage = create(EventSchema, { id: "e", event: { case: "usageEvent", value: {} } });
    const lost = entry([], { unscoped: true, eventType: "iam.resourceset.bindings.add" });
    const scope = scopeOfEntries([entry([usage]), lost], TYPES);
    expect(scope.resources).toEqual([]);
    expect(scope.unscoped).toEqual([lost]);
  });
});
