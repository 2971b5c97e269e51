/**
 * `npm run bench -- --freshness`: how fresh Watch keeps a snapshot (issue 16, item 7). A 10,000-user
 * simulated org with Okta's real per-minute limits (the logs bucket: 120 reads a minute), Okta-like latency
 * and a System Log that lags and reorders as Okta's does; a full sync to a snapshot, then `watch` applying
 * the connector's Watch stream to it at the default intervals while changes are made at a steady rate.
 * For each change: the time from its write (its System Log event's `published`) until the Watch message
 * that carries its effect has been stored in the snapshot. Not part of a default `npm run bench`: it takes
 * about eight minutes (the sync alone over one, under these limits and latency).
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { boundAddress } from "../scripts/support/bound-address.js";
import { createConnectorClients } from "../src/engine/connector-client.js";
import { openWatchStore } from "../src/engine/watch-store.js";
import { watchToSnapshot } from "../src/engine/watch-to-snapshot.js";
import { type ChurnChange, startFakeOkta } from "../test/fake-okta/index.js";
import { type AppliedMessage, appliedTimesOf, eventTypesOfLogFilter, freshnessOf, isSweepOf, pageStartsOf, percentile, slicesOf, type WrittenChange } from "./freshness-stats.js";

/** The scenario; every figure is written into the result so a reader knows what was measured. */
export const FRESHNESS_SCENARIO = {
  users: 10_000,
  seed: 42,
  /** The bench's Okta-like profile: every simulated request waits 150 ms plus up to 100 ms. */
  latencyMs: 150,
  jitterMs: 100,
  /** Okta's System Log shows an event a few seconds after it is published, some later than events after them. */
  logLagMs: 2_000,
  logReorderRate: 0.1,
  logReorderDelayMs: 4_000,
  /**
   * Changes made at a steady rate, one phase after the other, each once the last one's changes are all in
   * the snapshot: first a rate Watch keeps up with (what the log lag and the poll interval cost), then one a
   * second (a busy admin console, or provisioning at a steady clip).
   */
  phases: [
    { changesPerMinute: 12, seconds: 120 },
    { changesPerMinute: 60, seconds: 120 },
  ] as { changesPerMinute: number; seconds: number }[],
  /** How long after a phase's last change every one of its changes must be in the snapshot. */
  settleTimeoutMs: 180_000,
};
export type FreshnessScenario = typeof FRESHNESS_SCENARIO;

export interface PhaseResult {
  changesPerMinute: number;
  seconds: number;
  changesMade: number;
  changesMeasured: number;
  /** Changes with a read event type that never reached the snapshot: must be 0. */
  changesNeverSeen: number;
  /** Changes none of whose event types the connector reads from the System Log, by kind. */
  changesNotRead: Record<string, number>;
  /** From the write to the last message of the change's page stored in the snapshot, in ms. */
  freshnessMs: { p50: number; p95: number; max: number; min: number };
  /** The same, to the first message of that page. */
  firstMessageMs: { p50: number; p95: number; max: number };
  /** Freshness of the changes written in each 30 s of the phase: flat when Watch keeps up. */
  overTime: { fromSecond: number; changes: number; p50Ms: number; maxMs: number }[];
  /** Per kind of change: count and p50 / max freshness. */
  byKind: Record<string, { measured: number; p50Ms: number; maxMs: number }>;
  /** From the phase's first change until its last one was in the snapshot. */
  phaseSeconds: number;
  watchMessages: { changes: number; sweeps: number; multiMessagePages: number };
  /** okta_calls Watch reported: reading changes' state, and the timed sweeps; the log reads are not in it. */
  oktaCallsReported: { changes: number; sweeps: number };
  /** Every Okta request the simulated org answered during the phase, log reads included. */
  oktaCallsAnswered: number;
  logReads: number;
  logReadsPerMinute: number;
  oktaCallsPerChange: { stateReads: number; withSweeps: number; allAnswered: number };
  okta429s: number;
  byBucket: Record<string, number>;
  /** The ten routes Watch called most. */
  topRoutes: Record<string, number>;
}

export interface FreshnessResult {
  scenario: FreshnessScenario & { pollInterval: string; heartbeatInterval: string; sweepInterval: string; logsBucketPerMinute: number };
  sync: { wallSeconds: number; oktaCalls: number; okta429s: number };
  phases: PhaseResult[];
}

