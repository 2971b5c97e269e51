import type * as http2 from "node:http2";
import type { ConnectRouter } from "@connectrpc/connect";
import type { UniversalHandler, UniversalServerResponse } from "@connectrpc/connect/protocol";

type NodeHandler = (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void;

/** connect's prefix for a request message protobuf-es could not decode (protocol/serialization.js). */
const PARSE_FAILURE_PREFIX = "parse binary: ";

/**
 * Answers a request whose bytes do not decode (invalid UTF-8 in a string field, a truncated
 * message) with INVALID_ARGUMENT instead of INTERNAL. connect-node decodes before any handler or
 * interceptor runs and reports the failure as INTERNAL, as grpc-go does; but the fault is the
 * caller's, and an engine must not read INTERNAL as the connector being broken (issue 8 §3). The
 * rewrite happens where connect-node hands the gRPC trailers to Node, and touches only that one
 * status: everything connect-node sends otherwise passes through unchanged.
 */
export function answerUndecodableRequestsAsInvalidArgument(handler: NodeHandler): NodeHandler {
  return (req, res) => {
    const addTrailers = res.addTrailers.bind(res);
    res.addTrailers = (trailers: http2.OutgoingHttpHeaders) => addTrailers(rewriteParseFailure(trailers));
    handler(req, res);
  };
}

/** The trailers with a parse failure turned into INVALID_ARGUMENT naming the request; others unchanged. */
export function rewriteParseFailure(trailers: http2.OutgoingHttpHeaders): http2.OutgoingHttpHeaders {
  if (String(trailers["grpc-status"]) !== "13") return trailers;
  const message = decodeGrpcMessage(String(trailers["grpc-message"] ?? ""));
  if (!message.startsWith(PARSE_FAILURE_PREFIX)) return trailers;
  return { ...trailers, "grpc-status": "3", "grpc-message": encodeURIComponent(invalidArgumentMessage(message)) };
}

function invalidArgumentMessage(parseFailure: string): string {
  return `request: not a valid protobuf message for this method: ${parseFailure.slice(PARSE_FAILURE_PREFIX.length)}`;
}

/**
 * The same rewrite for the Connect and gRPC-web protocols, which the main port serves too: their
 * errors travel in the body (Connect unary: a JSON body and an HTTP status; Connect streaming: the
 * end-of-stream envelope; gRPC-web: the trailer envelope), not in HTTP/2 trailers. The router's
 * handlers are wrapped so that a response whose first body chunk is that one error is rewritten;
 * a request that failed to decode never produced any other output, and every other response passes
 * through untouched.
 */
export function routesAnsweringUndecodableRequestsAsInvalidArgument(routes: (router: ConnectRouter) => void): (router: ConnectRouter) => void {
  return (router) => {
    routes(router);
    const handlers = router.handlers;
    for (let i = 0; i < handlers.length; i++) {
      const original = handlers[i]!;
      handlers[i] = Object.assign(async (req: Parameters<UniversalHandler>[0]) => rewriteUndecodableResponse(await original(req)), original);
    }
  };
}

/** `response`, with a parse failure of the Connect or gRPC-web protocol turned into INVALID_ARGUMENT. */
export async function rewriteUndecodableResponse(response: UniversalServerResponse): Promise<UniversalServerResponse> {
  const type = response.header?.get("content-type") ?? "";
  const connectUnary = type.startsWith("application/json") && response.status === 500;
  const connectStream = type.startsWith("application/connect+");
  const grpcWeb = type.startsWith("application/grpc-web");
  if (response.body === undefined || response.header?.has("content-encoding") || !(connectUnary || connectStream || grpcWeb)) return response;
  // The first chunk is there already (connect resolves a response only once its first bytes are),
  // and it must be read before answering: a Connect unary error's HTTP status goes out before it.
  const iterator = response.body[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done === true) return { ...response, body: rest(iterator) };
  const chunk = first.value;
  const rewritten = connectUnary
    ? rewriteConnectError(chunk, (json) => json)
    : connectStream
      ? rewriteEnvelope(chunk, END_STREAM_FLAG, (data) => rewriteConnectError(data, (json) => (json as { error?: unknown }).error))
      : rewriteEnvelope(chunk, GRPC_WEB_TRAILER_FLAG, rewriteGrpcWebTrailer);
  if (rewritten === undefined) return { ...response, body: rest(iterator, chunk) };
  if (!connectUnary) return { ...response, body: rest(iterator, rewritten) };
  const header = new Headers(response.header);
  header.set("content-length", String(rewritten.byteLength));
  // Connect's HTTP status for invalid_argument.
  return { ...response, status: 400, header, body: rest(iterator, rewritten) };
}

const END_STREAM_FLAG = 0x02;
const GRPC_WEB_TRAILER_FLAG = 0x80;
const COMPRESSED_FLAG = 0x01;

async function* rest(iterator: AsyncIterator<Uint8Array>, first?: Uint8Array): AsyncGenerator<Uint8Array> {
  if (first !== undefined) yield first;
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) return;
    yield next.value;
  }
}

/** A Connect error JSON (`{code, message}` found in the document by `errorOf`) rewritten, or undefined. */
function rewriteConnectError(bytes: Uint8Array, errorOf: (json: unknown) => unknown): Uint8Array | undefined {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
  const error = errorOf(json) as { code?: unknown; message?: unknown } | undefined;
  if (typeof error !== "object" || error === null || error.code !== "internal" || typeof error.message !== "string" || !error.message.startsWith(PARSE_FAILURE_PREFIX)) return undefined;
  error.code = "invalid_argument";
  error.message = invalidArgumentMessage(error.message);
  return new TextEncoder().encode(JSON.stringify(json));
}

/** gRPC-web's trailer block (`grpc-status: 13\r\ngrpc-message: …\r\n`) rewritten, or undefined. */
function rewriteGrpcWebTrailer(bytes: Uint8Array): Uint8Array | undefined {
  const lines = new TextDecoder().decode(bytes).split("\r\n").filter((line) => line !== "");
  const fields = lines.map((line) => [line.slice(0, line.indexOf(":")).trim().toLowerCase(), line.slice(line.indexOf(":") + 1).trim()] as const);
  const rewritten = rewriteParseFailure(Object.fromEntries(fields));
  if (rewritten["grpc-status"] !== "3") return undefined;
  return new TextEncoder().encode(Object.entries(rewritten).map(([key, value]) => `${key}: ${String(value)}\r\n`).join(""));
}

/** A chunk holding exactly one uncompressed envelope with `flag`, its data rewritten; else undefined. */
function rewriteEnvelope(chunk: Uint8Array, flag: number, rewrite: (data: Uint8Array) => Uint8Array | undefined): Uint8Array | undefined {
  if (chunk.byteLength < 5 || (chunk[0]! & flag) === 0 || (chunk[0]! & COMPRESSED_FLAG) !== 0) return undefined;
  const length = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength).getUint32(1);
  if (chunk.byteLength !== 5 + length) return undefined;
  const data = rewrite(chunk.subarray(5));
  if (data === undefined) return undefined;
  const out = new Uint8Array(5 + data.byteLength);
  out[0] = chunk[0]!;
  new DataView(out.buffer).setUint32(1, data.byteLength);
  out.set(data, 5);
  return out;
}

function decodeGrpcMessage(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
