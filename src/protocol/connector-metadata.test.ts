import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { BatonActionSchemaSchema } from "../../gen/c1/connector/v2/action_pb.js";
import { Capability, ConnectorAccountCreationSchemaSchema, CredentialDetailsSchema } from "../../gen/c1/connector/v2/connector_pb.js";
import { ResourceTypeSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import { connectorMetadataOf, type MetadataSource } from "./connector-metadata.js";
import type { ResourceSyncer } from "./resource-syncer.js";
import { createSyncerRegistry } from "./syncer-registry.js";

const ctx = { signal: new AbortController().signal };
const empty = async () => ({ items: [] });
const syncer = (id: string, extra: Partial<ResourceSyncer> = {}): ResourceSyncer => ({
  resourceType: create(ResourceTypeSchema, { id, displayName: id }),
  list: empty,
  entitlements: empty,
  grants: empty,
  ...extra,
});
const granting = { grant: async () => ({ grants: [], alreadyExists: false }), revoke: async () => ({ alreadyRevoked: false }) };
const accounts = {
  createAccount: async () => {
    throw new Error("not called");
  },
  delete: async () => ({ alreadyGone: false }),
  accountForm: () => ({ schema: create(ConnectorAccountCreationSchemaSchema, { fieldMap: {} }), credentialDetails: create(CredentialDetailsSchema, {}) }),
  actions: [{ schema: create(BatonActionSchemaSchema, { name: "enable_user" }), invoke: async () => ({ response: {}, outcome: "" }) }],
};

function source(withheld: readonly string[], provisioning = true): MetadataSource {
  return {
    registry: createSyncerRegistry([
      syncer("user", { ...accounts, get: async () => undefined }),
      syncer("group", granting),
      syncer("set"),
      syncer("role", { ...granting, coverageGaps: async () => [{ scope: "resources", reason: "missing-permission", detail: "no roles" }] }),
    ]),
    displayName: "Test",
    description: "d",
    externalUrl: "http://127.0.0.1:1",
    provisioning,
    isWriteWithheld: async (id) => {
      if (id === "set") throw new Error("a type that offers nothing is never asked");
      return withheld.includes(id);
    },
  };
}
const capsOf = async (s: MetadataSource) => {
  const m = await connectorMetadataOf(s, ctx);
  return { types: Object.fromEntries(m.capabilities!.resourceTypeCapabilities.map((c) => [c.resourceType!.id, c.capabilities])), m };
};

describe("connectorMetadataOf", () => {
  it("advertises per type what it reads and provisions, and the union for the connector", async () => {
    const { types, m } = await capsOf(source([]));
    expect(types).toEqual({
      group: [Capability.SYNC, Capability.PROVISION],
      role: [],
      set: [Capability.SYNC],
      user: [Capability.SYNC, Capability.TARGETED_SYNC, Capability.ACCOUNT_PROVISIONING, Capability.RESOURCE_DELETE],
    });
    const provisioning = [Capability.PROVISION, Capability.ACCOUNT_PROVISIONING, Capability.RESOURCE_DELETE, Capability.ACTIONS].sort((a, b) => a - b);
    expect(m.capabilities!.connectorCapabilities).toEqual([Capability.SYNC, Capability.TARGETED_SYNC, ...provisioning]);
    expect(m.accountCreationSchema).toBeDefined();
    expect(m.capabilities!.credentialDetails).toBeDefined();
    expect(m.annotations).toEqual([]);
    expect(m.profile).toEqual({ coverage: [{ resource_type: "role", scope: "resources", reason: "missing-permission", detail: "no roles" }] });
  });

  it("withholds a type's provisioning, its account form and actions included, when its write is withheld", async () => {
    const { types, m } = await capsOf(source(["user"]));
    expect(types["user"]).toEqual([Capability.SYNC, Capability.TARGETED_SYNC]);
    expect(m.capabilities!.connectorCapabilities).toEqual([Capability.SYNC, Capability.TARGETED_SYNC, Capability.PROVISION]);
    expect(m.accountCreationSchema).toBeUndefined();
    expect(m.capabilities!.credentialDetails).toBeUndefined();
  });

  it("advertises no provisioning without --provisioning", async () => {
    const { types, m } = await capsOf(source([], false));
    expect(types["group"]).toEqual([Capability.SYNC]);
    expect(m.capabilities!.connectorCapabilities).toEqual([Capability.SYNC, Capability.TARGETED_SYNC]);
  });

  it("advertises EVENT_FEED_V2 when ListEvents serves a feed, after TARGETED_SYNC", async () => {
    const { m } = await capsOf({ ...source([], false), eventFeed: true });
    expect(m.capabilities!.connectorCapabilities).toEqual([Capability.SYNC, Capability.TARGETED_SYNC, Capability.EVENT_FEED_V2]);
  });
});
