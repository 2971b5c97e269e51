import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ResourceTypeSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import type { ResourceSyncer } from "./resource-syncer.js";
import type { ResourceTypeDescriptor } from "./type-descriptor.js";
import { createTypeRegistry } from "./type-registry.js";

type Options = { readonly extras: boolean };
type Descriptor = ResourceTypeDescriptor<{ readonly built: string[] }, Options>;

const empty = async () => ({ items: [] });
function descriptor(id: string, rest: Partial<Descriptor> = {}, syncer: Partial<ResourceSyncer> = {}): Descriptor {
  const resourceType = create(ResourceTypeSchema, { id, displayName: id });
  return {
    resourceType,
    needs: { read: "read" },
    dependsOn: [],
    createSyncer: (context) => {
      context.built.push(id);
      return { resourceType, list: empty, entitlements: empty, grants: empty, ...syncer };
    },
    ...rest,
  };
}
const build = (descriptors: Descriptor[], options: Options = { extras: true }) =>
  createTypeRegistry({ descriptors, options, context: { built: [] }, knownNeeds: ["read", "write"] });

describe("createTypeRegistry", () => {
  it("builds the enabled types' syncers in dependency order, and gaps of every type in that order", () => {
    const registry = build(
      [
        descriptor("b", { dependsOn: ["a"], configurationGaps: () => [{ scope: "resources", reason: "filtered", detail: "b filtered" }] }),
        descriptor("extra", { dependsOn: ["a"], isEnabled: (o) => o.extras, configurationGaps: (o) => (o.extras ? [] : [{ scope: "resources", reason: "disabled-by-flag", detail: "off" }]) }),
        descriptor("a", { needs: { read: "read", write: "write" } }, { grant: async () => ({ grants: [], alreadyExists: false }) }),
      ],
      { extras: false },
    );
    expect(registry.syncers.syncers.map((s) => s.resourceType.id)).toEqual(["a", "b"]);
    expect(registry.configurationGaps.map((g) => `${g.resourceTypeId}: ${g.gap.detail}`)).toEqual(["b: b filtered", "extra: off"]);
    expect(registry.writeNeedOf("a")).toBe("write");
    expect(registry.writeNeedOf("b")).toBeUndefined();
  });

  it("refuses a type that declares no read need, or an unknown need", () => {
    expect(() => build([descriptor("a", { needs: undefined as never })])).toThrow(/"a" declares no read need/);
    expect(() => build([descriptor("a", { needs: { read: "" } })])).toThrow(/"a" declares no read need/);
    expect(() => build([descriptor("a", { needs: { read: "read", write: "wrte" } })])).toThrow(/"a" needs "wrte", which is not a known capability/);
  });

  it("refuses a type that provisions without a write need", () => {
    expect(() => build([descriptor("a", {}, { revoke: async () => ({ alreadyRevoked: false }) })])).toThrow(/"a" provisions but declares no write need/);
  });

  it("refuses duplicate ids, unknown dependencies, cycles and a syncer of another type", () => {
    expect(() => build([descriptor("a"), descriptor("a")])).toThrow(/two descriptors declare resource type "a"/);
    expect(() => build([descriptor("a", { dependsOn: ["nope"] })])).toThrow(/depends on "nope"/);
    expect(() => build([descriptor("a", { dependsOn: ["b"] }), descriptor("b", { dependsOn: ["a"] })])).toThrow(/cycle/);
    const other = descriptor("a", { createSyncer: () => ({ resourceType: create(ResourceTypeSchema, { id: "b" }), list: empty, entitlements: empty, grants: empty }) });
    expect(() => build([other])).toThrow(/syncer of resource type "a" answers for "b"/);
  });

  it("checks dependencies of types the flags leave out too, so a flag cannot hide a broken list", () => {
    expect(() => build([descriptor("a"), descriptor("extra", { dependsOn: ["gone"], isEnabled: () => false })])).toThrow(/depends on "gone"/);
  });
});
