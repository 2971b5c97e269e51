import { create, type DescMessage, type MessageInitShape, type MessageShape, type UnknownField } from "@bufbuild/protobuf";
import { WireType } from "@bufbuild/protobuf/wire";
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ResourcesService, ResourcesServiceListResourcesRequestSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import { ConnectorStreamService, StreamResourcesRequestSchema } from "../../gen/oktaconnector/v1/stream_pb.js";
import { bufCurl } from "../support/buf-curl.js";
import { createFakeConnector, createFakeSyncer, type FakeConnectorServer, startFakeConnectorServer } from "../support/fake-syncer.js";

/**
 * Issue 13 item 6: a truncated request message once answered INVALID_ARGUMENT over gRPC but INTERNAL
 * over the Connect and gRPC-web protocols, which the same port serves. The requests here come from
 * connect-node's own clients of each protocol: the message carries a length-delimited field whose
 * length prefix promises 100 bytes and delivers 3 (an unknown field, which protobuf-es writes out
 * verbatim), so the bytes on the wire end mid-field, as a cut-off request does.
 */
let served: FakeConnectorServer;
let schemaDir: string;

/**
 * ListResources as buf curl is told to see it: resource_type_id as bytes, so it sends what no
 * well-behaved client would (invalid UTF-8 in a string field), which the server cannot decode either.
 */
const SKEWED_SCHEMA = `syntax = "proto3";
package c1.connector.v2;
message ResourcesServiceListResourcesRequest { bytes resource_type_id = 1; }
message ResourcesServiceListResourcesResponse {}
service ResourcesService { rpc ListResources(ResourcesServiceListResourcesRequest) returns (ResourcesServiceListResourcesResponse); }
`;

/** `init` as `schema`, plus field 1 cut short: tag, length 100, then only three bytes. */
function truncated<T extends DescMessage>(schema: T, init: MessageInitShape<T>): MessageShape<T> {
  const message = create(schema, init) as MessageShape<T> & { $unknown?: UnknownField[] };
  message.$unknown = [{ no: 15, wireType: WireType.LengthDelimited, data: new Uint8Array([100, 0x61, 0x62, 0x63]) }];
  return message;
}

const transports: [string, () => Transport][] = [
  ["Connect", () => createConnectTransport({ baseUrl: `http://${served.address}`, httpVersion: "2", useBinaryFormat: true })],
  ["gRPC-web", () => createGrpcWebTransport({ baseUrl: `http://${served.address}`, httpVersion: "2", useBinaryFormat: true })],
  ["gRPC", () => createGrpcTransport({ baseUrl: `http://${served.address}` })],
];

async function failureOf(run: () => Promise<unknown>): Promise<ConnectError | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    return ConnectError.from(error);
  }
}

beforeAll(async () => {
  schemaDir = mkdtempSync(join(tmpdir(), "skewed-schema-"));
  writeFileSync(join(schemaDir, "skewed.proto"), SKEWED_SCHEMA);
  served = await startFakeConnectorServer(createFakeConnector({ syncers: [createFakeSyncer({ typeId: "user", trait: "user" })] }));
});

afterAll(async () => {
  await served?.server.shutdown(0);
  if (schemaDir) rmSync(schemaDir, { recursive: true, force: true });
});

describe("a truncated request message", () => {
  it.each(transports)("answers INVALID_ARGUMENT over %s for a unary call (ListResources)", async (_protocol, transport) => {
    const client = createClient(ResourcesService, transport());
    const error = await failureOf(() => client.listResources(truncated(ResourcesServiceListResourcesRequestSchema, { resourceTypeId: "user" })));
    expect([error?.code, error?.rawMessage]).toEqual([Code.InvalidArgument, expect.stringMatching(/^request: not a valid protobuf message for this method: /)]);
    expect(error?.rawMessage).toMatch(/^request: not a valid protobuf message for this method: /);
    // The same client's well-formed request still works: only the undecodable one was refused.
    expect((await client.listResources({ resourceTypeId: "user" })).list.length).toBeGreaterThan(0);
  });

  it.each(transports)("answers INVALID_ARGUMENT over %s for a server-streaming call (StreamResources)", async (_protocol, transport) => {
    const client = createClient(ConnectorStreamService, transport());
    const error = await failureOf(async () => {
      for await (const _ of client.streamResources(truncated(StreamResourcesRequestSchema, { resourceTypeId: "user" }))) {
        // Nothing may arrive before the refusal.
        throw new Error("a batch arrived for an undecodable request");
      }
    });
    expect(error?.code).toBe(Code.InvalidArgument);
    expect(error?.rawMessage).toMatch(/^request: not a valid protobuf message for this method: /);
  });
});

describe("undecodable bytes from buf curl", () => {
  it.each(["connect", "grpcweb", "grpc"])("answer INVALID_ARGUMENT over --protocol %s", async (protocol) => {
    const result = await bufCurl([
      "--protocol", protocol,
      "--schema", join(schemaDir, "skewed.proto"),
      "-d", JSON.stringify({ resourceTypeId: Buffer.from([0xff]).toString("base64") }),
      `http://${served.address}/c1.connector.v2.ResourcesService/ListResources`,
    ]);
    // buf curl exits with the gRPC code times 8.
    expect(result.code, result.stderr).toBe(Code.InvalidArgument * 8);
    expect(JSON.parse(result.stderr)).toEqual({ code: "invalid_argument", message: "request: not a valid protobuf message for this method: The encoded data was not valid for encoding utf-8" });
  });
});
