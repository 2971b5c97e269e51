import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { ConnectorMetrics } from "../metrics/connector-metrics.js";
import { isSyncMethod, recordSyncMessage } from "../metrics/sync-metrics.js";
import { observeStream } from "./observe-stream.js";

/**
 * Records every RPC in Prometheus: its duration and final code by service and method, the messages
 * it streamed, and, for Sync, the phase progress its batches carry. As in the logging interceptor, a
 * stream ends when its wrapped message iterable finishes, not when `next()` returns.
 */
export function createMetricsInterceptor(metrics: ConnectorMetrics): Interceptor {
  return (next) => async (req) => {
    const service = req.service.typeName;
    const method = req.method.name;
    const stopTimer = metrics.rpc.duration.startTimer({ service, method });
    const sync = isSyncMethod(service, method);
    if (sync) metrics.sync.inProgress.inc();
    const finish = (error: unknown) => {
      stopTimer({ code: error === undefined ? "OK" : codeLabel(ConnectError.from(error).code) });
      if (sync) metrics.sync.inProgress.dec();
    };
    let res;
    try {
      res = await next(req);
    } catch (error) {
      finish(error);
      throw error;
    }
    if (!res.stream) {
      finish(undefined);
      return res;
    }
    return {
      ...res,
      message: observeStream(res.message, {
        onMessage: (message) => {
          metrics.rpc.messagesSent.inc({ service, method });
          if (sync) recordSyncMessage(metrics, message);
        },
        onEnd: finish,
      }),
    };
  };
}

/** gRPC code names as grpc-go and the Prometheus grpc exporters spell them: `OK`, `NOT_FOUND`, … */
function codeLabel(code: Code): string {
  const name = Code[code];
  return name === undefined ? String(code) : name.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? c : `_${c}`)).toUpperCase();
}
