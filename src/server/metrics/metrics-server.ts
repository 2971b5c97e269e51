import * as http from "node:http";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { TcpListenAddress } from "../../config/index.js";
import { listenError } from "../listen-error.js";

export interface MetricsServer {
  /** Binds and resolves with the address actually bound (port 0 becomes the chosen port). */
  listen(address: TcpListenAddress): Promise<TcpListenAddress>;
  /** Stops accepting scrapes and closes idle keep-alive connections. */
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` in the Prometheus text format over plain HTTP/1.1. It is a port of its own
 * because Node's cleartext HTTP/2 server (the gRPC port) cannot answer HTTP/1.1, which is what
 * Prometheus scrapes with. Anything else is 404; a method other than GET or HEAD is 405.
 */
export function createMetricsServer(options: { readonly registry: Registry; readonly logger: Logger }): MetricsServer {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found: metrics are at /metrics\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end("method not allowed\n");
      return;
    }
    options.registry.metrics().then(
      (body) => {
        res.writeHead(200, { "content-type": options.registry.contentType });
        res.end(req.method === "HEAD" ? undefined : body);
      },
      (error: unknown) => {
        options.logger.error({ err: error }, "collecting metrics failed");
        res.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end("collecting metrics failed\n");
      },
    );
  });
  // A scraper that connects and sends nothing must not hold a socket forever.
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;

  return {
    listen(address) {
      return new Promise((resolve, reject) => {
        const onError = (error: NodeJS.ErrnoException) => reject(listenError(error, address, "metrics-listen"));
        server.once("error", onError);
        server.listen(address.port, address.host, () => {
          server.off("error", onError);
          const bound = server.address();
          resolve({ kind: "tcp", host: address.host, port: bound !== null && typeof bound === "object" ? bound.port : address.port });
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}
