import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOkta, startFakeOkta } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { type RunningConnector, startConnector } from "../support/sync-helpers.js";

/**
 * Issue 13 item 7: a Sync summary's okta_calls once was the difference of one process-wide counter, so
 * syncs running side by side each reported the calls of all of them. Each must report its own: the same
 * number a sync running alone makes, and together exactly what the simulated org received.
 */
let fake: FakeOkta;
let connector: RunningConnector;

/** Runs one Sync stream to its summary; returns the summary's okta_calls and the last progress figure. */
async function syncCalls(): Promise<{ summary: number; progress: number; items: number }> {
  let progress = 0;
  let items = 0;
  for await (const message of connector.clients.stream.sync({ batchSize: 100 })) {
    if (message.event.case === "batch") {
      const batch = message.event.value;
      progress = Number(batch.progress?.oktaCalls ?? 0n);
      items += batch.resources.length + batch.entitlements.length + batch.grants.length;
    }
    if (message.event.case === "summary") return { summary: Number(message.event.value.oktaCalls), progress, items };
  }
  throw new Error("the Sync stream ended without a summary");
}

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 13, users: 600 });
  connector = await startConnector(fake, { token: fake.tokens.read_only });
  // The first sync also probes the credential's capabilities, which later syncs reuse.
  await syncCalls();
}, 120_000);

afterAll(async () => {
  await connector?.stop();
  await fake?.close();
});

describe("okta_calls of syncs running at the same time", { timeout: 120_000 }, () => {
  it("each summary counts only its own sync's calls: a lone sync's number, and the org's total together", async () => {
    fake.resetStats();
    const alone = await syncCalls();
    expect(alone.summary).toBe(fake.stats().totals.calls);
    expect(alone.summary).toBeGreaterThan(10);
    expect(alone.progress).toBeLessThanOrEqual(alone.summary);

    fake.resetStats();
    const together = await Promise.all([syncCalls(), syncCalls(), syncCalls()]);
    const total = fake.stats().totals.calls;
    console.log(`okta_calls: alone ${alone.summary}; three at once ${together.map((s) => s.summary).join(", ")}; org received ${total}`);
    for (const sync of together) {
      expect(sync.items).toBe(alone.items);
      expect(sync.summary).toBe(alone.summary);
    }
    expect(together.reduce((sum, s) => sum + s.summary, 0)).toBe(total);
  });
});
