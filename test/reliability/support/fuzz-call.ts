import * as grpc from "@grpc/grpc-js";
import { create, type DescMethod, type DescService, type MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";

/** connect's Code enum has no member for success; gRPC status 0 is OK. */
export const OK = 0 as Code;

/** How one call ended, as the oracle reads it. */
export interface CallOutcome {
  readonly code: Code;
  /** The status message without connect's "[code]" prefix. */
  readonly message: string;
  /** Response messages received (a stream is cut after `maxMessages`). */
  readonly messages: number;
}

/** Longest a fuzzed call may take; a hang ends as DEADLINE_EXCEEDED, which no oracle allows. */
const CALL_TIMEOUT_MS = 20_000;

type AnyClient = Record<string, (...args: unknown[]) => unknown>;

/**
 * Calls any method of any service with a typed request through connect (the reference engine's
 * client). Server streams that answer are read for at most `maxMessages` and then cancelled, so a
 * valid Sync request does not walk the whole org.
 */
export function createTypedCaller(transport: Transport) {
  const clients = new Map<string, AnyClient>();
  const clientOf = (service: DescService): AnyClient => {
    let client = clients.get(service.typeName);
    if (!client) {
      client = createClient(service, transport) as unknown as AnyClient;
      clients.set(service.typeName, client);
    }
    return client;
  };

  return async function call(method: DescMethod, init: MessageInitShape<DescMethod["input"]>, maxMessages = 2): Promise<CallOutcome> {
    const request = create(method.input, init);
    const fn = clientOf(method.parent)[method.localName]!;
    const abort = new AbortController();
    let messages = 0;
    try {
      switch (method.methodKind) {
        case "unary":
          await fn(request, { timeoutMs: CALL_TIMEOUT_MS });
          return { code: OK, message: "", messages: 1 };
        case "server_streaming": {
          const stream = fn(request, { timeoutMs: CALL_TIMEOUT_MS, signal: abort.signal }) as AsyncIterable<unknown>;
          for await (const _ of stream) if (++messages >= maxMessages) break;
          return { code: OK, message: "", messages };
        }
        case "bidi_streaming":
        case "client_streaming": {
          async function* one() {
            yield request;
          }
          const result = fn(one(), { timeoutMs: CALL_TIMEOUT_MS, signal: abort.signal });
          if (method.methodKind === "client_streaming") {
            await result;
            return { code: OK, message: "", messages: 1 };
          }
          for await (const _ of result as AsyncIterable<unknown>) if (++messages >= maxMessages) break;
          return { code: OK, message: "", messages };
        }
      }
    } catch (error) {
      const failure = ConnectError.from(error);
      return { code: failure.code, message: failure.rawMessage, messages };
    } finally {
      abort.abort();
    }
  };
}

/**
 * Sends raw request bytes with grpc-js (a second, independent gRPC implementation), for input that
 * protobuf-es would never produce: invalid UTF-8 in a string field, truncated messages, unknown
 * fields, oversize frames. Streams are read for at most `maxMessages` and then cancelled.
 */
export function createRawCaller(address: string) {
  const client = new grpc.Client(address, grpc.credentials.createInsecure(), {
    // Lets the oversize case reach the server, whose own 4 MiB limit must answer it.
    "grpc.max_send_message_length": 16 * 1024 * 1024,
  });
  const identity = (b: Buffer): Buffer => b;

  const call = (method: DescMethod, bytes: Uint8Array, maxMessages = 2): Promise<CallOutcome> => {
    const path = `/${method.parent.typeName}/${method.name}`;
    const deadline = Date.now() + CALL_TIMEOUT_MS;
    const payload = Buffer.from(bytes);
    return new Promise((resolve) => {
      const end = (error: grpc.ServiceError | null, messages: number) =>
        resolve(error === null ? { code: OK, message: "", messages } : { code: error.code as number as Code, message: decodeGrpcMessage(error.details), messages });
      if (method.methodKind === "unary") {
        client.makeUnaryRequest(path, identity, identity, payload, new grpc.Metadata(), { deadline }, (error) => end(error, error ? 0 : 1));
        return;
      }
      const stream =
        method.methodKind === "server_streaming"
          ? client.makeServerStreamRequest(path, identity, identity, payload, new grpc.Metadata(), { deadline })
          : client.makeBidiStreamRequest(path, identity, identity, new grpc.Metadata(), { deadline });
      if (method.methodKind !== "server_streaming") {
        const duplex = stream as grpc.ClientDuplexStream<Buffer, Buffer>;
        duplex.write(payload);
        duplex.end();
      }
      let messages = 0;
      let cancelled = false;
      stream.on("data", () => {
        if (++messages >= maxMessages && !cancelled) {
          cancelled = true;
          stream.cancel();
        }
      });
      stream.on("error", (error: grpc.ServiceError) => end(cancelled && error.code === grpc.status.CANCELLED ? null : error, messages));
      stream.on("status", (status: grpc.StatusObject) => {
        if (status.code === grpc.status.OK) end(null, messages);
      });
    });
  };
  return { call, close: () => client.close() };
}

/**
 * grpc-js decodes grpc-message with decodeURI, which leaves reserved characters (`%3A` for ":")
 * percent-encoded; the gRPC spec percent-encodes every byte outside printable ASCII, so decode fully.
 */
function decodeGrpcMessage(details: string): string {
  try {
    return decodeURIComponent(details);
  } catch {
    return details;
  }
}

/** A protobuf field with wire type 2 (length-delimited) and the raw bytes given, for splicing into a message. */
export function lengthDelimitedField(fieldNumber: number, bytes: Uint8Array): Uint8Array {
  return Buffer.concat([varint((fieldNumber << 3) | 2), varint(bytes.length), Buffer.from(bytes)]);
}

function varint(value: number): Buffer {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}
