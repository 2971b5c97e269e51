import { setTimeout as sleep } from "node:timers/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { createConnectorClients } from "../../src/engine/connector-client.js";
import { startFakeOkta, type FakeOkta } from "../fake-okta/index.js";
import { startServeProcess, type ServeProcess } from "../support/serve-process.js";

/**
 * A slow client must never make the server buffer the org: the next Okta page is read only when the
 * client takes more. Pausing the client must stop the connector's Okta calls, after a bounded number
 * of pages (HTTP/2 flow-control windows plus a small prefetch), whatever the size of the org.
 */
async function callsAheadWhenPaused(users: number, finish: boolean): Promise<{ consumed: number; callsAtPause: number; callsLater: number; total: number }> {
  const okta = await startFakeOkta({ users, seed: 11 });
  const server = await startServeProcess(["--domain", okta.url], { withOktaArgs: false, env: { BATON_API_TOKEN: okta.tokens.super_admin } });
  try {
    const clients = createConnectorClients({ address: server.address });
    // Small batches so that a few messages cover a few Okta pages.
    const abort = new AbortController();
    // Counted from the stream's start: the look-ahead may do all it is allowed before the fifth message.
    okta.resetStats();
    const stream = clients.stream.sync({ batchSize: 50 }, { signal: abort.signal })[Symbol.asyncIterator]();
    let consumed = 0;
    for (let i = 0; i < 5; i++) {
      const next = await stream.next();
      if (next.done) break;
      consumed++;
    }
    // Give the connector every chance to run ahead while nobody reads.
    await sleep(1500);
    const callsAtPause = okta.stats().totals.calls;
    await sleep(1500);
    const callsLater = okta.stats().totals.calls;
    let rest = 0;
    for (; finish; ) {
      const next = await stream.next();
      if (next.done) break;
      rest++;
    }
    abort.abort();
    return { consumed: consumed + rest, callsAtPause, callsLater, total: okta.stats().totals.calls };
  } finally {
    await server.stop();
    await okta.close();
  }
}

describe("Sync backpressure", () => {
  let small: Awaited<ReturnType<typeof callsAheadWhenPaused>>;
  let large: Awaited<ReturnType<typeof callsAheadWhenPaused>>;
  beforeAll(async () => {
    small = await callsAheadWhenPaused(1_000, true);
    large = await callsAheadWhenPaused(20_000, false);
    console.log(JSON.stringify({ small, large }));
  }, 180_000);

  it("stops calling Okta while the client does not read", () => {
    expect(small.callsLater).toBe(small.callsAtPause);
    expect(large.callsLater).toBe(large.callsAtPause);
  });

  it("runs ahead of the client by a bounded number of Okta pages, independent of the org's size", () => {
    // Counted from the stream's start, five small batches in: the concurrent look-ahead (sync-lookahead.ts)
    // reads ahead within its limits (16 reads in flight, 64 listings, 20,000 items). 20,000 users are 100
    // user pages and the whole sync some 900 calls; a server that buffered the org would have read them all.
    expect(large.callsAtPause).toBeLessThan(100);
    expect(large.callsAtPause).toBeLessThanOrEqual(small.callsAtPause * 2);
  });

  it("then completes the sync when the client reads again", () => {
    expect(small.consumed).toBeGreaterThan(5);
    expect(small.total).toBeGreaterThan(small.callsAtPause);
  });
});
