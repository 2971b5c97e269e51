/**
 * `npm run bench`: how fast and how frugally a whole org is synced, streaming and paged, against the
 * simulated org. Writes bench/results/<date>.json; docs/benchmarks.md says how to read it.
 *
 *   npm run bench                 1,000 and 10,000 users with no latency and no limits (the processes' own
 *                                 speed), then 10,000 users Okta-like: Okta's real per-minute limits and
 *                                 150 ms plus up to 100 ms of latency a request
 *   npm run bench -- --large      adds 100,000 users to both (about 15 minutes more)
 *   npm run bench -- --sizes 2000 only the sizes given, without limits
 *   npm run bench -- --rate-sizes 10000,100000   the Okta-like runs' sizes
 *   npm run bench -- --no-rate    without the Okta-like runs
 *   npm run bench -- --modes paged,baton   which clients sync: stream and paged (our engine CLI), baton
 *                                 (baton-sdk v0.25.0's own syncer, test/interop/.bin/batonsync; skipped
 *                                 with a line saying so when that binary is not built)
 *   npm run bench -- --cpu-prof d writes V8 CPU profiles of the connector and the engine CLI into d
 *   npm run bench -- --repeat 3   runs each size and mode 3 times (alternating) and reports medians
 *   npm run bench -- --latency-ms 150 --jitter-ms 100   the Okta-like runs' latency (these are the defaults)
 *   npm run bench -- --rate-scale 2   Okta's minute ÷ 2 in the Okta-like runs (default 1: the real limits)
 *   BATON_PAGED_PREFETCH=false npm run bench             paged runs without the next page fetched ahead
 *   npm run bench -- --cli p      measures another build's dist/src/cli.js (e.g. an older commit's)
 *   npm run bench -- --freshness  only Watch's freshness under churn (bench/freshness.ts, about 5 minutes)
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createInterface } from "node:readline";
import { boundAddress } from "../scripts/support/bound-address.js";
import { RATE_LIMIT_BUCKETS, startFakeOkta, type FakeOkta } from "../test/fake-okta/index.js";
import { minimumOktaCalls } from "../test/support/minimum-calls.js";
import { recordCallTimeline, type TimelineStep } from "./call-timeline.js";
import { BATONSYNC, type BatonFigures, batonsyncArgs, readBatonSummary, runnableModes } from "./baton-run.js";
import { runFreshnessBench } from "./freshness.js";

const { values } = parseArgs({
  options: {
    large: { type: "boolean", default: false },
    sizes: { type: "string" },
    "rate-scale": { type: "string", default: "1" },
    "rate-sizes": { type: "string" },
    out: { type: "string" },
    "no-rate": { type: "boolean", default: false },
    "cpu-prof": { type: "string" },
    repeat: { type: "string", default: "1" },
    cli: { type: "string" },
    "latency-ms": { type: "string", default: "150" },
    modes: { type: "string", default: "stream,paged,baton" },
    "jitter-ms": { type: "string", default: "100" },
    freshness: { type: "boolean", default: false },
  },
});
const sizes = values.sizes ? values.sizes.split(",").map(Number) : values.large ? [1_000, 10_000, 100_000] : [1_000, 10_000];
if (sizes.some((n) => !Number.isInteger(n) || n < 10 || n > 200_000)) fail("--sizes: whole numbers from 10 to 200000, comma-separated");
const rateScale = Number(values["rate-scale"]);
const rateSizes = values["rate-sizes"] ? values["rate-sizes"].split(",").map(Number) : values.large ? [10_000, 100_000] : [10_000];
if (rateSizes.some((n) => !Number.isInteger(n) || n < 10 || n > 200_000)) fail("--rate-sizes: whole numbers from 10 to 200000, comma-separated");
if (!(rateScale >= 1 && rateScale <= 600)) fail("--rate-scale: a number from 1 to 600 (60 turns Okta's minute into one second)");

type Mode = "stream" | "paged" | "baton";
const requestedModes = values.modes.split(",") as Mode[];
if (requestedModes.some((m) => m !== "stream" && m !== "paged" && m !== "baton")) fail("--modes: stream, paged, baton, comma-separated");
const latency = { latencyMs: Number(values["latency-ms"]), jitterMs: Number(values["jitter-ms"]) };
if (!(latency.latencyMs >= 0 && latency.latencyMs <= 5_000)) fail("--latency-ms: milliseconds from 0 to 5000");
if (!(latency.jitterMs >= 0 && latency.jitterMs <= 5_000)) fail("--jitter-ms: milliseconds from 0 to 5000");
const profileDir = values["cpu-prof"];
/** USER_HZ: the unit of /proc/<pid>/stat's times; 100 on every Linux build that matters. */
const CLOCK_TICKS = 100;
const repeat = Number(values.repeat);
if (!Number.isInteger(repeat) || repeat < 1 || repeat > 9) fail("--repeat: a whole number from 1 to 9");
const cli = values.cli ?? new URL("../dist/src/cli.js", import.meta.url).pathname;
const work = new URL("../.tmp/bench/", import.meta.url).pathname;
mkdirSync(work, { recursive: true });
if (values.freshness) {
  await runFreshnessBench({ cli, work, out: values.out ?? new URL(`results/${new Date().toISOString().slice(0, 10)}.json`, import.meta.url).pathname });
  process.exit(0);
}
const modes = runnableModes(requestedModes, (line) => process.stderr.write(`bench: ${line}\n`));

