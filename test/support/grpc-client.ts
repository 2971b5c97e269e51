import * as grpc from "@grpc/grpc-js";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import type {
  DescMessage,
  DescMethod,
  DescMethodBiDiStreaming,
  DescMethodServerStreaming,
  DescMethodUnary,
  DescService,
  MessageInitShape,
  MessageShape,
} from "@bufbuild/protobuf";

/**
 * grpc-js is the independent peer in our tests: a different gRPC implementation than the server's
 * connect-node. These helpers let it speak protobuf-es messages, typed by the generated descriptors:
 *
 * ```ts
 * const client = createGrpcJsClient(Health, server.address);
 * const { status } = await unary(client, Health.method.check, { service: "" });
 * ```
 */

/** Metadata as grpc-js takes it, or a plain record of ASCII header values. */
export type MetadataInit = grpc.Metadata | Readonly<Record<string, string>>;

/** A grpc-js client as `makeGenericClientConstructor` builds it (grpc-js does not export the type). */
export type GrpcJsClient = InstanceType<ReturnType<typeof grpc.makeGenericClientConstructor>>;

/** The `/${typeName}/${name}` path, serializers and stream flags grpc-js needs for one method. */
export function grpcJsMethodDefinition<I extends DescMessage, O extends DescMessage>(
  method: DescMethod & { input: I; output: O },
): grpc.MethodDefinition<MessageInitShape<I>, MessageShape<O>> {
  return {
    path: `/${method.parent.typeName}/${method.name}`,
    originalName: method.localName,
    requestStream: method.methodKind === "client_streaming" || method.methodKind === "bidi_streaming",
    responseStream: method.methodKind === "server_streaming" || method.methodKind === "bidi_streaming",
    // create() returns a message of the right type unchanged, and builds one from an init object.
    requestSerialize: (value) => Buffer.from(toBinary(method.input, create(method.input, value))),
    requestDeserialize: (bytes) => fromBinary(method.input, bytes),
    responseSerialize: (value) => Buffer.from(toBinary(method.output, value)),
    responseDeserialize: (bytes) => fromBinary(method.output, bytes),
  };
}

/**
 * A grpc-js client for a protobuf-es service, built with `makeGenericClientConstructor`, so it also
 * has one untyped method per RPC (`client.check(...)`). Prefer the typed helpers below. Close it
 * with `client.close()`.
 */
export function createGrpcJsClient(
  service: DescService,
  address: string,
  credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
  options: Partial<grpc.ChannelOptions> = {},
): GrpcJsClient {
  // grpc.ServiceDefinition has a read-only index signature; a Record assigns to it.
  const definition: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const method of service.methods) {
    definition[method.localName] = grpcJsMethodDefinition(method) as grpc.MethodDefinition<unknown, unknown>;
  }
  const Client = grpc.makeGenericClientConstructor(definition, service.typeName);
  return new Client(address, credentials, options);
}

/** Calls a unary method; rejects with the grpc-js `ServiceError` (its `code` is the gRPC status). */
export function unary<I extends DescMessage, O extends DescMessage>(
  client: grpc.Client,
  method: DescMethodUnary<I, O>,
  request: MessageInitShape<I>,
  metadata?: MetadataInit,
  options: grpc.CallOptions = {},
): Promise<MessageShape<O>> {
  const def = grpcJsMethodDefinition(method);
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      def.path,
      def.requestSerialize,
      def.responseDeserialize,
      request,
      toMetadata(metadata),
      options,
      (error, response) => (error || response === undefined ? reject(error) : resolve(response)),
    );
  });
}

/** A server stream read with `for await`; iteration throws the `ServiceError` the call ends with. */
export interface ServerStreamCall<T> extends AsyncIterable<T> {
  readonly call: grpc.ClientReadableStream<T>;
  /** Cancels the call: the server sees CANCEL, and iteration ends with a CANCELLED `ServiceError`. */
  cancel(): void;
}

/** Starts a server-streaming call. */
export function serverStream<I extends DescMessage, O extends DescMessage>(
  client: grpc.Client,
  method: DescMethodServerStreaming<I, O>,
  request: MessageInitShape<I>,
  metadata?: MetadataInit,
  options: grpc.CallOptions = {},
): ServerStreamCall<MessageShape<O>> {
  const def = grpcJsMethodDefinition(method);
  const call = client.makeServerStreamRequest(
    def.path,
    def.requestSerialize,
    def.responseDeserialize,
    request,
    toMetadata(metadata),
    options,
  );
  return {
    call,
    cancel: () => call.cancel(),
    [Symbol.asyncIterator]: () => call[Symbol.asyncIterator]() as AsyncIterator<MessageShape<O>>,
  };
}

/** Calls a server-streaming method and resolves with every message once the server ends the stream. */
export async function serverStreamAll<I extends DescMessage, O extends DescMessage>(
  client: grpc.Client,
  method: DescMethodServerStreaming<I, O>,
  request: MessageInitShape<I>,
  metadata?: MetadataInit,
  options: grpc.CallOptions = {},
): Promise<MessageShape<O>[]> {
  return collect(serverStream(client, method, request, metadata, options));
}

/**
 * Calls a bidi-streaming method: writes `requests` in order, half-closes, and resolves with every
 * response once the server ends the stream.
 */
export async function bidiStreamAll<I extends DescMessage, O extends DescMessage>(
  client: grpc.Client,
  method: DescMethodBiDiStreaming<I, O>,
  requests: Iterable<MessageInitShape<I>>,
  metadata?: MetadataInit,
  options: grpc.CallOptions = {},
): Promise<MessageShape<O>[]> {
  const def = grpcJsMethodDefinition(method);
  const call = client.makeBidiStreamRequest(
    def.path,
    def.requestSerialize,
    def.responseDeserialize,
    toMetadata(metadata),
    options,
  );
  for (const request of requests) call.write(request);
  call.end();
  return collect(call as AsyncIterable<MessageShape<O>>);
}

async function collect<T>(messages: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const message of messages) all.push(message);
  return all;
}

function toMetadata(init: MetadataInit | undefined): grpc.Metadata {
  if (init instanceof grpc.Metadata) return init;
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(init ?? {})) metadata.set(key, value);
  return metadata;
}
