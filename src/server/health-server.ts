import { createRegistry } from "@bufbuild/protobuf";
import type { Logger } from "pino";
import { createConnectorServer, type ConnectorServer } from "./create-server.js";
import type { Health } from "./health.js";

/**
 * The probe port (--health-listen): plaintext h2c serving grpc.health.v1 and nothing else. The
 * kubelet's gRPC probe dials the pod IP without TLS or credentials, so this port can be bound to
 * 0.0.0.0 while the connector itself stays on loopback or behind mTLS. Any other service answers
 * UNIMPLEMENTED (the router has no route for it), so the port reveals no org data.
 */
export function createHealthServer(options: { readonly health: Health; readonly logger: Logger }): ConnectorServer {
  return createConnectorServer({
    routes: (router) => options.health.register(router),
    interceptors: [],
    tls: undefined,
    // A HealthCheckRequest is a service name; nothing legitimate comes near this.
    readMaxBytes: 4096,
    logger: options.logger,
    // Health messages hold no Any.
    jsonTypes: createRegistry(),
  });
}
