import { setTimeout as sleep } from "node:timers/promises";
import type { Interceptor } from "@connectrpc/connect";
import { ServingStatus, createHealth } from "../server/health.js";
import { createHealthServer } from "../server/health-server.js";
import { registerReflection } from "../server/reflection.js";
import { createConnectorServer } from "../server/create-server.js";
import { createBearerAuthInterceptor } from "../server/interceptors/auth.js";
import { createLoggingInterceptor } from "../server/interceptors/logging.js";
import { createMetricsInterceptor } from "../server/interceptors/metrics.js";
import { createTracingInterceptor } from "../server/interceptors/tracing.js";
import { createLogger } from "../server/logger.js";
import { createConnectorMetrics } from "../server/metrics/connector-metrics.js";
import { createMetricsServer } from "../server/metrics/metrics-server.js";
import { createOktaMetricsObserver } from "../server/metrics/okta-metrics.js";
import { registerPrefetchMetrics } from "../server/metrics/prefetch-metrics.js";
import { LIVENESS_SERVICE, startReadiness } from "../server/readiness.js";
import { createOktaSpanObserver } from "../server/tracing/okta-spans.js";
import { createTracingFromConfig } from "../server/tracing/tracing.js";
import { formatListenAddress, type Config } from "../config/index.js";
import { connectorJsonTypes, connectorProtoFiles, type ConnectorDefinition, registerConnectorServices } from "../protocol/index.js";
import { createOktaConnector } from "../connector/create-connector.js";
import type { OktaRequestObserver } from "../okta/index.js";
import { file_grpc_health_v1_health } from "../../gen/grpc/health/v1/health_pb.js";
import { file_grpc_reflection_v1_reflection } from "../../gen/grpc/reflection/v1/reflection_pb.js";
import { file_grpc_reflection_v1alpha_reflection } from "../../gen/grpc/reflection/v1alpha/reflection_pb.js";

/**
 * How long start-up waits for the first credential check before logging "okta-connector serving".
 * A reachable Okta answers well within it, so the check's calls are over before anyone is told the
 * connector is up (and cannot mix with the first sync's); an unreachable one does not hold the line.
 */
const FIRST_CHECK_WAIT_MS = 5000;
/** The most the exit waits for queued spans to reach the collector. */
const TRACE_FLUSH_MS = 3000;

/**
 * `okta-connector serve`: builds the connector from a validated Config, serves it (plus the probe and
 * metrics ports when configured), turns ready once the Okta credential validates, and drains
 * gracefully on SIGTERM or SIGINT (readiness NOT_SERVING, GOAWAY, streams finish within the grace period).
 */
export async function runServe(config: Config): Promise<void> {
  const logger = createLogger({ level: config.logLevel });
  const metrics = config.server.metricsListen === undefined ? undefined : createConnectorMetrics();
  const tracing = config.tracing === undefined ? undefined : createTracingFromConfig(config.tracing);
  const oktaObservers: OktaRequestObserver[] = [];
  if (metrics) oktaObservers.push(createOktaMetricsObserver(metrics));
  if (tracing) oktaObservers.push(createOktaSpanObserver({ tracer: tracing.tracer, scope: tracing.scope, orgUrl: config.okta.orgUrl }));

  const connector: ConnectorDefinition = {
    ...createOktaConnector(config, logger.child({ component: "okta" }), { oktaObservers }).definition,
    // One line per provisioning call: operation, entitlement, principal, outcome, Okta request ids.
    audit: (entry) => logger.info({ audit: entry }, "provisioning"),
  };
  // Not ready until the credential has been validated (readiness.ts); alive from the start.
  const health = createHealth({ initialStatus: ServingStatus.NOT_SERVING });
  health.setStatus(LIVENESS_SERVICE, ServingStatus.SERVING);

  // Tracing outermost so its span covers the others; metrics before auth so refusals are counted.
  const interceptors: Interceptor[] = [];
  if (tracing) interceptors.push(createTracingInterceptor(tracing));
  interceptors.push(createLoggingInterceptor(logger));
  if (metrics) interceptors.push(createMetricsInterceptor(metrics));
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
    jsonTypes: connectorJsonTypes,
  });
  const prefetch = connector.pagePrefetch;
  if (metrics && prefetch) registerPrefetchMetrics(metrics.registry, () => prefetch.stats());
  const healthServer = config.server.healthListen === undefined ? undefined : createHealthServer({ health, logger: logger.child({ listener: "health" }) });
  const metricsServer = metrics === undefined ? undefined : createMetricsServer({ registry: metrics.registry, logger });

  const bound = await server.listen(config.server.listen);
  const healthBound = healthServer && config.server.healthListen ? await healthServer.listen(config.server.healthListen, "health-listen") : undefined;
  const metricsBound = metricsServer && config.server.metricsListen ? await metricsServer.listen(config.server.metricsListen) : undefined;

  const readiness = startReadiness({ health, check: (signal) => connector.validate({ signal }), logger });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    readiness.stop();
    // The probe port keeps answering (NOT_SERVING) through the drain, so the kubelet sees the change.
    health.setAll(ServingStatus.NOT_SERVING, { except: [LIVENESS_SERVICE] });
    const drain = async () => {
      await server.shutdown(config.server.shutdownGraceMs);
      // No prefetch outlives the server: those in flight are aborted, pages held are counted as wasted.
      if (prefetch) {
        prefetch.close();
        logger.info({ pagedPrefetch: prefetch.stats() }, "paged prefetch");
      }
      await healthServer?.shutdown(0);
      await metricsServer?.close();
      // Spans still queued go out now; an unreachable collector must not hold the exit past the grace period.
      if (tracing) await settledWithin(tracing.shutdown(), TRACE_FLUSH_MS);
    };
    drain().then(
      () => logger.flush(() => process.exit(0)),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        logger.flush(() => process.exit(1));
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));

  await settledWithin(readiness.firstAttempt, FIRST_CHECK_WAIT_MS);
  if (stopping) return;
  logger.info(
    {
      listen: formatListenAddress(bound),
      ...(healthBound ? { health: formatListenAddress(healthBound) } : {}),
      ...(metricsBound ? { metrics: formatListenAddress(metricsBound) } : {}),
      ready: health.getStatus("") === ServingStatus.SERVING,
      tls: config.server.tls !== undefined,
      tracing: config.tracing !== undefined,
      config,
    },
    "okta-connector serving",
  );
}

/** Waits for `promise` to settle, or `ms`, whichever comes first; never rejects. */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  const timer = new AbortController();
  await Promise.race([promise.then(() => undefined, () => undefined), sleep(ms, undefined, { signal: timer.signal }).catch(() => undefined)]);
  timer.abort();
}