interface RunResult {
  users: number;
  mode: Mode;
  rateLimited: boolean;
  wallSeconds: number;
  resources: number;
  entitlements: number;
  grants: number;
  resourcesPerSecond: number;
  entitlementsPerSecond: number;
  grantsPerSecond: number;
  oktaCalls: number;
  oktaCallsMinimum: number;
  callsOverMinimum: number;
  okta429s: number;
  pagedPrefetch?: { started: number; served: number; wasted: number };
  connectorPeakRssMb: number;
  clientPeakRssMb: number;
  /** CPU seconds (user + system) each process spent: the simulated org runs inside the bench process. */
  cpuSeconds: { simulator: number; connector: number; client: number };
  connectorCpuMicrosPerGrant: number;
  rateLimitFloorSeconds?: number;
  timeOverFloor?: number;
  /** Okta calls by simulated route, e.g. `GET /api/v1/groups/{id}/users`: where the calls (and the floor) come from. */
  oktaCallsByRoute: Record<string, number>;
  /** Okta calls by route in each 5 s of the run (call-timeline.ts): when the floor's bucket sat idle. */
  callTimeline: TimelineStep[];
  /** baton mode only: baton-sdk's RPCs by method, its Sync and Close times, the c1z. */
  baton?: BatonFigures;
}

const UNLIMITED = Object.fromEntries(Object.keys(RATE_LIMIT_BUCKETS).map((bucket) => [bucket, 1_000_000_000]));
const results: RunResult[] = [];
for (const users of sizes) {
  // Unlimited: every bucket's limit so high that its headers never ask the connector to pace, so
  // these runs measure the processes' own speed (CPU), not Okta's budget.
  const okta = await startFakeOkta({ users, seed: 42, rateLimits: false, rateLimitOverrides: UNLIMITED });
  try {
    const minimum = minimumOktaCalls(await okta.groundTruth(), { syncCustomRoles: true });
    // Alternating the modes spreads a noisy neighbour's load over both.
    for (let round = 0; round < repeat; round++) {
      for (const mode of modes) results.push(await runOnce(okta, users, mode, minimum, false));
    }
  } finally {
    await okta.close();
  }
}
// Okta-like: Okta's per-minute limits (the minute compressed only with --rate-scale) and its latency.
for (const users of values["no-rate"] ? [] : rateSizes) {
  for (const mode of modes) {
    // A fresh org per run: a run must not start with the previous run's minute windows spent.
    const okta = await startFakeOkta({ users, seed: 42, rateScale, faults: latency });
    try {
      const minimum = minimumOktaCalls(await okta.groundTruth(), { syncCustomRoles: true });
      results.push(await runOnce(okta, users, mode, minimum, true));
    } finally {
      await okta.close();
    }
  }
}

const report = {
  date: new Date().toISOString(),
  ...(modes.length < requestedModes.length ? { skippedModes: requestedModes.filter((m) => !modes.includes(m)) } : {}),
  machine: { node: process.version, cpus: (await import("node:os")).cpus().length, platform: process.platform, loadAverage: (await import("node:os")).loadavg() },
  cli,
  rateScale,
  repeat,
  medians: medians(results),
  results,
};
const out = values.out ?? new URL(`results/${report.date.slice(0, 10)}.json`, import.meta.url).pathname;
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
console.table((repeat > 1 ? report.medians : results).map((r) => ({
  users: r.users, mode: r.mode + (r.rateLimited ? " (rate-limited)" : ""), "wall s": r.wallSeconds, "grants/s": r.grantsPerSecond,
  "calls/min": r.callsOverMinimum, 429: r.okta429s, "prefetch served/wasted": r.pagedPrefetch ? `${r.pagedPrefetch.served}/${r.pagedPrefetch.wasted}` : "", "connector MB": r.connectorPeakRssMb, "client MB": r.clientPeakRssMb,
  "CPU s sim/conn/client": `${r.cpuSeconds.simulator}/${r.cpuSeconds.connector}/${r.cpuSeconds.client}`, "conn µs/grant": r.connectorCpuMicrosPerGrant,
  "time/floor": r.timeOverFloor ?? "",
})));
process.stderr.write(`bench: results written to ${out}\n`);

