import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { DescFile, MessageInitShape } from "@bufbuild/protobuf";
import { embedFileDesc, fileDesc } from "@bufbuild/protobuf/codegenv2";
import {
  anyPack,
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FileDescriptorProtoSchema,
  file_google_protobuf_struct,
  file_google_protobuf_timestamp,
  file_google_protobuf_type,
} from "@bufbuild/protobuf/wkt";
import type { FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RawIdSchema, file_c1_connector_v2_annotation_raw_id } from "../../gen/c1/connector/v2/annotation_raw_id_pb.js";
import { file_c1_connector_v2_grant } from "../../gen/c1/connector/v2/grant_pb.js";
import { ResourceGetterService, ResourcesService } from "../../gen/c1/connector/v2/resource_pb.js";
import { Health as HealthService } from "../../gen/grpc/health/v1/health_pb.js";
import * as v1 from "../../gen/grpc/reflection/v1/reflection_pb.js";
import * as v1alpha from "../../gen/grpc/reflection/v1alpha/reflection_pb.js";
import { createHealth } from "../../src/server/health.js";
import { registerReflection } from "../../src/server/reflection.js";
import { bufCurl } from "../support/buf-curl.js";
import { bidiStreamAll, createGrpcJsClient } from "../support/grpc-client.js";
import type { GrpcJsClient } from "../support/grpc-client.js";
import { startH2cServer } from "../support/h2c-server.js";
import type { H2cServer } from "../support/h2c-server.js";

/**
 * A service whose messages use well-known types and a custom json_name, hydrated exactly the way
 * generated code hydrates its embedded descriptor (trimmed by embedFileDesc, restored by fileDesc),
 * so buf curl proves the served descriptors link and JSON-encode correctly.
 */
function createEchoFile(): DescFile {
  const { MESSAGE, STRING } = FieldDescriptorProto_Type;
  const { OPTIONAL } = FieldDescriptorProto_Label;
  const [TIMESTAMP, STRUCT] = [".google.protobuf.Timestamp", ".google.protobuf.Struct"];
  const proto = create(FileDescriptorProtoSchema, {
    name: "test/echo/v1/echo.proto",
    package: "test.echo.v1",
    syntax: "proto3",
    messageType: [
      {
        name: "EchoMessage",
        field: [
          { name: "created_at", number: 1, label: OPTIONAL, type: MESSAGE, jsonName: "createdAt", typeName: TIMESTAMP },
          { name: "display_name", number: 2, label: OPTIONAL, type: STRING, jsonName: "label" },
          { name: "attributes", number: 3, label: OPTIONAL, type: MESSAGE, jsonName: "attributes", typeName: STRUCT },
        ],
      },
    ],
    service: [
      {
        name: "EchoService",
        method: [{ name: "Echo", inputType: ".test.echo.v1.EchoMessage", outputType: ".test.echo.v1.EchoMessage" }],
      },
    ],
  });
  return fileDesc(embedFileDesc(proto).base64(), [file_google_protobuf_timestamp, file_google_protobuf_struct]);
}

/** A proto2 file with an extension range and one extension, for the extension lookups. */
function createExtensionFile(): DescFile {
  const proto = create(FileDescriptorProtoSchema, {
    name: "test/ext/v1/ext.proto",
    package: "test.ext.v1",
    messageType: [{ name: "Base", extensionRange: [{ start: 100, end: 200 }] }],
    extension: [
      {
        name: "note",
        number: 150,
        label: FieldDescriptorProto_Label.OPTIONAL,
        type: FieldDescriptorProto_Type.STRING,
        extendee: ".test.ext.v1.Base",
      },
    ],
  });
  return fileDesc(embedFileDesc(proto).base64());
}

type RequestInit = MessageInitShape<typeof v1.ServerReflectionRequestSchema>;

const decodeFiles = (response: v1.ServerReflectionResponse): FileDescriptorProto[] =>
  response.messageResponse.case === "fileDescriptorResponse"
    ? response.messageResponse.value.fileDescriptorProto.map((bytes) => fromBinary(FileDescriptorProtoSchema, bytes))
    : [];

const errorCode = (response: v1.ServerReflectionResponse): number | undefined =>
  response.messageResponse.case === "errorResponse" ? response.messageResponse.value.errorCode : undefined;

