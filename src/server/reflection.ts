import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { DescFile, DescService, MessageInitShape } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import type { DescriptorProto, EnumDescriptorProto, FieldDescriptorProto } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import type { ConnectRouter } from "@connectrpc/connect";
import * as v1 from "../../gen/grpc/reflection/v1/reflection_pb.js";
import * as v1alpha from "../../gen/grpc/reflection/v1alpha/reflection_pb.js";

type ResponseInit = MessageInitShape<typeof v1.ServerReflectionResponseSchema>;

/** Every lookup a reflection client can make, answered from the generated descriptors. */
interface ReflectionIndex {
  readonly serviceNames: readonly string[];
  readonly filesByName: ReadonlyMap<string, DescFile>;
  readonly filesBySymbol: ReadonlyMap<string, DescFile>;
  readonly messageTypes: ReadonlySet<string>;
  /** extendee type name → extension field number → declaring file */
  readonly extensionsByType: ReadonlyMap<string, ReadonlyMap<number, DescFile>>;
  /** The file and everything it imports, serialized once: reflection clients ask for the same files often. */
  closure(file: DescFile): Uint8Array[];
}

/**
 * Serves gRPC server reflection, `grpc.reflection.v1.ServerReflection` and its wire-identical
 * predecessor `grpc.reflection.v1alpha.ServerReflection`, so grpcurl and `buf curl` work without
 * .proto files. grpcurl tries v1 and falls back to v1alpha; Postman and older tools speak only v1alpha.
 *
 * `list_services` names exactly the services registered on `router` (reflection included), read at
 * the first reflection call, when every route is in place. Their files and all transitive imports
 * can be described. `files` adds more describable files without advertising their services: pass
 * every file whose messages travel inside `google.protobuf.Any` (the c1 annotation files), or
 * clients cannot print those values ("unable to resolve type.googleapis.com/…").
 */
export function registerReflection(router: ConnectRouter, files: readonly DescFile[] = []): void {
  let index: ReflectionIndex | undefined;
  const getIndex = (): ReflectionIndex => {
    if (index === undefined) {
      const services = new Map(router.handlers.map((handler) => [handler.service.typeName, handler.service]));
      index = createReflectionIndex([...services.values()], files);
    }
    return index;
  };
  router.service(v1.ServerReflection, {
    async *serverReflectionInfo(requests) {
      for await (const request of requests) {
        yield answer(getIndex(), request);
      }
    },
  });
  router.service(v1alpha.ServerReflection, {
    async *serverReflectionInfo(requests) {
      for await (const alphaRequest of requests) {
        const request = fromBinary(
          v1.ServerReflectionRequestSchema,
          toBinary(v1alpha.ServerReflectionRequestSchema, alphaRequest),
        );
        const response = create(v1.ServerReflectionResponseSchema, answer(getIndex(), request));
        yield fromBinary(
          v1alpha.ServerReflectionResponseSchema,
          toBinary(v1.ServerReflectionResponseSchema, response),
        );
      }
    },
  });
}

function answer(index: ReflectionIndex, request: v1.ServerReflectionRequest): ResponseInit {
  const echo = { validHost: request.host, originalRequest: request };
  const notFound = (what: string): ResponseInit => ({
    ...echo,
    messageResponse: {
      case: "errorResponse",
      value: { errorCode: Code.NotFound, errorMessage: `${what} not found` },
    },
  });
  const files = (file: DescFile | undefined, what: string): ResponseInit =>
    file === undefined
      ? notFound(what)
      : {
          ...echo,
          messageResponse: {
            case: "fileDescriptorResponse",
            value: { fileDescriptorProto: index.closure(file) },
          },
        };

  const { messageRequest } = request;
  switch (messageRequest.case) {
    case "listServices":
      return {
        ...echo,
        messageResponse: {
          case: "listServicesResponse",
          value: { service: index.serviceNames.map((name) => ({ name })) },
        },
      };
    case "fileByFilename":
      return files(index.filesByName.get(messageRequest.value), `file ${messageRequest.value}`);
    case "fileContainingSymbol":
      return files(index.filesBySymbol.get(messageRequest.value), `symbol ${messageRequest.value}`);
    case "fileContainingExtension": {
      const { containingType, extensionNumber } = messageRequest.value;
      return files(
        index.extensionsByType.get(containingType)?.get(extensionNumber),
        `extension ${extensionNumber} of ${containingType}`,
      );
    }
    case "allExtensionNumbersOfType": {
      const typeName = messageRequest.value;
      if (!index.messageTypes.has(typeName)) return notFound(`message type ${typeName}`);
      const numbers = [...(index.extensionsByType.get(typeName)?.keys() ?? [])];
      return {
        ...echo,
        messageResponse: {
          case: "allExtensionNumbersResponse",
          value: { baseTypeName: typeName, extensionNumber: numbers },
        },
      };
    }
    case undefined:
      return {
        ...echo,
        messageResponse: {
          case: "errorResponse",
          value: { errorCode: Code.InvalidArgument, errorMessage: "message_request is not set" },
        },
      };
  }
}

