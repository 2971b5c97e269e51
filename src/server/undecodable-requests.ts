import type * as http2 from "node:http2";

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
  const reason = message.slice(PARSE_FAILURE_PREFIX.length);
  return { ...trailers, "grpc-status": "3", "grpc-message": encodeURIComponent(`request: not a valid protobuf message for this method: ${reason}`) };
}

function decodeGrpcMessage(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
