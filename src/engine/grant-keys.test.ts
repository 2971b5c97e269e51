import { create, toBinary } from "@bufbuild/protobuf";
import { anyPack } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { UserTraitSchema } from "../../gen/c1/connector/v2/annotation_trait_pb.js";
import { EntitlementSchema } from "../../gen/c1/connector/v2/entitlement_pb.js";
import { GrantSchema } from "../../gen/c1/connector/v2/grant_pb.js";
import { ResourceSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import { readGrantKeys } from "./grant-keys.js";

const group = create(ResourceSchema, { id: { resourceType: "group", resource: "00g1abcdEFGH2345" }, displayName: "Engineering", description: "Ünïcødé 部署" });
const member = create(EntitlementSchema, { id: "group:00g1abcdEFGH2345:member", resource: group, slug: "member", displayName: "Engineering member" });
const ada = create(ResourceSchema, {
  id: { resourceType: "user", resource: "00u1aaaaBBBB1111" },
  parentResourceId: { resourceType: "org", resource: "ignored" },
  displayName: "Ada",
  annotations: [anyPack(UserTraitSchema, create(UserTraitSchema, { login: "ada@example.com" }))],
});
const grant = create(GrantSchema, { id: "group:00g1abcdEFGH2345:member:user:00u1aaaaBBBB1111", entitlement: member, principal: ada });
const expected = {
  own: new Uint8Array(0),
  id: grant.id,
  entitlementId: member.id,
  resourceType: "group",
  resourceId: "00g1abcdEFGH2345",
  principalType: "user",
  principalId: "00u1aaaaBBBB1111",
};

/** Field `no` as a length-delimited field holding `body`. */
const field = (no: number, body: Uint8Array) => new Uint8Array([(no << 3) | 2, body.length, ...body]);

describe("readGrantKeys", () => {
  it("reads a grant's ids off its encoding, past the resources and annotations it embeds", () => {
    expect(readGrantKeys(toBinary(GrantSchema, grant))).toEqual(expected);
  });

  it("reads fields in any order and skips ones it does not know", () => {
    const small = create(GrantSchema, { id: grant.id, entitlement: { id: member.id, resource: { id: group.id } }, principal: { id: ada.id } });
    const principal = toBinary(ResourceSchema, small.principal!);
    const entitlement = toBinary(EntitlementSchema, small.entitlement!);
    const id = new TextEncoder().encode(grant.id);
    const unknown = new Uint8Array([0xba, 0x3e, 0x01, 0x78]);
    const shuffled = new Uint8Array([...unknown, ...field(3, id), ...field(2, principal), ...field(1, entitlement)]);
    expect(readGrantKeys(shuffled)).toEqual(expected);
  });

  it("gives a grant's annotations as the encoding of a grant holding only them, as the message path stores them", () => {
    const annotations = [anyPack(UserTraitSchema, create(UserTraitSchema, { login: "x" })), anyPack(ResourceSchema, group)];
    for (const some of [annotations.slice(0, 1), annotations]) {
      const annotated = create(GrantSchema, { id: grant.id, entitlement: member, principal: ada, annotations: some });
      expect(readGrantKeys(toBinary(GrantSchema, annotated))).toEqual({ ...expected, own: toBinary(GrantSchema, create(GrantSchema, { annotations: some })) });
    }
  });

  it("leaves grants with sources, and encodings that repeat a field, to the full decoder", () => {
    const expanded = create(GrantSchema, { id: grant.id, entitlement: member, principal: ada, sources: { sources: { [member.id]: { isDirect: false } } } });
    expect(readGrantKeys(toBinary(GrantSchema, expanded))).toBeUndefined();
    // A repeated singular message field is merged by a decoder: not something to read by hand.
    const twice = new Uint8Array([...toBinary(GrantSchema, grant), ...field(2, toBinary(ResourceSchema, create(ResourceSchema, { displayName: "x" })))]);
    expect(readGrantKeys(twice)).toBeUndefined();
  });

  it.each([
    ["an id", create(GrantSchema, { entitlement: member, principal: ada })],
    ["a principal", create(GrantSchema, { id: grant.id, entitlement: member })],
    ["a principal with an id", create(GrantSchema, { id: grant.id, entitlement: member, principal: { displayName: "nobody" } })],
    ["an entitlement", create(GrantSchema, { id: grant.id, principal: ada })],
    ["an entitlement's resource", create(GrantSchema, { id: grant.id, entitlement: { id: member.id }, principal: ada })],
  ])("refuses a grant without %s", (_what, broken) => {
    expect(() => readGrantKeys(toBinary(GrantSchema, broken))).toThrow(/without an id, an entitlement or a principal/);
  });
});
