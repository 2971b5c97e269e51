import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Logger } from "pino";
import { observeStream } from "./observe-stream.js";

/**
 * Writes exactly one log line per RPC when it ends: service, method, gRPC code, duration and, for
 * streams, how many messages went each way. For a streaming response `next()` returns before the
 * stream ends, so the line is written when the wrapped response iterable finishes.
 *
 * Failures that are not ConnectErrors reach the client as INTERNAL without their message (connect's
 * behaviour); here the original error is logged at error level so it is not lost.
 */
export function createLoggingInterceptor(logger: Logger): Interceptor {
  return (next) => async (req) => {
    const started = performance.now();
    const base = { rpc: { service: req.service.typeName, method: req.method.name } };
    let received = 0;
    if (req.stream) {
      const messages = req.message;
      req = {
        ...req,
        message: (async function* () {
          for await (const m of messages) {
            received++;
            yield m;
          }
        })(),
      };
    }
    const finish = (error: unknown, sent: number | undefined) => {
      const durationMs = Math.round((performance.now() - started) * 10) / 10;
      const code = error === undefined ? "ok" : codeName(ConnectError.from(error).code);
      const line = {
        ...base,
        code,
        durationMs,
        ...(req.stream ? { received } : {}),
        ...(sent !== undefined ? { sent } : {}),
      };
      if (error === undefined) {
        logger.info(line, "rpc");
      } else if (error instanceof ConnectError || (error instanceof Error && error.name === "ConnectError")) {
        logger.info({ ...line, error: (error as ConnectError).rawMessage }, "rpc");
      } else if (req.signal.aborted) {
        // The caller cancelled or went away: writing to its closed stream fails with a plain Error
        // ("The stream has been destroyed"), which is the caller's doing, not a connector fault.
        logger.info({ ...line, code: "canceled", error: error instanceof Error ? error.message : String(error) }, "rpc");
      } else {
        logger.error({ ...line, err: error }, "rpc failed unexpectedly");
      }
    };
    let res;
    try {
      res = await next(req);
    } catch (error) {
      finish(error, undefined);
      throw error;
    }
    if (!res.stream) {
      finish(undefined, undefined);
      return res;
    }
    let sent = 0;
    return {
      ...res,
      message: observeStream(res.message, { onMessage: () => sent++, onEnd: (error) => finish(error, sent) }),
    };
  };
}

function codeName(code: Code): string {
  const name = Code[code];
  return name === undefined ? String(code) : name.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? c.toLowerCase() : `_${c.toLowerCase()}`));
}
