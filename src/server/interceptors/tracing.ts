import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, type TextMapGetter, trace } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import type { Tracing } from "../tracing/tracing.js";
import { observeStream } from "./observe-stream.js";

/** Reads W3C `traceparent`/`tracestate` from the request's Fetch `Headers`. */
const headerGetter: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
};

/**
 * The gRPC codes that mark a server span as failed, per OpenTelemetry's RPC conventions: a client's
 * mistake (NOT_FOUND, INVALID_ARGUMENT, UNAUTHENTICATED, …) is not the server's error.
 */
const SERVER_ERROR_CODES: ReadonlySet<Code> = new Set([Code.Unknown, Code.DeadlineExceeded, Code.Unimplemented, Code.Internal, Code.Unavailable, Code.DataLoss]);

/**
 * One SERVER span per RPC, named `service/method`, continuing the caller's W3C trace context when it
 * sends one. The span is active while the handler runs (and, for streams, while each message is
 * produced), so Okta calls become its children. Attributes are the RPC's name, its gRPC status code
 * and the messages it streamed; never a header, a request field or an error's cause.
 */
export function createTracingInterceptor(tracing: Pick<Tracing, "tracer" | "scope">): Interceptor {
  const propagator = new W3CTraceContextPropagator();
  return (next) => async (req) => {
    const parent = propagator.extract(ROOT_CONTEXT, req.header, headerGetter);
    const span = tracing.tracer.startSpan(
      `${req.service.typeName}/${req.method.name}`,
      { kind: SpanKind.SERVER, attributes: { "rpc.system": "grpc", "rpc.service": req.service.typeName, "rpc.method": req.method.name } },
      parent,
    );
    const context = trace.setSpan(parent, span);
    let res;
    try {
      res = await tracing.scope.run(context, () => next(req));
    } catch (error) {
      endSpan(span, error);
      throw error;
    }
    if (!res.stream) {
      endSpan(span, undefined);
      return res;
    }
    let sent = 0;
    return {
      ...res,
      message: observeStream(tracing.scope.bindStream(context, res.message), {
        onMessage: () => sent++,
        onEnd: (error) => {
          span.setAttribute("rpc.message.sent_count", sent);
          endSpan(span, error);
        },
      }),
    };
  };
}

function endSpan(span: Span, error: unknown): void {
  const code = error === undefined ? undefined : ConnectError.from(error).code;
  // gRPC's OK is 0, which connect's Code enum leaves out.
  span.setAttribute("rpc.grpc.status_code", code ?? 0);
  if (code !== undefined && SERVER_ERROR_CODES.has(code)) {
    // Only our own ConnectError messages are written for clients; anything else may carry internals.
    const message = error instanceof ConnectError ? error.rawMessage : Code[code];
    span.setStatus({ code: SpanStatusCode.ERROR, message });
  }
  span.end();
}
