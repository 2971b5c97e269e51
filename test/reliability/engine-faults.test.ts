import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ConnectorClients } from "../../src/engine/connector-client.js";
import { createConnectorClients } from "../../src/engine/connector-client.js";
import { expectSameSnapshot, runCli, startCli, waitForBatches } from "../engine/support/sync-cli.js";
import { type FakeOkta, type GroundTruth, RATE_LIMIT_BUCKETS, startFakeOkta } from "../fake-okta/index.js";
import { httpGet, parsePrometheus, servingLine, sumOf } from "../observability/support/observed-serve.js";
import { buildCliIfStale, type ServeProcess, startServeProcess } from "../support/serve-process.js";
import { clearFaults } from "./support/fault-matrix.js";

/**
 * Faults on the engine's side of the connector: a client that cancels mid-stream, a deadline shorter
 * than one Okta page, a client that vanishes without cancelling, and 50 concurrent streams with
 * provisioning calls among them. The connector must keep serving, stop asking Okta for anything on
 * behalf of an abandoned call within a second, and hold no more sockets, timers or memory afterwards
 * than before. Okta work is read from the simulator's arrival clock (when a request came in), not its
 * log (when it was answered).
 */
const LONG = 300_000;
let fake: FakeOkta;
let truth: GroundTruth;
let serve: ServeProcess;
let clients: ConnectorClients;
/** The ids a clean Sync yields, per kind, sorted. */
let clean: SyncItems;
let dir: string;

interface SyncItems {
  resources: string[];
  entitlements: string[];
  grants: string[];
}

beforeAll(async () => {
  await buildCliIfStale();
  dir = mkdtempSync(join(tmpdir(), "engine-faults-"));
  fake = await startFakeOkta({ seed: 59, users: 300 });
  truth = await fake.groundTruth();
  serve = await startServeProcess(["--domain", fake.url, "--provisioning", "--metrics-listen", "127.0.0.1:0"], {
    withOktaArgs: false,
    env: { BATON_API_TOKEN: fake.tokens.super_admin },
  });
  clients = createConnectorClients({ address: serve.address });
  clean = await syncItems(clients);
  expect(clean.grants.length).toBeGreaterThan(1_000);
}, LONG);

afterEach(() => clearFaults(fake));

afterAll(async () => {
  if (fake) clearFaults(fake);
  await serve?.stop();
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A whole Sync through `client`, as sorted ids. */
async function syncItems(client: ConnectorClients, options: { signal?: AbortSignal; onBatch?: (n: number) => void } = {}): Promise<SyncItems> {
  const items: SyncItems = { resources: [], entitlements: [], grants: [] };
  let batches = 0;
  for await (const response of client.stream.sync({ batchSize: 50 }, options.signal ? { signal: options.signal } : {})) {
    if (response.event.case !== "batch") continue;
    const batch = response.event.value;
    items.resources.push(...batch.resources.map((r) => `${r.id?.resourceType}:${r.id?.resource}`));
    items.entitlements.push(...batch.entitlements.map((e) => e.id));
    items.grants.push(...batch.grants.map((g) => g.id));
    options.onBatch?.(++batches);
  }
  for (const list of Object.values(items)) list.sort();
  return items;
}

/**
 * Waits `settleMs`, then says how long after `sinceMs` the last Okta request arrived (0 when none did)
 * and how many requests the connector still had open at the simulator.
 */
async function oktaWorkAfter(sinceMs: number, settleMs = 3_000): Promise<{ lastArrivalAfterMs: number; inFlight: number }> {
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const { lastAtMs } = fake.arrivals();
  return { lastArrivalAfterMs: Math.max(0, lastAtMs - sinceMs), inFlight: fake.stats().inFlight };
}

/** The connector's own view of its resources, from its Prometheus process metrics. */
async function connectorResources(of: ServeProcess): Promise<{ handles: number; rssBytes: number }> {
  const samples = parsePrometheus((await httpGet(`http://${servingLine(of).metrics}/metrics`)).body);
  return { handles: sumOf(samples, "nodejs_active_handles_total"), rssBytes: sumOf(samples, "process_resident_memory_bytes") };
}

/** RSS of the serve process from /proc, in bytes: `VmRSS` now, or `VmHWM`, its high-water mark. */
function rssOf(pid: number, field: "VmRSS" | "VmHWM" = "VmRSS"): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith(`${field}:`))!;
  return Number(/(\d+)/.exec(line)![1]) * 1024;
}

/** Restarts a process's peak RSS (VmHWM) from its RSS now (Linux: `5` into /proc/PID/clear_refs). */
function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, "5");
}

