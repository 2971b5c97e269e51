import { createRegistry } from "@bufbuild/protobuf";
import { type Client, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectorStreamService } from "../../gen/oktaconnector/v1/stream_pb.js";
import { connectorProtoFiles } from "../../src/protocol/index.js";
import { createFakeConnector, createFakeSyncer, type FakeConnectorServer, startFakeConnectorServer } from "../support/fake-syncer.js";

/**
 * The stream service sends items pre-encoded (src/protocol/encoded-items.ts) to every binary client
 * and as messages to JSON ones, which cannot carry raw protobuf bytes. Every protocol and codec the
 * server accepts must read the same items.
 */
/** JSON clients need the packed messages too, to read the trait annotations back. */
const registry = createRegistry(...connectorProtoFiles);

describe("streamed items read the same over every protocol and codec", () => {
  let served: FakeConnectorServer;
  const base = () => `http://${served.address}`;
  const transports: [string, () => Transport][] = [
    ["gRPC", () => createGrpcTransport({ baseUrl: base() })],
    ["gRPC-web binary", () => createGrpcWebTransport({ baseUrl: base(), httpVersion: "2", useBinaryFormat: true })],
    ["Connect binary", () => createConnectTransport({ baseUrl: base(), httpVersion: "2", useBinaryFormat: true })],
    ["Connect JSON", () => createConnectTransport({ baseUrl: base(), httpVersion: "2", useBinaryFormat: false, jsonOptions: { registry } })],
    ["gRPC-web JSON", () => createGrpcWebTransport({ baseUrl: base(), httpVersion: "2", useBinaryFormat: false, jsonOptions: { registry } })],
  ];

  beforeAll(async () => {
    // With traits: each resource carries a trait annotation (an Any), whose JSON form the server's
    // codec can only write with a registry of the packed messages.
    const users = createFakeSyncer({ typeId: "user", trait: "user", pages: 3, pageSize: 4 });
    const groups = createFakeSyncer({ typeId: "group", trait: "group", pages: 2, pageSize: 3 });
    served = await startFakeConnectorServer(createFakeConnector({ syncers: [users, groups] }));
  });
  afterAll(async () => {
    await served?.server.shutdown(0);
  });

  async function syncItems(client: Client<typeof ConnectorStreamService>) {
    const items: { ids: string[] }[] = [];
    for await (const response of client.sync({ batchSize: 5 })) {
      if (response.event.case !== "batch") continue;
      const b = response.event.value;
      items.push({ ids: b.resources.map((r) => `${r.id?.resourceType}/${r.id?.resource}:${r.displayName} ${r.annotations.map((a) => `${a.typeUrl}=${Buffer.from(a.value).toString("hex")}`).join(",")}`) });
    }
    return items.filter((i) => i.ids.length > 0);
  }

  async function streamedUsers(client: Client<typeof ConnectorStreamService>) {
    const names: string[] = [];
    for await (const response of client.streamResources({ resourceTypeId: "user", batchSize: 5 })) names.push(...response.resources.map((r) => r.displayName));
    return names;
  }

  it("Sync and StreamResources", async () => {
    const results = [];
    for (const [name, transport] of transports) {
      const client = createClient(ConnectorStreamService, transport());
      results.push({ name, sync: await syncItems(client), users: await streamedUsers(client) });
    }
    const [first, ...rest] = results;
    expect(first!.sync.flatMap((b) => b.ids)).toHaveLength(12 + 6);
    expect(first!.sync.flatMap((b) => b.ids).every((id) => id.includes("type.googleapis.com/c1.connector.v2."))).toBe(true);
    expect(first!.users).toHaveLength(12);
    for (const other of rest) expect({ name: other.name, sync: other.sync, users: other.users }).toEqual({ name: other.name, sync: first!.sync, users: first!.users });
  });
});
