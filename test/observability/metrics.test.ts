import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectorStreamService, type SyncResponse } from "../../gen/oktaconnector/v1/stream_pb.js";
import { OKTA_BUCKETS } from "../../src/okta/index.js";
import { startFakeOkta, type FakeOkta, type Stats } from "../fake-okta/index.js";
import { createGrpcJsClient, serverStreamAll } from "../support/grpc-client.js";
import { buildCliIfStale, type ServeProcess, startServeProcess } from "../support/serve-process.js";
import { httpGet, parsePrometheus, type Sample, servingLine, sumBy, sumOf } from "./support/observed-serve.js";

/** The simulator's bucket names against the connector's (okta/buckets.ts): the same partition of Okta's API. */
const SIM_TO_CONNECTOR_BUCKET: Readonly<Record<string, string>> = {
  users: OKTA_BUCKETS.users,
  "user-get": OKTA_BUCKETS.userGet,
  "user-write": OKTA_BUCKETS.userWrite,
  groups: OKTA_BUCKETS.groups,
  "group-id": OKTA_BUCKETS.group,
  apps: OKTA_BUCKETS.apps,
  "app-id": OKTA_BUCKETS.app,
  logs: OKTA_BUCKETS.logs,
  token: OKTA_BUCKETS.token,
  other: OKTA_BUCKETS.other,
};

const PHASES = ["resources", "entitlements", "grants"] as const;

let okta: FakeOkta;
let serve: ServeProcess;
let messages: SyncResponse[];
let simulator: Stats;
let samples: Sample[];
let scrape: { status: number; contentType: string; body: string };

beforeAll(async () => {
  await buildCliIfStale();
  // A 429 storm on the app listing makes the connector retry, so 429s and retries are counted too.
  okta = await startFakeOkta({ users: 60, seed: 5, faults: { stormRate: 0.5, buckets: ["apps"] } });
  serve = await startServeProcess(["--domain", okta.url, "--metrics-listen", "127.0.0.1:0", "--sync-custom-roles"], {
    withOktaArgs: false,
    env: { BATON_API_TOKEN: okta.tokens.super_admin },
  });
  const client = createGrpcJsClient(ConnectorStreamService, serve.address);
  try {
    messages = await serverStreamAll(client, ConnectorStreamService.method.sync, { batchSize: 100 });
  } finally {
    client.close();
  }
  // Every request the connector ever sent (the start-up credential check included) is in both counts.
  simulator = okta.stats();
  scrape = await httpGet(`http://${servingLine(serve).metrics}/metrics`);
  samples = parsePrometheus(scrape.body);
}, 180_000);

afterAll(async () => {
  await serve?.stop();
  await okta?.close();
});

describe("--metrics-listen: Prometheus /metrics after a full Sync against the simulated org", () => {
  it("serves the text format over plain HTTP/1.1", () => {
    expect(scrape.status).toBe(200);
    expect(scrape.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it("counts exactly the Okta requests the simulator answered, per bucket and per status", () => {
    expect(sumOf(samples, "okta_connector_okta_requests_total")).toBe(simulator.totals.calls);
    expect(sumBy(samples, "okta_connector_okta_requests_total", "status")).toEqual(simulator.totals.statuses);
    const simulatorByBucket = Object.fromEntries(Object.entries(simulator.buckets).map(([bucket, c]) => [SIM_TO_CONNECTOR_BUCKET[bucket], c.calls]));
    expect(sumBy(samples, "okta_connector_okta_requests_total", "bucket")).toEqual(simulatorByBucket);
  });

  it("counts the 429s and the retries they caused", () => {
    expect(simulator.totals.throttled).toBeGreaterThan(0);
    expect(sumOf(samples, "okta_connector_okta_rate_limited_total", { bucket: OKTA_BUCKETS.apps })).toBe(simulator.buckets["apps"]!.throttled);
    expect(sumOf(samples, "okta_connector_okta_rate_limited_total")).toBe(simulator.totals.throttled);
    // Nothing else failed, so every retry answered a 429.
    expect(sumOf(samples, "okta_connector_okta_retries_total")).toBe(simulator.totals.throttled);
  });

  it("reports each bucket's rate limit as the simulator set it, and what remains of it", () => {
    const limits = sumBy(samples, "okta_connector_okta_rate_limit_limit", "bucket");
    expect(limits[OKTA_BUCKETS.users]).toBe(600);
    expect(limits[OKTA_BUCKETS.other]).toBe(1200);
    const remaining = sumBy(samples, "okta_connector_okta_rate_limit_remaining", "bucket");
    expect(Object.keys(remaining).sort()).toEqual(Object.keys(limits).sort());
    for (const [bucket, left] of Object.entries(remaining)) {
      expect(left).toBeGreaterThanOrEqual(0);
      expect(left).toBeLessThan(limits[bucket]!);
    }
  });

  it("records sync phase progress equal to the Sync summary's counts", () => {
    const summary = messages.at(-1)?.event;
    if (summary?.case !== "summary") throw new Error("the Sync stream did not end with a summary");
    expect(summary.value.counts.length).toBeGreaterThan(3);
    for (const count of summary.value.counts) {
      const byPhase = PHASES.map((phase) => sumOf(samples, "okta_connector_sync_items_total", { resource_type: count.resourceTypeId, phase }));
      expect(byPhase).toEqual([Number(count.resources), Number(count.entitlements), Number(count.grants)]);
    }
    expect(sumOf(samples, "okta_connector_syncs_in_progress")).toBe(0);
    expect(sumOf(samples, "okta_connector_sync_last_batch_timestamp_seconds")).toBeGreaterThan(0);
  });

  it("records the Sync RPC's duration and code, and every message it streamed", () => {
    const sync = { service: "oktaconnector.v1.ConnectorStreamService", method: "Sync" };
    expect(sumOf(samples, "okta_connector_rpc_server_duration_seconds_count", { ...sync, code: "OK" })).toBe(1);
    expect(sumOf(samples, "okta_connector_rpc_server_stream_messages_sent_total", sync)).toBe(messages.length);
  });

  it("includes the process metrics", () => {
    expect(sumOf(samples, "process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(samples.some((s) => s.name === "nodejs_eventloop_lag_seconds")).toBe(true);
  });

  it("answers 404 off /metrics and 405 for a method other than GET or HEAD", async () => {
    const base = `http://${servingLine(serve).metrics}`;
    expect((await httpGet(`${base}/`)).status).toBe(404);
    expect((await httpGet(`${base}/metrics`, "POST")).status).toBe(405);
    expect(await httpGet(`${base}/metrics`, "HEAD")).toMatchObject({ status: 200, body: "" });
  });
});