describe("the engine abandons a call", () => {
  it("a client cancelling mid-stream: the connector stops asking Okta within a second and keeps serving", async () => {
    fake.setFaults({ latencyMs: 30 });
    const abort = new AbortController();
    let abortedAt = 0;
    const failure = await syncItems(clients, {
      signal: abort.signal,
      onBatch: (n) => {
        if (n === 5) {
          abortedAt = Date.now();
          abort.abort();
        }
      },
    }).then(
      () => undefined,
      (error: unknown) => ConnectError.from(error),
    );
    expect(failure?.code).toBe(Code.Canceled);
    const work = await oktaWorkAfter(abortedAt);
    expect(work.lastArrivalAfterMs).toBeLessThan(1_000);
    expect(work.inFlight).toBe(0);
    clearFaults(fake);
    expect(await syncItems(clients)).toEqual(clean);
  }, LONG);

  it("a deadline shorter than one Okta page: DEADLINE_EXCEEDED, and no Okta request after it", async () => {
    fake.setFaults({ latencyMs: 3_000 });
    const failureOfCall = async (call: () => Promise<unknown>) => call().then(() => undefined, (error: unknown) => ConnectError.from(error));
    const pagedDeadline = Date.now() + 1_000;
    const paged = await failureOfCall(() => clients.resources.listResources({ resourceTypeId: "user" }, { timeoutMs: 1_000 }));
    expect(paged?.code).toBe(Code.DeadlineExceeded);
    expect((await oktaWorkAfter(pagedDeadline)).lastArrivalAfterMs).toBe(0);

    const streamDeadline = Date.now() + 1_000;
    const stream = await failureOfCall(async () => {
      for await (const response of clients.stream.sync({}, { timeoutMs: 1_000 })) void response;
    });
    expect(stream?.code).toBe(Code.DeadlineExceeded);
    expect((await oktaWorkAfter(streamDeadline)).lastArrivalAfterMs).toBe(0);
  }, LONG);

  it("a client that disappears without cancelling (SIGKILLed, so only its TCP connection ends): Okta work stops within a second", async () => {
    fake.setFaults({ latencyMs: 30 });
    const out = join(dir, "killed.db");
    const cli = startCli(["sync", "--connector", serve.address, "--out", out, "--batch-size", "50"]);
    await waitForBatches(out, 5, cli);
    const goneAt = Date.now();
    cli.child.kill("SIGKILL");
    await cli.exited;
    const work = await oktaWorkAfter(goneAt);
    expect(work.lastArrivalAfterMs).toBeLessThan(1_000);
    expect(work.inFlight).toBe(0);
  }, LONG);
});

