import * as http2 from "node:http2";
import { setTimeout as sleep } from "node:timers/promises";
import type { Registry } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter, type Interceptor } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import type { Logger } from "pino";
import type { ListenAddress, TlsFiles } from "../config/index.js";
import { clientSubjectContextValues, createClientSubjectInterceptor } from "./interceptors/client-subject.js";
import { listenError } from "./listen-error.js";
import { answerUndecodableRequestsAsInvalidArgument, routesAnsweringUndecodableRequestsAsInvalidArgument } from "./undecodable-requests.js";

export interface ConnectorServerOptions {
  /** Registers every service the server offers. */
  readonly routes: (router: ConnectRouter) => void;
  /** Outermost first: auth must come after logging so refused calls are logged too. */
  readonly interceptors: readonly Interceptor[];
  readonly tls: TlsFiles | undefined;
  readonly readMaxBytes: number;
  readonly logger: Logger;
  /**
   * Every message an `Any` in a response can hold. Annotations are `Any`s, and their JSON form names
   * the packed message's fields, so the JSON codec (Connect and gRPC-web with application/json)
   * cannot write a response holding one it does not know.
   */
  readonly jsonTypes: Registry;
}

export interface ConnectorServer {
  /**
   * Binds and resolves with the address actually bound (port 0 becomes the chosen port). `flag` is the
   * option a bind failure tells the operator to change (default "listen").
   */
  listen(address: ListenAddress, flag?: string): Promise<ListenAddress>;
  /**
   * Graceful drain: stop accepting connections, send GOAWAY, let streams in flight finish within
   * `graceMs`, then fail whatever is left with UNAVAILABLE "server shutting down" and close.
   */
  shutdown(graceMs: number): Promise<void>;
  /** Aborts when the grace period has run out; every handler's ctx.signal follows it. */
  readonly shutdownSignal: AbortSignal;
}

/**
 * An HTTP/2 gRPC server: cleartext h2c by default, TLS with a cert, mTLS with a client CA, and with
 * `tls.clientSubjects` only the pinned client certificate subjects past health and reflection.
 */
export function createConnectorServer(options: ConnectorServerOptions): ConnectorServer {
  const shutdownController = new AbortController();
  const tls = options.tls;
  // Subject pinning is innermost, after the caller's interceptors, so logging and metrics see its refusals.
  const pinnedSubjects = tls?.clientCa !== undefined && tls.clientSubjects.length > 0 ? tls.clientSubjects : undefined;
  const handler = answerUndecodableRequestsAsInvalidArgument(connectNodeAdapter({
    routes: routesAnsweringUndecodableRequestsAsInvalidArgument(options.routes),
    interceptors: pinnedSubjects ? [...options.interceptors, createClientSubjectInterceptor(pinnedSubjects)] : [...options.interceptors],
    ...(pinnedSubjects ? { contextValues: clientSubjectContextValues } : {}),
    readMaxBytes: options.readMaxBytes,
    jsonOptions: { registry: options.jsonTypes },
    // Responses are built by us and bounded by the protocol layer; the cap only catches a bug.
    writeMaxBytes: 64 * 1024 * 1024,
    shutdownSignal: shutdownController.signal,
  }));
  const server = tls
    ? http2.createSecureServer(
        {
          cert: tls.cert,
          key: tls.key,
          ...(tls.clientCa ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
        },
        handler,
      )
    : http2.createServer({}, handler);

  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });

  let shutdownPromise: Promise<void> | undefined;

  return {
    shutdownSignal: shutdownController.signal,

    listen(address, flag = "listen") {
      return new Promise<ListenAddress>((resolve, reject) => {
        const onError = (error: NodeJS.ErrnoException) => reject(listenError(error, address, flag));
        server.once("error", onError);
        const onListening = () => {
          server.off("error", onError);
          const bound = server.address();
          if (address.kind === "tcp" && bound !== null && typeof bound === "object") {
            resolve({ kind: "tcp", host: address.host, port: bound.port });
          } else {
            resolve(address);
          }
        };
        if (address.kind === "unix") server.listen(address.path, onListening);
        else server.listen(address.port, address.host, onListening);
      });
    },

    shutdown(graceMs) {
      shutdownPromise ??= drain(graceMs);
      return shutdownPromise;
    },
  };

  async function drain(graceMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const session of sessions) session.close();
    options.logger.info({ sessions: sessions.size, graceMs }, "draining: GOAWAY sent, waiting for streams in flight");
    const graceTimer = new AbortController();
    const graceElapsed = sleep(graceMs, "grace", { signal: graceTimer.signal }).catch(() => "cancelled");
    const first = await Promise.race([closed.then(() => "closed"), graceElapsed]);
    graceTimer.abort();
    if (first !== "closed") {
      options.logger.warn({ sessions: sessions.size }, "grace period over: failing remaining streams with UNAVAILABLE");
      shutdownController.abort(new ConnectError("server shutting down", Code.Unavailable));
      // Give handlers a moment to write their UNAVAILABLE trailers before the sockets go.
      const flushTimer = new AbortController();
      await Promise.race([closed, sleep(1000, undefined, { signal: flushTimer.signal }).catch(() => undefined)]);
      flushTimer.abort();
      for (const session of sessions) session.destroy();
      await closed;
    }
    options.logger.info("server closed");
  }
}
