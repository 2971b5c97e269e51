import { type Client, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ResourcesService } from "../../gen/c1/connector/v2/resource_pb.js";
import { connectorJsonTypes } from "../../src/protocol/index.js";
import { type FakeOkta, startFakeOkta } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { type RunningConnector, startConnector } from "../support/sync-helpers.js";

/**
 * The real `okta-connector serve` answers JSON clients of the Connect and gRPC-web protocols, which the
 * main port serves, with the same resources as gRPC: annotations (traits, V1 ids) are Anys, and their
 * JSON form needs the server to know each packed message. Before, every resource listing answered
 * INTERNAL "… is not in the type registry" to a JSON client.
 */
let fake: FakeOkta;
let connector: RunningConnector;

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ users: 30 });
  connector = await startConnector(fake, { token: fake.tokens.super_admin });
}, 120_000);

afterAll(async () => {
  await connector?.stop();
  await fake?.close();
});

async function listed(client: Client<typeof ResourcesService>, resourceTypeId: string): Promise<string[]> {
  const page = await client.listResources({ resourceTypeId, pageSize: 50 });
  return page.list.map((r) => `${r.id?.resource} ${r.annotations.map((a) => `${a.typeUrl}=${Buffer.from(a.value).toString("hex")}`).join(",")}`);
}

describe("JSON clients over Connect and gRPC-web", () => {
  const base = () => `http://${connector.process.address}`;
  const json: [string, () => Transport][] = [
    ["Connect JSON", () => createConnectTransport({ baseUrl: base(), httpVersion: "2", useBinaryFormat: false, jsonOptions: { registry: connectorJsonTypes } })],
    ["gRPC-web JSON", () => createGrpcWebTransport({ baseUrl: base(), httpVersion: "2", useBinaryFormat: false, jsonOptions: { registry: connectorJsonTypes } })],
  ];

  it.each(["user", "group", "app", "role", "service-app"])("list %s resources with their annotations, as gRPC does", async (type) => {
    const expected = await listed(createClient(ResourcesService, createGrpcTransport({ baseUrl: base() })), type);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.every((line) => line.includes("type.googleapis.com/c1.connector.v2."))).toBe(true);
    for (const [name, transport] of json) expect({ name, list: await listed(createClient(ResourcesService, transport()), type) }).toEqual({ name, list: expected });
  });
});