describe("gRPC server reflection on a connect-node h2c server", () => {
  const echoFile = createEchoFile();
  const echoService = echoFile.services[0]!;
  let server: H2cServer;
  let v1Client: GrpcJsClient;
  let v1alphaClient: GrpcJsClient;

  beforeAll(async () => {
    const health = createHealth();
    server = await startH2cServer((router) => {
      health.register(router);
      // A service built at run time has no static method types to check the implementation against.
      router.service(echoService, { echo: (request: unknown) => request } as never);
      // Health and echo are found on the router; type.proto is an extra file with imports of its own.
      registerReflection(router, [file_google_protobuf_type, createExtensionFile()]);
    });
    v1Client = createGrpcJsClient(v1.ServerReflection, server.address);
    v1alphaClient = createGrpcJsClient(v1alpha.ServerReflection, server.address);
  });
  afterAll(async () => {
    v1Client.close();
    v1alphaClient.close();
    await server.close();
  });

  const reflectV1 = (requests: RequestInit[]): Promise<v1.ServerReflectionResponse[]> =>
    bidiStreamAll(v1Client, v1.ServerReflection.method.serverReflectionInfo, requests);

  describe("through buf curl, which resolves every schema by reflection", () => {
    it("lists exactly the served services", async () => {
      const result = await bufCurl(["--list-services", server.url]);
      expect(result).toMatchObject({ code: 0, stderr: "" });
      expect(result.stdout.trim().split("\n").sort()).toEqual([
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
        "grpc.reflection.v1alpha.ServerReflection",
        "test.echo.v1.EchoService",
      ]);
    });

    it("lists every method", async () => {
      const result = await bufCurl(["--list-methods", server.url]);
      expect(result.code).toBe(0);
      expect(result.stdout.trim().split("\n").sort()).toEqual([
        "grpc.health.v1.Health/Check",
        "grpc.health.v1.Health/List",
        "grpc.health.v1.Health/Watch",
        "grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
        "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
        "test.echo.v1.EchoService/Echo",
      ]);
    });

    it.each(["grpc-v1", "grpc-v1alpha"])("calls Health/Check with the schema from %s reflection", async (protocol) => {
      const result = await bufCurl([
        "--reflect-protocol",
        protocol,
        `${server.url}/grpc.health.v1.Health/Check`,
        "-d",
        "{}",
      ]);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ status: "SERVING" });
    });

    it("decodes a map of nested messages from Health/List", async () => {
      const result = await bufCurl([`${server.url}/grpc.health.v1.Health/List`, "-d", "{}"]);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ statuses: { "": { status: "SERVING" } } });
    });

    it("round-trips well-known types and a custom json_name through a reflected schema", async () => {
      const body = { createdAt: "2026-11-29T05:00:00Z", label: "Okta Admins", attributes: { seats: 25, sso: true } };
      const result = await bufCurl([`${server.url}/test.echo.v1.EchoService/Echo`, "-d", JSON.stringify(body)]);
      expect(result).toMatchObject({ code: 0, stderr: "" });
      expect(JSON.parse(result.stdout)).toEqual(body);
    });

    it("exits with NOT_FOUND × 8 when Check names an unknown service", async () => {
      const result = await bufCurl([`${server.url}/grpc.health.v1.Health/Check`, "-d", '{"service":"nope"}']);
      expect(result.code).toBe(Code.NotFound * 8);
    });
  });

  describe("through a grpc-js bidi stream", () => {
    it("echoes host and original request, and lists services", async () => {
      const [response] = await reflectV1([
        { host: "connector.local", messageRequest: { case: "listServices", value: "*" } },
      ]);
      expect(response?.validHost).toBe("connector.local");
      expect(response?.originalRequest?.messageRequest).toEqual({ case: "listServices", value: "*" });
      expect(response?.messageResponse.case).toBe("listServicesResponse");
      const names =
        response?.messageResponse.case === "listServicesResponse"
          ? response.messageResponse.value.service.map((service) => service.name)
          : [];
      expect(names.sort()).toEqual([
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
        "grpc.reflection.v1alpha.ServerReflection",
        "test.echo.v1.EchoService",
      ]);
    });

    it("finds the file of every kind of symbol", async () => {
      const symbols: Record<string, string> = {
        "grpc.health.v1.Health": "grpc/health/v1/health.proto",
        "grpc.health.v1.Health.Watch": "grpc/health/v1/health.proto",
        "grpc.health.v1.HealthCheckRequest": "grpc/health/v1/health.proto",
        "grpc.health.v1.HealthCheckRequest.service": "grpc/health/v1/health.proto",
        "grpc.health.v1.HealthListResponse.StatusesEntry": "grpc/health/v1/health.proto",
        "grpc.health.v1.HealthCheckResponse.ServingStatus": "grpc/health/v1/health.proto",
        "grpc.health.v1.HealthCheckResponse.SERVICE_UNKNOWN": "grpc/health/v1/health.proto",
        "grpc.reflection.v1alpha.ServerReflection": "grpc/reflection/v1alpha/reflection.proto",
        "grpc.reflection.v1.ServerReflectionResponse.message_response": "grpc/reflection/v1/reflection.proto",
        "google.protobuf.Timestamp": "google/protobuf/timestamp.proto",
        "google.protobuf.Any": "google/protobuf/any.proto",
        "test.echo.v1.EchoService.Echo": "test/echo/v1/echo.proto",
      };
      const responses = await reflectV1(
        Object.keys(symbols).map((symbol) => ({ messageRequest: { case: "fileContainingSymbol", value: symbol } })),
      );
      expect(responses.map((response) => decodeFiles(response)[0]?.name)).toEqual(Object.values(symbols));
    });

    it("sends a file with all its transitive imports, dependency lists and json names restored", async () => {
      const [echo, type] = await reflectV1([
        { messageRequest: { case: "fileByFilename", value: "test/echo/v1/echo.proto" } },
        { messageRequest: { case: "fileByFilename", value: "google/protobuf/type.proto" } },
      ]);
      const echoFiles = decodeFiles(echo!);
      expect(echoFiles.map((file) => file.name)).toEqual([
        "test/echo/v1/echo.proto",
        "google/protobuf/timestamp.proto",
        "google/protobuf/struct.proto",
      ]);
      expect(echoFiles[0]?.dependency).toEqual(["google/protobuf/timestamp.proto", "google/protobuf/struct.proto"]);
      const jsonNames = echoFiles[0]?.messageType[0]?.field.map((field) => field.jsonName);
      expect(jsonNames).toEqual(["createdAt", "label", "attributes"]);
      expect(decodeFiles(type!).map((file) => file.name).sort()).toEqual([
        "google/protobuf/any.proto",
        "google/protobuf/source_context.proto",
        "google/protobuf/type.proto",
      ]);
    });

    it("answers unknown names with error_response NOT_FOUND and keeps the stream open", async () => {
      const responses = await reflectV1([
        { messageRequest: { case: "fileContainingSymbol", value: "c1.connector.v2.NoSuchService" } },
        { messageRequest: { case: "fileByFilename", value: "no/such.proto" } },
        {
          messageRequest: {
            case: "fileContainingExtension",
            value: { containingType: "grpc.health.v1.HealthCheckRequest", extensionNumber: 100 },
          },
        },
        { messageRequest: { case: "allExtensionNumbersOfType", value: "no.such.Message" } },
        { messageRequest: { case: "allExtensionNumbersOfType", value: "grpc.health.v1.HealthCheckRequest" } },
        { messageRequest: { case: "fileContainingSymbol", value: "grpc.health.v1.Health" } },
      ]);
      const { NotFound } = Code;
      expect(responses.map(errorCode)).toEqual([NotFound, NotFound, NotFound, NotFound, undefined, undefined]);
      expect(responses[4]?.messageResponse).toEqual({
        case: "allExtensionNumbersResponse",
        value: expect.objectContaining({ baseTypeName: "grpc.health.v1.HealthCheckRequest", extensionNumber: [] }),
      });
      expect(decodeFiles(responses[5]!)[0]?.name).toBe("grpc/health/v1/health.proto");
    });

    it("finds extensions by extendee and number", async () => {
      const [byNumber, numbers, bySymbol] = await reflectV1([
        {
          messageRequest: {
            case: "fileContainingExtension",
            value: { containingType: "test.ext.v1.Base", extensionNumber: 150 },
          },
        },
        { messageRequest: { case: "allExtensionNumbersOfType", value: "test.ext.v1.Base" } },
        { messageRequest: { case: "fileContainingSymbol", value: "test.ext.v1.note" } },
      ]);
      expect(decodeFiles(byNumber!).map((file) => file.name)).toEqual(["test/ext/v1/ext.proto"]);
      expect(numbers?.messageResponse).toEqual({
        case: "allExtensionNumbersResponse",
        value: expect.objectContaining({ baseTypeName: "test.ext.v1.Base", extensionNumber: [150] }),
      });
      expect(decodeFiles(bySymbol!)[0]?.name).toBe("test/ext/v1/ext.proto");
    });

    it("answers v1alpha with the same bytes as v1", async () => {
      const requests: RequestInit[] = [
        { host: "h", messageRequest: { case: "listServices", value: "" } },
        { messageRequest: { case: "fileContainingSymbol", value: HealthService.typeName } },
        { messageRequest: { case: "fileContainingSymbol", value: "no.Such" } },
      ];
      const alphaRequests = requests.map((request) => {
        const bytes = toBinary(v1.ServerReflectionRequestSchema, create(v1.ServerReflectionRequestSchema, request));
        return fromBinary(v1alpha.ServerReflectionRequestSchema, bytes);
      });
      const [fromV1, fromV1alpha] = await Promise.all([
        reflectV1(requests),
        bidiStreamAll(v1alphaClient, v1alpha.ServerReflection.method.serverReflectionInfo, alphaRequests),
      ]);
      expect(fromV1alpha.map((response) => toBinary(v1alpha.ServerReflectionResponseSchema, response))).toEqual(
        fromV1.map((response) => toBinary(v1.ServerReflectionResponseSchema, response)),
      );
      expect(fromV1alpha).toHaveLength(3);
    });
  });
});

