import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectSameSnapshot, runCli } from "../engine/support/sync-cli.js";
import { type FakeOkta, startFakeOkta } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { type RunningConnector, startConnector } from "../support/sync-helpers.js";

/**
 * Paged RPCs with the next page fetched ahead (--paged-prefetch, on by default), against a connector
 * process and the engine CLI's paged sync: the snapshot equals the one without prefetch, the pages
 * after the first are served from prefetch, none is wasted, and Okta sees no more calls.
 */
let fake: FakeOkta;
let dir: string;
let prefetching: RunningConnector;
let plain: RunningConnector;
const calls = { prefetching: 0, plain: 0 };
let stats: { started: number; served: number; wasted: number; evicted: number; failed: number };

beforeAll(async () => {
  await buildCliIfStale();
  dir = mkdtempSync(join(tmpdir(), "paged-prefetch-"));
  fake = await startFakeOkta({ seed: 21, users: 2_000 });
  prefetching = await startConnector(fake, { token: fake.tokens.super_admin });
  plain = await startConnector(fake, { token: fake.tokens.super_admin, args: ["--paged-prefetch=false"] });

  fake.resetStats();
  const withPrefetch = await runCli(["sync", "--connector", prefetching.process.address, "--out", join(dir, "prefetch.db"), "--paged"]);
  expect(withPrefetch.code, withPrefetch.stderr).toBe(0);
  calls.prefetching = fake.stats().totals.calls;

  fake.resetStats();
  const without = await runCli(["sync", "--connector", plain.process.address, "--out", join(dir, "plain.db"), "--paged"]);
  expect(without.code, without.stderr).toBe(0);
  calls.plain = fake.stats().totals.calls;

  // Shutdown closes the prefetcher and logs its counts: any page still held then is counted as wasted.
  await prefetching.stop();
  const line = prefetching.process.logLines().find((l) => l.msg === "paged prefetch");
  stats = line?.pagedPrefetch as typeof stats;
}, 480_000);

afterAll(async () => {
  await prefetching?.stop();
  await plain?.stop();
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("paged sync with the next page prefetched", () => {
  it("stores the same snapshot, row for row and byte for byte, as a paged sync without prefetch", () => {
    const counts = expectSameSnapshot(join(dir, "prefetch.db"), join(dir, "plain.db"));
    expect(counts.grants).toBeGreaterThan(8_000);
  });

  it("serves the pages after the first from prefetch, wasting none", () => {
    expect(stats, "the connector logs its prefetch counts at shutdown").toBeDefined();
    expect(stats.started).toBeGreaterThan(20);
    expect(stats.served).toBe(stats.started);
    expect(stats.wasted).toBe(0);
    expect(stats.failed).toBe(0);
  });

  it("makes no more Okta calls than the paged sync without prefetch (calls ÷ minimum unchanged)", () => {
    expect(calls.plain).toBeGreaterThan(0);
    expect(calls.prefetching).toBeLessThanOrEqual(calls.plain);
  });

  it("the plain connector logs no prefetch counts: --paged-prefetch=false turns it off", async () => {
    await plain.stop();
    expect(plain.process.logLines().some((l) => l.msg === "paged prefetch")).toBe(false);
  });
});