function createReflectionIndex(services: readonly DescService[], extraFiles: readonly DescFile[]): ReflectionIndex {
  const filesByName = new Map<string, DescFile>();
  const filesBySymbol = new Map<string, DescFile>();
  const messageTypes = new Set<string>();
  const extensionsByType = new Map<string, Map<number, DescFile>>();

  // Walk the descriptor we serve rather than the DescFile: it also names map entry messages, which
  // protobuf-es does not expose as nested messages but clients may ask for.
  const visit = (file: DescFile): void => {
    if (filesByName.has(file.proto.name)) return;
    filesByName.set(file.proto.name, file);
    const add = (name: string): void => void filesBySymbol.set(name, file);
    const addEnum = (scope: string, type: EnumDescriptorProto): void => {
      add(scope + type.name);
      // Enum values are scoped like C++ enumerators: siblings of their enum, not children.
      for (const value of type.value) add(scope + value.name);
    };
    const addExtension = (scope: string, field: FieldDescriptorProto): void => {
      add(scope + field.name);
      const extendee = field.extendee.replace(/^\./, "");
      const byNumber = extensionsByType.get(extendee) ?? new Map<number, DescFile>();
      extensionsByType.set(extendee, byNumber.set(field.number, file));
    };
    const addMessage = (scope: string, type: DescriptorProto): void => {
      const name = scope + type.name;
      add(name);
      messageTypes.add(name);
      for (const member of [...type.field, ...type.oneofDecl]) add(`${name}.${member.name}`);
      for (const nested of type.nestedType) addMessage(`${name}.`, nested);
      for (const nested of type.enumType) addEnum(`${name}.`, nested);
      for (const nested of type.extension) addExtension(`${name}.`, nested);
    };
    const scope = file.proto.package === "" ? "" : `${file.proto.package}.`;
    for (const type of file.proto.messageType) addMessage(scope, type);
    for (const type of file.proto.enumType) addEnum(scope, type);
    for (const field of file.proto.extension) addExtension(scope, field);
    for (const service of file.proto.service) {
      add(scope + service.name);
      for (const method of service.method) add(`${scope}${service.name}.${method.name}`);
    }
    file.dependencies.forEach(visit);
  };
  for (const service of services) visit(service.file);
  extraFiles.forEach(visit);

  const serialized = new Map<DescFile, Uint8Array>();
  const bytesOf = (file: DescFile): Uint8Array => {
    let bytes = serialized.get(file);
    if (bytes === undefined) {
      // The generated code embeds a trimmed FileDescriptorProto; fileDesc() restored the dependency
      // list and json names when it hydrated it, which clients need to link and JSON-print types.
      bytes = toBinary(FileDescriptorProtoSchema, file.proto);
      serialized.set(file, bytes);
    }
    return bytes;
  };
  const closure = (file: DescFile): Uint8Array[] => {
    // The requested file comes first, as grpc-go sends it; clients link the rest by name.
    const seen = new Set<DescFile>();
    const walk = (f: DescFile): void => {
      if (seen.has(f)) return;
      seen.add(f);
      f.dependencies.forEach(walk);
    };
    walk(file);
    return [...seen].map(bytesOf);
  };

  return {
    serviceNames: services.map((service) => service.typeName),
    filesByName,
    filesBySymbol,
    messageTypes,
    extensionsByType,
    closure,
  };
}