describe("reflection of the baton contract", () => {
  let server: H2cServer;
  let client: GrpcJsClient;

  beforeAll(async () => {
    server = await startH2cServer((router) => {
      router.service(ResourcesService, {
        listResources: (request) => ({
          list: [
            {
              id: { resourceType: request.resourceTypeId, resource: "00u1abcdEFGH2345x0h7" },
              displayName: "Ada Lovelace",
              annotations: [anyPack(RawIdSchema, create(RawIdSchema, { id: "00u1abcdEFGH2345x0h7" }))],
              profile: { login: "ada@example.com", mfa: true },
            },
          ],
        }),
      });
      router.service(ResourceGetterService, {});
      // Clients print an Any only if its type can be resolved, so annotation files must be describable.
      registerReflection(router, [file_c1_connector_v2_annotation_raw_id, file_c1_connector_v2_grant]);
    });
    client = createGrpcJsClient(v1.ServerReflection, server.address);
  });
  afterAll(async () => {
    client.close();
    await server.close();
  });

  it("lists the registered services only, not every service of the files it describes", async () => {
    const result = await bufCurl(["--list-services", server.url]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split("\n").sort()).toEqual([
      "c1.connector.v2.ResourceGetterService",
      "c1.connector.v2.ResourcesService",
      "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection",
    ]);
  });

  it("still describes the types of an extra file whose services are not served", async () => {
    const responses = await bidiStreamAll(client, v1.ServerReflection.method.serverReflectionInfo, [
      { messageRequest: { case: "fileContainingSymbol", value: "c1.connector.v2.Grant" } },
      { messageRequest: { case: "fileContainingSymbol", value: "c1.connector.v2.GrantsService" } },
    ]);
    expect(responses.map((response) => decodeFiles(response)[0]?.name)).toEqual([
      "c1/connector/v2/grant.proto",
      "c1/connector/v2/grant.proto",
    ]);
  });

  it("prints a Resource with a Struct profile and an Any annotation resolved by reflection", async () => {
    const result = await bufCurl([
      `${server.url}/c1.connector.v2.ResourcesService/ListResources`,
      "-d",
      '{"resourceTypeId":"user","pageSize":50}',
    ]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(result.stdout)).toEqual({
      list: [
        {
          id: { resourceType: "user", resource: "00u1abcdEFGH2345x0h7" },
          displayName: "Ada Lovelace",
          annotations: [{ "@type": "type.googleapis.com/c1.connector.v2.RawId", id: "00u1abcdEFGH2345x0h7" }],
          profile: { login: "ada@example.com", mfa: true },
        },
      ],
    });
  });

  it("encodes a request for an unimplemented method, which then answers UNIMPLEMENTED × 8", async () => {
    const result = await bufCurl([
      `${server.url}/c1.connector.v2.ResourceGetterService/GetResource`,
      "-d",
      '{"resourceId":{"resourceType":"group","resource":"00g1abcdEFGH2345x0h7"}}',
    ]);
    expect(result.code).toBe(Code.Unimplemented * 8);
  });
});
