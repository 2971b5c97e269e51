import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConnectorClients, createConnectorClients } from "../../src/engine/connector-client.js";
import { createFakeConnector, createFakeSyncer, type FakeConnectorServer, startFakeConnectorServer } from "../support/fake-syncer.js";

/**
 * Issue 13 item 6: ListEntitlements builds its answer from the resource id alone, and once echoed ids
 * such as `../00u1\u0000?x#y` into the entitlement ids an engine stores; ListResources ignored
 * parent_resource_id, though no type of this connector has parents. Both are now refused with
 * INVALID_ARGUMENT naming the field, on the paged calls and their stream twins.
 */
let served: FakeConnectorServer;
let clients: ConnectorClients;

async function failureOf(run: () => Promise<unknown>): Promise<[Code, string] | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    const e = ConnectError.from(error);
    return [e.code, e.rawMessage];
  }
}

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream);
}

beforeAll(async () => {
  served = await startFakeConnectorServer(createFakeConnector({ syncers: [createFakeSyncer({ typeId: "user", trait: "user" }), createFakeSyncer({ typeId: "group", trait: "group" })] }));
  clients = createConnectorClients({ address: served.address });
});

afterAll(async () => {
  await served?.server.shutdown(0);
});

const REFUSED_ID = "resource.id.resource: is not an id this connector issues (an Okta id, a role type, or a binding's \"{resource set}:{role}\")";

describe("resource ids of ListEntitlements and StreamEntitlements", () => {
  it.each(["../00u1\u0000?x#y", "00g1/../users", "group:00g1:member", "00g1 x", "A".repeat(65)])("refuses %j with INVALID_ARGUMENT naming resource.id.resource", async (id) => {
    const resource = { id: { resourceType: "group", resource: id } };
    expect(await failureOf(() => clients.entitlements.listEntitlements({ resource }))).toEqual([Code.InvalidArgument, REFUSED_ID]);
    expect(await failureOf(() => drain(clients.stream.streamEntitlements({ resource })))).toEqual([Code.InvalidArgument, REFUSED_ID]);
  });

  it.each(["00g1abcdefghijklmnop", "SUPER_ADMIN", "iam1abcdefghijklmnop:cr01abcdefghijklmno"])("accepts the id shape %j", async (id) => {
    expect(await failureOf(() => clients.entitlements.listEntitlements({ resource: { id: { resourceType: "group", resource: id } } }))).toBeUndefined();
  });
});

describe("parent_resource_id of ListResources and StreamResources", () => {
  it("is refused with INVALID_ARGUMENT naming it, since no type of this connector has parents", async () => {
    const parentResourceId = { resourceType: "group", resource: "00g1abcdefghijklmnop" };
    const message = 'parent_resource_id: resource type "user" has no parent resources in this connector; list it without parent_resource_id';
    expect(await failureOf(() => clients.resources.listResources({ resourceTypeId: "user", parentResourceId }))).toEqual([Code.InvalidArgument, message]);
    expect(await failureOf(() => drain(clients.stream.streamResources({ resourceTypeId: "user", parentResourceId })))).toEqual([Code.InvalidArgument, message]);
    // Without it, the same listing answers.
    expect((await clients.resources.listResources({ resourceTypeId: "user" })).list.length).toBeGreaterThan(0);
  });
});