async function runOnce(okta: FakeOkta, users: number, mode: Mode, minimum: { total: number }, rateLimited: boolean): Promise<RunResult> {
  process.stderr.write(`bench: ${users} users, ${mode}${rateLimited ? `, Okta rate limits at --rate-scale ${rateScale}` : ""}\n`);
  const prof = (name: string) => (profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}-${users}-${mode}.cpuprofile`] : []);
  const connector = spawn(process.execPath, [...prof("connector"), cli, "serve", "--domain", okta.url, "--listen", "127.0.0.1:0", "--sync-custom-roles"], {
    env: { ...process.env, BATON_API_TOKEN: okta.tokens.super_admin },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const connectorPeak = watchProcess(connector.pid!);
  const address = await boundAddress(connector);
  const prefetch = shutdownPrefetchStats(connector);
  const file = `${work}bench-${users}-${mode}.${mode === "baton" ? "c1z" : "sqlite"}`;
  rmSync(file, { force: true });
  okta.resetStats();
  const timeline = recordCallTimeline(() => okta.stats().routes, 5_000);
  const connectorCpuBefore = connectorPeak.cpuSeconds();
  const simulatorCpuBefore = process.cpuUsage();
  const started = performance.now();
  const client =
    mode === "baton"
      ? spawn(BATONSYNC, batonsyncArgs(address, file), { stdio: ["ignore", "pipe", "pipe"] })
      : spawn(process.execPath, [...prof("client"), cli, "sync", "--connector", address, "--out", file, "--json", ...(mode === "paged" ? ["--paged"] : [])], { stdio: ["ignore", "pipe", "ignore"] });
  let stderr = "";
  client.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr = (stderr + d).slice(-4_000)));
  const clientPeak = watchProcess(client.pid!);
  let stdout = "";
  client.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  const code = await new Promise<number | null>((resolve) => client.once("close", resolve));
  const wallSeconds = (performance.now() - started) / 1000;
  const callTimeline = timeline.stop();
  const simulatorCpu = process.cpuUsage(simulatorCpuBefore);
  const clientRss = clientPeak.stop();
  const connectorRss = connectorPeak.stop();
  // The connector is idle once the client has exited: this reading is its whole share of the sync.
  const connectorCpu = connectorPeak.cpuSeconds() - connectorCpuBefore;
  connector.kill("SIGTERM");
  await new Promise((resolve) => connector.once("close", resolve));
  if (code !== 0) fail(`${mode === "baton" ? "batonsync" : "okta-connector sync"} exited ${code} at ${users} users (${mode})${stderr ? `: ${stderr.trim()}` : ""}`);
  const { counts, baton } = mode === "baton" ? readBatonSummary(stdout) : { counts: engineCounts(stdout), baton: undefined };
  if (baton) process.stderr.write(`bench: baton-sdk's Sync ${baton.syncSeconds} s + Close ${baton.closeSeconds} s, ${baton.rpcTotal} RPCs ${JSON.stringify(baton.rpcs)}\n`);
  const sum = (k: "resources" | "entitlements" | "grants") => counts[k];
  const stats = okta.stats();
  const floor = rateLimited ? floorSeconds(stats.buckets) : undefined;
  const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
  return {
    users, mode, rateLimited,
    wallSeconds: round(wallSeconds, 2),
    resources: sum("resources"), entitlements: sum("entitlements"), grants: sum("grants"),
    resourcesPerSecond: Math.round(sum("resources") / wallSeconds),
    entitlementsPerSecond: Math.round(sum("entitlements") / wallSeconds),
    grantsPerSecond: Math.round(sum("grants") / wallSeconds),
    oktaCalls: stats.totals.calls,
    oktaCallsMinimum: minimum.total,
    callsOverMinimum: round(stats.totals.calls / minimum.total, 3),
    okta429s: stats.totals.throttled,
    // Pages fetched ahead, served, and never asked for (undefined with --paged-prefetch=false).
    ...(prefetch.stats !== undefined ? { pagedPrefetch: prefetch.stats } : {}),
    connectorPeakRssMb: round(connectorRss / 1024),
    clientPeakRssMb: round(clientRss / 1024),
    cpuSeconds: { simulator: round((simulatorCpu.user + simulatorCpu.system) / 1e6, 2), connector: round(connectorCpu, 2), client: round(clientPeak.cpuSeconds(), 2) },
    connectorCpuMicrosPerGrant: Math.round((connectorCpu * 1e6) / Math.max(1, sum("grants"))),
    ...(floor !== undefined ? { rateLimitFloorSeconds: round(floor, 2), timeOverFloor: round(wallSeconds / floor, 2) } : {}),
    oktaCallsByRoute: Object.fromEntries(Object.entries(stats.routes).map(([route, c]) => [route, c.calls])),
    callTimeline,
    ...(baton ? { baton } : {}),
  };
}

