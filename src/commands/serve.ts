import { ServingStatus, createHealth } from "../server/health.js";
import { registerReflection } from "../server/reflection.js";
import { createConnectorServer } from "../server/create-server.js";
import { createBearerAuthInterceptor } from "../server/interceptors/auth.js";
import { createLoggingInterceptor } from "../server/interceptors/logging.js";
import { createLogger } from "../server/logger.js";
import { formatListenAddress, type Config } from "../config/index.js";
import { connectorProtoFiles, type ConnectorDefinition, registerConnectorServices } from "../protocol/index.js";
import { createOktaConnector } from "../connector/create-connector.js";
import { file_grpc_health_v1_health } from "../../gen/grpc/health/v1/health_pb.js";
import { file_grpc_reflection_v1_reflection } from "../../gen/grpc/reflection/v1/reflection_pb.js";
import { file_grpc_reflection_v1alpha_reflection } from "../../gen/grpc/reflection/v1alpha/reflection_pb.js";

/**
 * `okta-connector serve`: builds the connector from a validated Config, serves it, and drains
 * gracefully on SIGTERM or SIGINT (health NOT_SERVING, GOAWAY, streams finish within the grace period).
 */
export async function runServe(config: Config): Promise<void> {
  const logger = createLogger({ level: config.logLevel });
  const connector: ConnectorDefinition = {
    ...createOktaConnector(config, logger.child({ component: "okta" })).definition,
    // One line per provisioning call: operation, entitlement, principal, outcome, Okta request ids.
    audit: (entry) => logger.info({ audit: entry }, "provisioning"),
  };
  const health = createHealth();
  const interceptors = [createLoggingInterceptor(logger)];
  if (config.server.authToken !== undefined) interceptors.push(createBearerAuthInterceptor(config.server.authToken));

  const server = createConnectorServer({
    routes: (router) => {
      registerConnectorServices(router, connector);
      health.register(router);
      registerReflection(router, [
        ...connectorProtoFiles,
        file_grpc_health_v1_health,
        file_grpc_reflection_v1_reflection,
        file_grpc_reflection_v1alpha_reflection,
      ]);
    },
    interceptors,
    tls: config.server.tls,
    readMaxBytes: config.server.readMaxBytes,
    logger,
  });

  const bound = await server.listen(config.server.listen);
  health.setStatus("", ServingStatus.SERVING);
  logger.info({ listen: formatListenAddress(bound), tls: config.server.tls !== undefined, config }, "okta-connector serving");

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    health.setAll(ServingStatus.NOT_SERVING);
    server.shutdown(config.server.shutdownGraceMs).then(
      () => logger.flush(() => process.exit(0)),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        logger.flush(() => process.exit(1));
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