/** `scenario` changes the defaults (a smaller org for a quick check); the results say what was run. */
export async function runFreshnessBench(options: { cli: string; work: string; out: string; scenario?: Partial<FreshnessScenario> }): Promise<FreshnessResult> {
  const s: FreshnessScenario = { ...FRESHNESS_SCENARIO, ...options.scenario };
  const say = (line: string) => process.stderr.write(`bench freshness: ${line}\n`);
  say(`${s.users} users, Okta's real limits, ${s.latencyMs} ms + up to ${s.jitterMs} ms latency, log lag ${s.logLagMs} ms (${s.logReorderRate * 100}% up to ${s.logReorderDelayMs} ms later)`);
  const okta = await startFakeOkta({
    users: s.users,
    seed: s.seed,
    rateScale: 1,
    faults: { latencyMs: s.latencyMs, jitterMs: s.jitterMs },
    logLagMs: s.logLagMs,
    logReorderRate: s.logReorderRate,
    logReorderDelayMs: s.logReorderDelayMs,
  });
  const connector = spawn(process.execPath, [options.cli, "serve", "--domain", okta.url, "--listen", "127.0.0.1:0", "--sync-custom-roles"], {
    env: { ...process.env, BATON_API_TOKEN: okta.tokens.super_admin },
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const address = await boundAddress(connector);
    const file = `${options.work}freshness.sqlite`;
    rmSync(file, { force: true });

    say("full sync");
    okta.resetStats();
    const syncStarted = performance.now();
    const sync = spawn(process.execPath, [options.cli, "sync", "--connector", address, "--out", file, "--json"], { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    sync.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    const code = await new Promise<number | null>((resolve) => sync.once("close", resolve));
    if (code !== 0) throw new Error(`okta-connector sync exited ${code}`);
    const syncStats = okta.stats();
    const syncResult = { wallSeconds: round((performance.now() - syncStarted) / 1000, 1), oktaCalls: syncStats.totals.calls, okta429s: syncStats.totals.throttled };
    say(`synced in ${syncResult.wallSeconds} s, ${syncResult.oktaCalls} Okta calls; watching`);

    const logRequestsBefore = okta.requestLog().length;
    const store = openWatchStore(file);
    const clients = createConnectorClients({ address });
    const stop = new AbortController();
    const messages: (AppliedMessage & { oktaCalls: number })[] = [];
    // The default poll, heartbeat and sweep intervals: what `okta-connector watch` uses.
    const watching = watchToSnapshot(clients, store, {
      signal: stop.signal,
      onChange: (change) => messages.push({ atMs: Date.now(), uuids: change.logEntries.map((e) => e.uuid), reason: change.reason, oktaCalls: Number(change.oktaCalls) }),
    });
    const logReadsSoFar = () => okta.requestLog().slice(logRequestsBefore).filter((r) => r.path.startsWith("/api/v1/logs"));
    // Changes start once Watch has read the log (its first read covers the sync's time).
    await until(() => logReadsSoFar().length > 0, 60_000, "Watch never read the System Log");
    const readTypes = () => new Set(logReadsSoFar().flatMap((r) => eventTypesOfLogFilter(r.path)));

    const phases: PhaseResult[] = [];
    try {
      for (const phase of s.phases) {
        say(`${phase.changesPerMinute} changes a minute for ${phase.seconds} s`);
        phases.push(await runPhase(phase));
        const p = phases.at(-1)!;
        say(`p50 ${p.freshnessMs.p50} ms, p95 ${p.freshnessMs.p95} ms, max ${p.freshnessMs.max} ms over ${p.changesMeasured} changes; never seen ${p.changesNeverSeen}; ${p.oktaCallsPerChange.stateReads} Okta calls a change; ${p.logReadsPerMinute} log reads a minute; ${p.okta429s} 429s`);
      }
    } finally {
      stop.abort();
      const report = await watching;
      store.close();
      const sent = messages.reduce((a, m) => a + m.oktaCalls, 0);
      if (sent !== report.oktaCalls) throw new Error(`okta_calls: ${sent} in the messages seen, ${report.oktaCalls} in the watch report`);
    }
    const result: FreshnessResult = {
      scenario: { ...s, pollInterval: "2 s (default)", heartbeatInterval: "10 s (default)", sweepInterval: "5 min (default)", logsBucketPerMinute: 120 },
      sync: syncResult,
      phases,
    };
    writeInto(options.out, result, options.cli);
    say(`written into ${options.out} under "freshness"`);
    return result;

    async function runPhase(phase: { changesPerMinute: number; seconds: number }): Promise<PhaseResult> {
      okta.resetStats();
      const firstMessage = messages.length;
      const made: ChurnChange[] = [];
      const every = 60_000 / phase.changesPerMinute;
      const total = Math.round((phase.seconds * phase.changesPerMinute) / 60);
      const start = Date.now();
      for (let i = 0; i < total; i++) {
        // Due times from the start, so a slow tick does not stretch the run.
        await sleepUntil(start + i * every);
        made.push(...okta.churn(1));
      }
      const written = (): WrittenChange[] => {
        const events = new Map(okta.org.log.all().map((e) => [e.seq, e]));
        return made.map((change) => ({
          kind: change.kind,
          events: change.eventSeqs.map((seq) => {
            const e = events.get(seq);
            if (!e) throw new Error(`event ${seq} of a ${change.kind} change is not in the simulated System Log`);
            return { uuid: e.uuid, eventType: e.eventType, published: e.published };
          }),
        }));
      };
      const outcome = () => {
        const read = readTypes();
        return freshnessOf(written(), appliedTimesOf(messages.slice(firstMessage)), (t) => read.has(t));
      };
      const deadline = Date.now() + s.settleTimeoutMs;
      while (outcome().some((c) => c.outcome === "unseen") && Date.now() < deadline) await sleep(250);
      const stats = okta.stats();
      const phaseSeconds = (Date.now() - start) / 1000;
      const results = outcome();
      const ours = messages.slice(firstMessage);
      const measured = results.filter((c) => c.outcome === "measured");
      const fresh = measured.map((c) => c.freshnessMs!);
      const first = measured.map((c) => c.firstMessageMs!);
      const sweep = isSweepOf(ours);
      const sweeps = ours.filter((_, i) => sweep[i]);
      const changeMessages = ours.filter((_, i) => !sweep[i]);
      const stateCalls = changeMessages.reduce((a, m) => a + m.oktaCalls, 0);
      const sweepCalls = sweeps.reduce((a, m) => a + m.oktaCalls, 0);
      const logReads = stats.buckets.logs?.calls ?? 0;
      const byKind: PhaseResult["byKind"] = {};
      for (const kind of [...new Set(measured.map((c) => c.kind))].sort()) {
        const times = measured.filter((c) => c.kind === kind).map((c) => c.freshnessMs!);
        byKind[kind] = { measured: times.length, p50Ms: percentile(times, 50)!, maxMs: Math.max(...times) };
      }
      const notRead: Record<string, number> = {};
      for (const c of results.filter((c) => c.outcome === "unread")) notRead[c.kind] = (notRead[c.kind] ?? 0) + 1;
      const perChange = (n: number) => round(n / Math.max(1, made.length), 2);
      return {
        ...phase,
        changesMade: made.length,
        changesMeasured: measured.length,
        changesNeverSeen: results.filter((c) => c.outcome === "unseen").length,
        changesNotRead: notRead,
        freshnessMs: { p50: percentile(fresh, 50) ?? 0, p95: percentile(fresh, 95) ?? 0, max: Math.max(0, ...fresh), min: fresh.length ? Math.min(...fresh) : 0 },
        firstMessageMs: { p50: percentile(first, 50) ?? 0, p95: percentile(first, 95) ?? 0, max: Math.max(0, ...first) },
        overTime: slicesOf(results, start, 30_000),
        byKind,
        phaseSeconds: round(phaseSeconds, 1),
        watchMessages: { changes: changeMessages.length, sweeps: sweeps.length, multiMessagePages: countMultiMessagePages(ours) },
        oktaCallsReported: { changes: stateCalls, sweeps: sweepCalls },
        oktaCallsAnswered: stats.totals.calls,
        logReads,
        logReadsPerMinute: round(logReads / (phaseSeconds / 60), 1),
        oktaCallsPerChange: { stateReads: perChange(stateCalls), withSweeps: perChange(stateCalls + sweepCalls), allAnswered: perChange(stats.totals.calls) },
        okta429s: stats.totals.throttled,
        byBucket: Object.fromEntries(Object.entries(stats.buckets).map(([b, c]) => [b, c.calls])),
        topRoutes: Object.fromEntries(Object.entries(stats.routes).sort(([, a], [, b]) => b.calls - a.calls).slice(0, 10).map(([r, c]) => [r, c.calls])),
      };
    }
  } finally {
    connector.kill("SIGTERM");
    await new Promise((resolve) => connector.once("close", resolve));
    await okta.close();
  }
}

/** Adds `freshness` to the day's results file (written by a sync run earlier the same day), or starts one. */
function writeInto(out: string, freshness: FreshnessResult, cli: string): void {
  const existing = existsSync(out) ? (JSON.parse(readFileSync(out, "utf8")) as Record<string, unknown>) : undefined;
  const report = existing ?? { date: new Date().toISOString(), machine: { node: process.version, cpus: cpus().length, platform: process.platform }, cli, results: [] };
  writeFileSync(out, `${JSON.stringify({ ...report, freshness: { date: new Date().toISOString(), loadAverage: loadavg(), ...freshness } }, null, 2)}\n`);
}

/** Pages sent as several messages. */
function countMultiMessagePages(messages: readonly AppliedMessage[]): number {
  const starts = pageStartsOf(messages);
  return new Set(starts.filter((start, i) => start >= 0 && start !== i)).size;
}

async function until(done: () => boolean, timeoutMs: number, message: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(message);
    await sleep(100);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sleepUntil = (at: number) => sleep(Math.max(0, at - Date.now()));
const round = (n: number, d: number) => Math.round(n * 10 ** d) / 10 ** d;
