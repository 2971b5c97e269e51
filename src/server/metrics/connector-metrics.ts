import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * Every Prometheus series the connector exports, on a registry of its own (never prom-client's global
 * one, so two connectors in one test process do not share counts).
 *
 * Label sets are small and closed: gRPC service, method and code; Okta rate-limit bucket (okta/buckets.ts,
 * about ten) and HTTP status; resource type and sync phase. No label carries an id, a login or a path
 * with ids, so the series count stays bounded however large the org is.
 */
export interface ConnectorMetrics {
  readonly registry: Registry;
  readonly rpc: {
    /** Seconds from the request to the end of the response (the last message, for streams). */
    readonly duration: Histogram<"service" | "method" | "code">;
    readonly messagesSent: Counter<"service" | "method">;
  };
  readonly okta: {
    /** Every attempt, retries and token requests included; `status` is the HTTP status or why none came. */
    readonly requests: Counter<"bucket" | "status">;
    readonly duration: Histogram<"bucket">;
    readonly rateLimitRemaining: Gauge<"bucket">;
    readonly rateLimitLimit: Gauge<"bucket">;
    readonly rateLimitReset: Gauge<"bucket">;
    readonly rateLimited: Counter<"bucket">;
    readonly retries: Counter<"bucket">;
    readonly paced: Counter<"bucket">;
    readonly pacingWait: Counter<"bucket">;
  };
  readonly sync: {
    readonly items: Counter<"resource_type" | "phase">;
    readonly inProgress: Gauge;
    readonly lastBatch: Gauge;
  };
}

export interface ConnectorMetricsOptions {
  /** Adds prom-client's process_* and nodejs_* series (CPU, RSS, heap, event-loop lag). Default true. */
  readonly processMetrics?: boolean;
}

/** Long enough for a whole-org Sync stream, fine enough for a unary call. */
const RPC_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 1800, 3600];
/** Okta answers in tens of milliseconds; a slow page of 200 users with a large profile takes seconds. */
const OKTA_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Creates the registry and every series on it. */
export function createConnectorMetrics(options: ConnectorMetricsOptions = {}): ConnectorMetrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const perBucket = (name: string, help: string) => new Counter({ name, help, labelNames: ["bucket"] as const, registers });
  const bucketGauge = (name: string, help: string) => new Gauge({ name, help, labelNames: ["bucket"] as const, registers });
  return {
    registry,
    rpc: {
      duration: new Histogram({
        name: "okta_connector_rpc_server_duration_seconds",
        help: "gRPC calls served: duration until the last response message, by service, method and status code",
        labelNames: ["service", "method", "code"] as const,
        buckets: RPC_BUCKETS,
        registers,
      }),
      messagesSent: new Counter({
        name: "okta_connector_rpc_server_stream_messages_sent_total",
        help: "Messages sent on server-streaming calls, by service and method",
        labelNames: ["service", "method"] as const,
        registers,
      }),
    },
    okta: {
      requests: new Counter({
        name: "okta_connector_okta_requests_total",
        help: "HTTP requests sent to Okta (retries and OAuth token requests included), by rate-limit bucket and HTTP status (or timeout, network, cancelled, malformed-body)",
        labelNames: ["bucket", "status"] as const,
        registers,
      }),
      duration: new Histogram({
        name: "okta_connector_okta_request_duration_seconds",
        help: "Duration of one Okta request attempt, body included, by rate-limit bucket",
        labelNames: ["bucket"] as const,
        buckets: OKTA_BUCKETS,
        registers,
      }),
      rateLimitRemaining: bucketGauge("okta_connector_okta_rate_limit_remaining", "X-Rate-Limit-Remaining of the latest Okta answer in each bucket"),
      rateLimitLimit: bucketGauge("okta_connector_okta_rate_limit_limit", "X-Rate-Limit-Limit of the latest Okta answer in each bucket"),
      rateLimitReset: bucketGauge("okta_connector_okta_rate_limit_reset_timestamp_seconds", "When each bucket's window resets (X-Rate-Limit-Reset against Okta's Date), Unix seconds"),
      rateLimited: perBucket("okta_connector_okta_rate_limited_total", "Okta answers with status 429, by bucket"),
      retries: perBucket("okta_connector_okta_retries_total", "Okta request attempts that were retries (after a 429, 5xx, reset or timeout), by bucket"),
      paced: perBucket("okta_connector_okta_paced_total", "Okta requests held back by pacing to stay under the bucket's limit"),
      pacingWait: perBucket("okta_connector_okta_pacing_wait_seconds_total", "Seconds Okta requests waited for pacing, by bucket"),
    },
    sync: {
      items: new Counter({
        name: "okta_connector_sync_items_total",
        help: "Items sent by Sync streams, by resource type and phase (resources, entitlements, grants)",
        labelNames: ["resource_type", "phase"] as const,
        registers,
      }),
      inProgress: new Gauge({ name: "okta_connector_syncs_in_progress", help: "Sync streams running now", registers }),
      lastBatch: new Gauge({
        name: "okta_connector_sync_last_batch_timestamp_seconds",
        help: "When a Sync stream last sent a batch, Unix seconds (a sync in progress whose value stops moving is stuck)",
        registers,
      }),
    },
  };
}