describe("SIGTERM during a sync", () => {
  it("drains: the stream ends UNAVAILABLE after the grace period, serve exits 0, and the engine resumes on a new connector equal to a clean sync", async () => {
    const cleanDb = join(dir, "drain-clean.db");
    const cleanRun = await runCli(["sync", "--connector", serve.address, "--out", cleanDb, "--batch-size", "50"]);
    expect(cleanRun.code, cleanRun.stderr).toBe(0);
    // Slow enough that the sync outlasts the 1 s grace although the look-ahead reads 16 pages at once
    // (sync-lookahead.ts): at 30 ms it finished inside the grace period and was never cut.
    fake.setFaults({ latencyMs: 400 });
    const own = await startServeProcess(["--domain", fake.url, "--shutdown-grace-seconds", "1"], { withOktaArgs: false, env: { BATON_API_TOKEN: fake.tokens.super_admin } });
    const port = own.port!;
    const out = join(dir, "drained.db");
    const cli = startCli(["sync", "--connector", `127.0.0.1:${port}`, "--out", out, "--batch-size", "50"]);
    let replacement: ServeProcess | undefined;
    try {
      await waitForBatches(out, 5, cli);
      const stopped = await own.stop("SIGTERM");
      expect(stopped.code).toBe(0);
      expect(own.logLines().map((l) => l.msg)).toContain("shutting down");
      clearFaults(fake);
      replacement = await startServeProcess(["--domain", fake.url, "--listen", `127.0.0.1:${port}`], { withOktaArgs: false, env: { BATON_API_TOKEN: fake.tokens.super_admin } });
      const { code } = await cli.exited;
      expect(code, cli.stderr()).toBe(0);
    } finally {
      cli.child.kill("SIGKILL");
      await replacement?.stop();
    }
    expect(cli.stderr()).toMatch(/connector unavailable \(\[unavailable\] server shutting down\); retry 1\//);
    expectSameSnapshot(cleanDb, out);
  }, LONG);
});

describe("50 concurrent streams and provisioning calls", () => {
  // A smaller org of its own: 100 full syncs at once on two cores must still finish in minutes.
  let small: FakeOkta;
  let smallTruth: GroundTruth;
  let smallServe: ServeProcess;
  let smallClients: ConnectorClients;
  let smallClean: SyncItems;
  /** The engine's five connections, kept open across rounds, so sockets the server holds for them count the same in both measurements. */
  let connections: ConnectorClients[];

  beforeAll(async () => {
    // Okta's limits raised far out of reach: 100 syncs of ~100 calls each would otherwise (rightly) be
    // paced to Okta's per-minute budget for minutes, and pacing is not what this test is about.
    const unlimited = Object.fromEntries(Object.keys(RATE_LIMIT_BUCKETS).map((bucket) => [bucket, 1_000_000]));
    small = await startFakeOkta({ seed: 61, users: 60, rateLimitOverrides: unlimited });
    smallTruth = await small.groundTruth();
    smallServe = await startServeProcess(["--domain", small.url, "--provisioning", "--metrics-listen", "127.0.0.1:0"], {
      withOktaArgs: false,
      env: { BATON_API_TOKEN: small.tokens.super_admin },
    });
    smallClients = createConnectorClients({ address: smallServe.address });
    smallClean = await syncItems(smallClients);
    connections = Array.from({ length: 5 }, () => createConnectorClients({ address: smallServe.address }));
  }, LONG);

  afterAll(async () => {
    await smallServe?.stop();
    await small?.close();
  });

  /** A round: 50 Syncs over 5 connections, and grant/revoke cycles on group memberships among them. */
  async function round(userOffset: number): Promise<{ syncs: SyncItems[]; touched: string[] }> {
    const group = smallTruth.groups.find((g) => g.type === "OKTA_GROUP" && g.memberIds.length > 0)!;
    const users = smallTruth.users.filter((u) => u.status === "ACTIVE" && !group.memberIds.includes(u.id)).slice(userOffset, userOffset + 5);
    const provisioning = (async () => {
      const groups = await smallClients.resources.listResources({ resourceTypeId: "group" });
      const groupResource = groups.list.find((r) => r.id?.resource === group.id)!;
      const entitlement = (await smallClients.entitlements.listEntitlements({ resource: groupResource })).list.find((e) => e.slug === "member")!;
      const userPage = await smallClients.resources.listResources({ resourceTypeId: "user" });
      for (const user of users) {
        const principal = userPage.list.find((r) => r.id?.resource === user.id)!;
        const granted = await smallClients.grantManager.grant({ entitlement, principal });
        await smallClients.grantManager.revoke({ grant: granted.grants[0]! });
      }
    })();
    const syncs = await Promise.all(Array.from({ length: 50 }, (_, i) => syncItems(connections[i % 5]!)));
    await provisioning;
    return { syncs, touched: users.map((u) => u.id) };
  }

  /** A sync's items minus the grants of users whose membership changed during the round. */
  const without = (items: SyncItems, touched: readonly string[]): SyncItems => ({
    ...items,
    grants: items.grants.filter((id) => !touched.some((user) => id.endsWith(`:user:${user}`))),
  });

  it("all 50 equal the clean sync, provisioning lands exactly, and afterwards the connector holds no more sockets, timers or memory than after the first round", async () => {
    const warmUp = await round(0);
    expect(warmUp.touched).toHaveLength(5);
    for (const sync of warmUp.syncs) expect(without(sync, warmUp.touched)).toEqual(without(smallClean, warmUp.touched));
    // Past the simulator's 5 s keep-alive, so idle Okta sockets are gone on both measurements.
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    const baseline = await connectorResources(smallServe);

    // Memory is compared between two measured rounds' peaks, each from a reset peak, after the warm-up:
    // the RSS at one moment depends on when V8 last collected, and the warm-up round's peak on how
    // far V8 had sized its heap (on a busy CI machine a second round's RSS stood 33% above the first
    // round's peak without any leak). State leaked per stream lifts each round's peak above the last.
    const pid = smallServe.child.pid!;
    const peaks: number[] = [];
    for (const offset of [5, 10]) {
      resetPeakRss(pid);
      const measured = await round(offset);
      for (const sync of measured.syncs) expect(without(sync, measured.touched)).toEqual(without(smallClean, measured.touched));
      peaks.push(rssOf(pid, "VmHWM"));
    }
    // Every grant was revoked again: the org's groups are as they started.
    expect((await small.groundTruth()).groups).toEqual(smallTruth.groups);
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    const after = await connectorResources(smallServe);
    expect(after.handles, `active handles ${baseline.handles} → ${after.handles}`).toBeLessThanOrEqual(baseline.handles);
    const [second, third] = peaks as [number, number];
    expect(third, `peak RSS of round 2 ${second} → of round 3 ${third}`).toBeLessThan(second * 1.2);
    expect(await syncItems(smallClients)).toEqual(smallClean);
  }, LONG);
});
