import { create, fromBinary, type Message, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { anyPack } from "@bufbuild/protobuf/wkt";
import { GroupTraitSchema } from "../../gen/c1/connector/v2/annotation_trait_pb.js";
import { EntitlementSchema } from "../../gen/c1/connector/v2/entitlement_pb.js";
import { GrantSchema } from "../../gen/c1/connector/v2/grant_pb.js";
import { ResourceSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import { StreamGrantsResponseSchema, SyncBatchSchema, SyncPhase, SyncResponseSchema } from "../../gen/oktaconnector/v1/stream_pb.js";
import { attachEncoded, carriesEncoded, encodeItems, varintLength } from "./encoded-items.js";
import { MAX_BATCH_BYTES, splitBatches } from "./services/stream-service.js";

const user = (n: number, name = `User ${n}`) => create(ResourceSchema, { id: { resourceType: "user", resource: `00u${n}` }, displayName: name });
const grant = (n: number, name?: string) =>
  create(GrantSchema, {
    id: `group:00g1:member:user:00u${n}`,
    entitlement: { id: "group:00g1:member", resource: { id: { resourceType: "group", resource: "00g1" } }, slug: "member" },
    principal: user(n, name),
  });

describe("encoded items", () => {
  it("a batch carrying pre-encoded grants decodes to the batch with the grants in their field, and each costs wireBytes", () => {
    const grants = [grant(1), grant(2, "Ünïcødé ".repeat(40)), grant(3)];
    const grantsField = SyncBatchSchema.field.grants.number;
    const encoded = encodeItems(SyncBatchSchema.field.grants, grants);
    const batch = attachEncoded(create(SyncBatchSchema, { phase: SyncPhase.GRANTS, resumeCursor: "c" }), grantsField, encoded);
    // Through the response the transport serializes, as the Sync handler yields it.
    const response = create(SyncResponseSchema, { event: { case: "batch", value: batch } });
    const wire = toBinary(SyncResponseSchema, response);
    const back = fromBinary(SyncResponseSchema, wire, { readUnknownFields: false });
    expect(back.event.case).toBe("batch");
    expect(back.event.value).toEqual(create(SyncBatchSchema, { phase: SyncPhase.GRANTS, resumeCursor: "c", grants }));
    const without = toBinary(SyncBatchSchema, create(SyncBatchSchema, { phase: SyncPhase.GRANTS, resumeCursor: "c" })).length;
    expect(toBinary(SyncBatchSchema, batch).length - without).toBe(encoded.reduce((sum, e) => sum + e.wireBytes, 0));
  });

  it("splitBatches encodes each item once, keeps every batch under the byte limit, and the batch sends those bytes", () => {
    const big = Array.from({ length: 2_000 }, (_, n) => grant(n, "x".repeat(1000 + (n % 37))));
    const field = StreamGrantsResponseSchema.field.grants.number;
    const batches = [...splitBatches(StreamGrantsResponseSchema.field.grants, big, 10_000)];
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.flat().map((e) => e.item)).toEqual(big);
    for (const batch of batches) {
      const response = attachEncoded(create(StreamGrantsResponseSchema, { cursor: "c".repeat(500) }), field, batch);
      const wire = toBinary(StreamGrantsResponseSchema, response);
      expect(wire.length).toBeLessThanOrEqual(MAX_BATCH_BYTES);
      expect(fromBinary(StreamGrantsResponseSchema, wire).grants).toEqual(batch.map((e) => e.item));
    }
  });

  it("encodes grants that share their entitlement's resource to exactly toBinary's bytes", () => {
    const group = create(ResourceSchema, {
      id: { resourceType: "group", resource: "00g1" },
      displayName: "Ünïcødé 部署",
      description: "d".repeat(300),
      annotations: [anyPack(GroupTraitSchema, create(GroupTraitSchema, { profile: { name: "Engineering", size: 3 } }))],
    });
    const member = create(EntitlementSchema, { id: "group:00g1:member", resource: group, slug: "member", displayName: "Engineering member" });
    const grants = [
      create(GrantSchema, { id: "group:00g1:member:user:00u1", entitlement: { id: member.id, resource: group }, principal: { id: { resourceType: "user", resource: "00u1" } } }),
      create(GrantSchema, { id: "group:00g1:member:user:00u2", entitlement: member, principal: user(2), annotations: [anyPack(ResourceSchema, user(9))] }),
      create(GrantSchema, { id: "group:00g1:member:user:00u3", entitlement: { id: member.id, resource: group }, principal: user(3) }),
      create(GrantSchema, { id: "no-resource", entitlement: { id: member.id }, principal: user(4) }),
      create(GrantSchema, { id: "no-entitlement", principal: user(5) }),
      create(GrantSchema, { id: "small", entitlement: { id: "e", resource: { id: { resourceType: "group", resource: "00g2" } } }, principal: user(6) }),
    ];
    // Twice over: the second time the entitlements' resources are already encoded.
    const all = [...grants, ...grants];
    const encoded = encodeItems(SyncBatchSchema.field.grants, all);
    // One encoding for the page: every item's bytes are a view of the same buffer.
    expect(new Set(encoded.map((e) => e.data.buffer)).size).toBe(1);
    all.forEach((g, i) => {
      const expected = toBinary(GrantSchema, g);
      expect(encoded[i]!.item).toBe(g);
      expect(encoded[i]!.data.subarray(varintLength(expected.length))).toEqual(expected);
      expect(encoded[i]!.wireBytes).toBe(1 + varintLength(expected.length) + expected.length);
    });
  });

  it("encodes a page of resources or entitlements to exactly each item's toBinary bytes", () => {
    const resources = [
      create(ResourceSchema, { id: { resourceType: "user", resource: "00u1" }, displayName: "Ünïcødé 部署", profile: { login: "a@example.com", n: 3, nested: { list: [1, "x", null] } } }),
      create(ResourceSchema, { id: { resourceType: "user", resource: "00u2" }, description: "d".repeat(20_000) }),
      create(ResourceSchema),
    ];
    const entitlements = [create(EntitlementSchema, { id: "group:00g1:member", resource: resources[0], slug: "member" }), create(EntitlementSchema)];
    for (const [field, items] of [[SyncBatchSchema.field.resources, resources], [SyncBatchSchema.field.entitlements, entitlements]] as const) {
      const encoded = encodeItems<Message>(field, items);
      expect(encoded.map((e) => e.item)).toEqual(items);
      items.forEach((item, i) => {
        const expected = toBinary(field.message!, item);
        expect(encoded[i]!.data).toEqual(new Uint8Array([...lengthPrefix(expected.length), ...expected]));
        expect(encoded[i]!.wireBytes).toBe(1 + encoded[i]!.data.length);
      });
    }
  });

  it("keeps a grant's entitlement resource's own unknown fields in their place", () => {
    const group = create(ResourceSchema, { id: { resourceType: "group", resource: "00g1" }, displayName: "Engineering" });
    group.$unknown = [{ no: 900, wireType: 2, data: new Uint8Array([3, 1, 2, 3]) }];
    const g = create(GrantSchema, { id: "group:00g1:member:user:00u1", entitlement: { id: "group:00g1:member", resource: group }, principal: user(1) });
    const [encoded] = encodeItems(SyncBatchSchema.field.grants, [g]);
    const expected = toBinary(GrantSchema, g);
    const bytes = encoded!.data.subarray(varintLength(expected.length));
    expect(bytes).toEqual(expected);
    expect(fromBinary(GrantSchema, bytes).entitlement?.resource?.$unknown).toEqual(group.$unknown);
  });

  it("refuses a field that is not a repeated message field", () => {
    expect(() => encodeItems(SyncBatchSchema.field.resumeCursor, [])).toThrow(/resume_cursor is not a repeated message field/);
  });

  it("splitBatches cuts at the item count as well", () => {
    const batches = [...splitBatches(StreamGrantsResponseSchema.field.grants, [grant(1), grant(2), grant(3)], 2)];
    expect(batches.map((b) => b.length)).toEqual([2, 1]);
  });

  it.each([
    ["application/grpc", true],
    ["application/grpc+proto", true],
    ["application/connect+proto", true],
    ["application/grpc-web+proto", true],
    ["application/connect+json", false],
    ["application/grpc+json; charset=utf-8", false],
    [null, false],
  ])("a response in %s carries pre-encoded items: %s", (contentType, expected) => {
    expect(carriesEncoded(contentType)).toBe(expected);
  });

  it.each([
    [0, 1],
    [127, 1],
    [128, 2],
    [16_383, 2],
    [16_384, 3],
    [2_097_152, 4],
  ])("a varint of %d takes %d bytes", (value, length) => {
    expect(varintLength(value)).toBe(length);
  });
});

function lengthPrefix(length: number): number[] {
  const bytes: number[] = [];
  for (; length >= 0x80; length = Math.floor(length / 128)) bytes.push((length & 0x7f) | 0x80);
  return [...bytes, length];
}
