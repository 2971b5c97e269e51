import { toBinary } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EntitlementSchema } from "../../gen/c1/connector/v2/entitlement_pb.js";
import { GrantSchema } from "../../gen/c1/connector/v2/grant_pb.js";
import { ResourceSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import { type ConnectorClients, createConnectorClients } from "../../src/engine/connector-client.js";
import { type FakeOkta, startFakeOkta } from "../fake-okta/index.js";
import { startServeProcess, type ServeProcess } from "../support/serve-process.js";

/**
 * The streamed Sync reads Okta concurrently (its look-ahead runs across resources and types) while it
 * emits serially. Resuming from any resume_cursor it sent must give exactly what the clean sync sent
 * after that batch: work in flight when the cursor was cut is fetched again, never lost and never
 * sent twice. The simulated org answers with jittered latency, so concurrent reads end out of order.
 */
let okta: FakeOkta;
let server: ServeProcess;
let clients: ConnectorClients;

/** One sync from `resumeCursor`: each item as `kind:bytes`, in order, and each batch's cursor with how many items came before it. */
async function sync(resumeCursor: string): Promise<{ items: string[]; cursors: { cursor: string; after: number }[] }> {
  const items: string[] = [];
  const cursors: { cursor: string; after: number }[] = [];
  let summary = false;
  for await (const response of clients.stream.sync({ batchSize: BATCH, resumeCursor })) {
    if (response.event.case === "summary") summary = true;
    if (response.event.case !== "batch") continue;
    const batch = response.event.value;
    for (const r of batch.resources) items.push(`r:${Buffer.from(toBinary(ResourceSchema, r)).toString("base64")}`);
    for (const e of batch.entitlements) items.push(`e:${Buffer.from(toBinary(EntitlementSchema, e)).toString("base64")}`);
    for (const g of batch.grants) items.push(`g:${Buffer.from(toBinary(GrantSchema, g)).toString("base64")}`);
    cursors.push({ cursor: batch.resumeCursor, after: items.length });
  }
  expect(summary).toBe(true);
  return { items, cursors };
}

const BATCH = 150;

beforeAll(async () => {
  // Roomy limits: ninety syncs would otherwise spend minutes paced under Okta's per-minute limits,
  // which proves nothing here.
  okta = await startFakeOkta({ users: 450, groups: 10, apps: 4, seed: 5, rateLimitOverrides: { other: 1_000_000, groups: 1_000_000, apps: 1_000_000, users: 1_000_000 }, faults: { latencyMs: 1, jitterMs: 15 } });
  server = await startServeProcess(["--domain", okta.url, "--sync-custom-roles"], { withOktaArgs: false, env: { BATON_API_TOKEN: okta.tokens.super_admin } });
  clients = createConnectorClients({ address: server.address });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await okta?.close();
});

describe("resuming a concurrent streamed Sync", () => {
  it("from every resume_cursor of a clean sync gives exactly the rest of the clean sync: nothing lost, nothing twice", async () => {
    okta.resetStats();
    let peak = 0;
    const gauge = setInterval(() => (peak = Math.max(peak, okta.stats().inFlight)), 2);
    let clean: Awaited<ReturnType<typeof sync>>;
    try {
      clean = await sync("");
    } finally {
      clearInterval(gauge);
    }
    // The reads did overlap: this is the concurrent sync, not a serial one.
    expect(peak).toBeGreaterThan(1);
    expect(new Set(clean.items).size).toBe(clean.items.length);
    expect(clean.cursors.length).toBeGreaterThan(15);
    console.log(JSON.stringify({ items: clean.items.length, cursors: clean.cursors.length, peakInFlight: peak }));

    // Four resumed syncs at a time, to keep the test short; each checks its own continuation.
    const queue = [...clean.cursors];
    const worker = async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        const resumed = await sync(next.cursor);
        // Item for item, in order: the resumed stream continues exactly where the cursor was cut.
        expect(resumed.items.length, `resumed after item ${next.after}`).toBe(clean.items.length - next.after);
        expect(resumed.items).toEqual(clean.items.slice(next.after));
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
  }, 600_000);
});