/** `okta-connector sync --json`'s per-type counts, summed. */
function engineCounts(stdout: string): { resources: number; entitlements: number; grants: number } {
  const summary = JSON.parse(stdout) as { counts: { resources: number; entitlements: number; grants: number }[] };
  const sum = (k: "resources" | "entitlements" | "grants") => summary.counts.reduce((a, c) => a + Number(c[k] ?? 0), 0);
  return { resources: sum("resources"), entitlements: sum("entitlements"), grants: sum("grants") };
}

/** Per size, mode and limits: the median of each figure over the repeated runs. */
function medians(runs: readonly RunResult[]): RunResult[] {
  const groups = new Map<string, RunResult[]>();
  for (const r of runs) {
    const key = `${r.users}/${r.mode}/${r.rateLimited}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  return [...groups.values()].map((group) => {
    const first = group[0]!;
    const of = (pick: (r: RunResult) => number) => median(group.map(pick));
    return {
      ...first,
      wallSeconds: of((r) => r.wallSeconds),
      resourcesPerSecond: of((r) => r.resourcesPerSecond),
      entitlementsPerSecond: of((r) => r.entitlementsPerSecond),
      grantsPerSecond: of((r) => r.grantsPerSecond),
      oktaCalls: of((r) => r.oktaCalls),
      callsOverMinimum: of((r) => r.callsOverMinimum),
      okta429s: Math.max(...group.map((r) => r.okta429s)),
      connectorPeakRssMb: of((r) => r.connectorPeakRssMb),
      clientPeakRssMb: of((r) => r.clientPeakRssMb),
      cpuSeconds: { simulator: of((r) => r.cpuSeconds.simulator), connector: of((r) => r.cpuSeconds.connector), client: of((r) => r.cpuSeconds.client) },
      connectorCpuMicrosPerGrant: of((r) => r.connectorCpuMicrosPerGrant),
    };
  });
}

/** The least time Okta's limits allow for these calls: per bucket, calls ÷ limit per minute; the largest wins. */
function floorSeconds(buckets: Record<string, { calls: number }>): number {
  let minutes = 0;
  for (const [bucket, counters] of Object.entries(buckets)) {
    const limit = (RATE_LIMIT_BUCKETS as Record<string, number>)[bucket];
    if (limit) minutes = Math.max(minutes, counters.calls / limit);
  }
  return (minutes * 60) / rateScale;
}

/**
 * Polls the kernel's high-water mark of a process's resident memory (VmHWM, kB) and its CPU time
 * (utime + stime of /proc/<pid>/stat). A process that exits between two polls loses at most one
 * interval (50 ms) of CPU time from its last reading.
 */
function watchProcess(pid: number): { stop(): number; cpuSeconds(): number } {
  let peak = 0;
  let cpu = 0;
  const read = () => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) peak = Math.max(peak, Number(m[1]));
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      cpu = Math.max(cpu, (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS);
    } catch {
      // the process has exited; keep the last reading
    }
  };
  const timer = setInterval(read, 50);
  read();
  return { stop: () => (clearInterval(timer), read(), peak), cpuSeconds: () => (read(), cpu) };
}


function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
}

/** The connector's "paged prefetch" counts, logged as it shuts down; read once it has exited. */
function shutdownPrefetchStats(connector: ReturnType<typeof spawn>): { stats: { started: number; served: number; wasted: number } | undefined } {
  const result: { stats: { started: number; served: number; wasted: number } | undefined } = { stats: undefined };
  createInterface({ input: connector.stdout! }).on("line", (line) => {
    if (!line.includes('"paged prefetch"')) return;
    result.stats = (JSON.parse(line) as { pagedPrefetch: { started: number; served: number; wasted: number } }).pagedPrefetch;
  });
  return result;
}
