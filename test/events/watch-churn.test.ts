import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffSnapshots } from "../../src/engine/diff.js";
import { openWatchStore } from "../../src/engine/watch-store.js";
import { watchToSnapshot } from "../../src/engine/watch-to-snapshot.js";
import { CHURN_KINDS, type ChurnKind, type FakeOkta, startFakeOkta } from "../fake-okta/index.js";
import { runCli } from "../engine/support/sync-cli.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { type RunningConnector, startConnector } from "../support/sync-helpers.js";

/**
 * The Watch property (issue 16): random churn of every kind runs against the simulated org, with
 * System Log lag and reordering, while `watch` applies the connector's Watch stream to a snapshot made
 * by `sync`. Once the churn stops and the log has settled, the watched snapshot must equal a fresh full
 * sync of the final org, row for row (`diff` finds nothing), whatever order the entries arrived in.
 */
const LAG_MS = 300;
const REORDER_DELAY_MS = 1_500;
const SWEEP_MS = 2_000;

let fake: FakeOkta;
let connector: RunningConnector;
let dir: string;

beforeAll(async () => {
  await buildCliIfStale();
  dir = mkdtempSync(join(tmpdir(), "watch-churn-"));
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A fresh org of `seed` and a connector on it, for one run. */
async function start(seed: number): Promise<void> {
  // Rate-limit windows of 6 s instead of a minute: the test re-reads the role type every 2 s, which
  // spends a minute's budget of Okta's other /api/v1 bucket long before the minute is over.
  fake = await startFakeOkta({ seed, users: 80, logLagMs: LAG_MS, logReorderRate: 0.3, logReorderDelayMs: REORDER_DELAY_MS, rateScale: 10 });
  // A super admin's token and custom roles on, so every kind of change churn makes is in the sync.
  connector = await startConnector(fake, { token: fake.tokens.super_admin, flags: { syncCustomRoles: true } });
}

async function stop(): Promise<void> {
  await connector?.stop();
  await fake?.close();
}

async function sync(path: string): Promise<void> {
  const result = await runCli(["sync", "--connector", connector.process.address, "--out", path], { timeoutMs: 120_000 });
  expect(result.code, result.stderr).toBe(0);
}

describe("Watch keeps a snapshot equal to a full sync under churn", () => {
  // Each seed is another org and another sequence of changes; two of them found defects the first did not.
  it.each([41, 2024])("org and churn of seed %i: hundreds of random changes of every kind, with log lag and reordering; the watched snapshot equals a fresh sync", async (seed) => {
    await start(seed);
    try {
      await watchUnderChurn(seed);
    } finally {
      await stop();
    }
  }, 240_000);
});

async function watchUnderChurn(seed: number): Promise<void> {
  const watched = join(dir, `watched-${seed}.db`);
  await sync(watched);
  const requestsBefore = fake.requestLog().length;
  const store = openWatchStore(watched);
  const stop = new AbortController();
  const reasons: string[] = [];
  let lastHeartbeat = 0;
  let lastSweep = 0;
  const watching = watchToSnapshot(connector.clients, store, {
    signal: stop.signal,
    pollMs: 250,
    heartbeatMs: 1_000,
    sweepMs: SWEEP_MS,
    onChange: (change) => {
      reasons.push(change.reason);
      if (change.reason.startsWith("timed re-read")) lastSweep = Date.now();
    },
    onHeartbeat: () => {
      lastHeartbeat = Date.now();
    },
  });

  // 400 changes in bursts while Watch runs.
  const made: ChurnKind[] = [];
  for (let burst = 0; burst < 20; burst++) {
    made.push(...fake.churn(20).map((c) => c.kind));
    await new Promise((r) => setTimeout(r, 150));
  }
  const churnEnded = Date.now();
  // Every kind churn knows was made (the property is about all of them).
  expect(new Set(made).size, `kinds made: ${[...new Set(made)].sort().join(", ")}`).toBe(CHURN_KINDS.length);

  // Settled: every entry is visible (lag plus the longest reordering delay), a sweep ran after the
  // churn (users' middle admin-role changes are not logged), and a heartbeat after both says the
  // stream has nothing left to send.
  const settledAt = churnEnded + LAG_MS + REORDER_DELAY_MS + 500;
  const deadline = Date.now() + 60_000;
  while (!(lastSweep > settledAt && lastHeartbeat > lastSweep && lastHeartbeat > settledAt)) {
    if (Date.now() > deadline) throw new Error(`Watch did not settle: last sweep ${lastSweep - churnEnded} ms, last heartbeat ${lastHeartbeat - churnEnded} ms after the churn`);
    await new Promise((r) => setTimeout(r, 100));
  }
  stop.abort();
  const report = await watching;
  store.close();
  expect(report.stopped).toBe("interrupted");
  expect(report.changes).toBeGreaterThan(5);
  // Watch reads only: every request it made of Okta was a GET (the churn wrote in-process, not over HTTP).
  const methods = new Set(fake.requestLog().slice(requestsBefore).map((r) => r.method));
  expect([...methods]).toEqual(["GET"]);

  const fresh = join(dir, `fresh-${seed}.db`);
  await sync(fresh);
  const diff = diffSnapshots(watched, fresh, { limit: 20 });
  // On failure, the churn changes that touched what differs, to show which kind of change was missed.
  const differing = Object.values(diff.ids).flatMap((c) => [...c.added, ...c.removed, ...c.changed]);
  const related = fake.churnHistory().filter((c) => Object.values(c.subject).some((id) => differing.some((d) => d.includes(id))));
  expect(diff.ids, `after ${made.length} changes (${report.changes} applied); related: ${JSON.stringify(related.map((c) => [c.kind, c.subject]))}`).toEqual({
    resources: { added: [], removed: [], changed: [] },
    entitlements: { added: [], removed: [], changed: [] },
    grants: { added: [], removed: [], changed: [] },
  });
  expect(diff.identical).toBe(true);
}
