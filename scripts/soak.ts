/**
 * `npm run soak` (issue 8 §6): repeats syncs and grant/revoke cycles against the simulated Okta org
 * with faults on, and reports errors, the connector's RSS over time and Okta calls per sync. Bounded
 * by time and by count, whichever comes first; Ctrl-C stops at once and still writes the results.
 *
 *   npm run soak                                   10 minutes or 1,000 syncs, 1,000 users
 *   npm run soak -- --duration 2m --users 200      a short one
 *   npm run soak -- --help                         every flag
 *
 * Exit codes: 0 no error, 1 an error (a failed sync or cycle, counts that differ from the first
 * clean sync, an org left changed), 2 a bad flag.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createConnectorClients } from "../src/engine/connector-client.js";
import { startFakeOkta, type FaultSettings } from "../test/fake-okta/index.js";
import { minimumOktaCalls } from "../test/support/minimum-calls.js";
import { parseSoakArgs, SoakHelp, SoakUsageError, type SoakConfig } from "./soak/args.js";
import { CLI_PATH, readRssMb, startConnector } from "./soak/processes.js";
import { runProvisioningCycle, type CycleRecord } from "./soak/provisioning-cycle.js";
import { renderSummary, type RssSample, soakResults, type SoakObservations } from "./soak/results.js";
import { countDifferences, runSync, type SyncRecord } from "./soak/sync-run.js";

/**
 * Moderate faults, each well inside what the connector's retries absorb: about one Okta request in
 * twenty fails in some way, every one waits 5–25 ms.
 */
const MODERATE_FAULTS: Partial<FaultSettings> = { latencyMs: 5, jitterMs: 20, errorRate: 0.02, resetRate: 0.01, malformedRate: 0.01, stormRate: 0.01 };
/** Every this many iterations, users `search` lags behind writes for {@link SEARCH_LAG_MS} (SDK issue #422). */
const SEARCH_LAG_EVERY = 4;
const SEARCH_LAG_MS = 1500;

process.exitCode = await main(process.argv.slice(2));

async function main(argv: readonly string[]): Promise<number> {
  let config: SoakConfig;
  try {
    config = parseSoakArgs(argv);
  } catch (error) {
    if (error instanceof SoakHelp) {
      process.stdout.write(error.message);
      return 0;
    }
    if (!(error instanceof SoakUsageError)) throw error;
    process.stderr.write(`soak: ${error.message}\n`);
    return 2;
  }
  if (!existsSync(CLI_PATH)) {
    process.stderr.write(`soak: ${CLI_PATH} is missing; run npm run build first (npm run soak does)\n`);
    return 2;
  }
  const out = resolve(config.out);
  mkdirSync(dirname(out), { recursive: true });

  const startedAt = new Date();
  const t0 = performance.now();
  const elapsed = () => Math.round(performance.now() - t0) / 1000;
  const errors: string[] = [];
  const syncs: SyncRecord[] = [];
  const cycles: CycleRecord[] = [];
  const rss: RssSample[] = [];
  const stop = new AbortController();
  const onSignal = () => {
    // The exit handler below still kills the connector, so even a second Ctrl-C leaves no process behind.
    if (stop.signal.aborted) process.exit(130);
    process.stderr.write("soak: stopping; writing partial results (Ctrl-C again to quit at once)\n");
    stop.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const faults = config.faults ? MODERATE_FAULTS : {};
  process.stderr.write(`soak: simulated org of ${config.users} users (seed ${config.seed}), faults ${config.faults ? "on" : "off"}, rate scale ${config.rateScale}\n`);
  const fake = await startFakeOkta({
    users: config.users, seed: config.seed, rateScale: config.rateScale, faults,
    onInternalError: (error) => errors.push(`fake-okta internal error: ${(error as Error)?.message ?? String(error)}`),
  });
  // The connector runs without --sync-custom-roles, so those listings are not part of the minimum.
  const oktaCallsMinimum = minimumOktaCalls(await fake.groundTruth(), { syncCustomRoles: false }).total;
  const work = mkdtempSync(join(tmpdir(), "okta-soak-"));
  let stoppedBy: SoakObservations["stoppedBy"] = "duration";
  let reference: SyncRecord | undefined;
  let sampler: NodeJS.Timeout | undefined;
  let connector: Awaited<ReturnType<typeof startConnector>> | undefined;
  const killConnector = () => {
    if (connector && connector.exited() === undefined) process.kill(connector.pid, "SIGKILL");
  };
  process.once("exit", killConnector);
  try {
    connector = await startConnector({ oktaUrl: fake.url, apiToken: fake.tokens.super_admin });
    const pid = connector.pid;
    const sample = (iteration?: number) => {
      const mb = readRssMb(pid);
      if (mb !== undefined) rss.push({ t: Math.round(elapsed() * 10) / 10, mb, ...(iteration === undefined ? {} : { iteration }) });
    };
    sample();
    sampler = setInterval(sample, config.sampleMs);
    const clients = createConnectorClients({ address: connector.address });

    const stopReason = (): SoakObservations["stoppedBy"] | undefined => {
      if (stop.signal.aborted) return "interrupted";
      if (connector!.exited() !== undefined) return "connector exited";
      if (syncs.length >= config.maxSyncs) return "max-syncs";
      return elapsed() * 1000 >= config.durationMs ? "duration" : undefined;
    };
    const iteration = async (n: number): Promise<void> => {
      if (config.faults) fake.setFaults({ searchLagMs: n % SEARCH_LAG_EVERY === 0 ? SEARCH_LAG_MS : 0 });
      const mode = config.pagedEvery > 0 && n % config.pagedEvery === 0 ? "paged" : "stream";
      const sync = checked(await runSync({ fake, address: connector!.address, file: join(work, `${mode}.sqlite`), mode, n, at: elapsed(), signal: stop.signal }));
      // A sync the soak's own Ctrl-C cut short is neither a result nor an error.
      if (stop.signal.aborted && sync.exitCode !== 0) return;
      syncs.push(sync);
      if (sync.error) errors.push(sync.error);
      let cycle: CycleRecord | undefined;
      if (!stop.signal.aborted && connector!.exited() === undefined) {
        cycle = await runProvisioningCycle({ clients, fake, n }).catch((error: unknown) => ({
          n, kind: n % 2 === 1 ? ("group-membership" as const) : ("app-assignment" as const), grantId: "", durationMs: 0, oktaCalls: 0, error: (error as Error).message,
        }));
        cycles.push(cycle);
        if (cycle.error) errors.push(`cycle #${n} (${cycle.kind} ${cycle.grantId}): ${cycle.error}`);
      }
      if (connector!.exited() !== undefined) errors.push(`the connector exited (${connector!.exited()}) during iteration ${n}`);
      sample(n);
      process.stderr.write(
        `soak: #${n} ${elapsed().toFixed(0)}s ${mode} sync ${(sync.durationMs / 1000).toFixed(1)}s${sync.error ? " FAILED" : ""}, ${sync.oktaCalls} Okta calls (${sync.okta429s} 429, ${sync.oktaFaults} faults), ` +
          `cycle ${cycle === undefined ? "skipped" : cycle.error ? "FAILED" : "ok"}, errors ${errors.length}, RSS ${rss.at(-1)?.mb ?? "?"} MB\n`,
      );
    };
    for (let n = 1; ; n++) {
      const reason = stopReason();
      if (reason !== undefined) {
        stoppedBy = reason;
        break;
      }
      await iteration(n);
    }
  } catch (error) {
    errors.push(`soak: ${(error as Error).message}`);
    stoppedBy = stop.signal.aborted ? "interrupted" : "failed";
  } finally {
    clearInterval(sampler);
    await connector?.stop();
    killConnector();
    await fake.close();
    rmSync(work, { recursive: true, force: true });
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }

  const results = soakResults({ config, faults: { ...faults, searchLagMs: config.faults ? SEARCH_LAG_MS : 0, searchLagEvery: config.faults ? SEARCH_LAG_EVERY : 0 }, startedAt, elapsedMs: elapsed() * 1000, stoppedBy, oktaCallsMinimum, syncs, cycles, errors, rss, ...(reference?.totals ? { reference: reference.totals } : {}) });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(renderSummary(results, out));
  return errors.length > 0 ? 1 : 0;

  /**
   * Compares a finished sync with the first one that finished: every grant/revoke cycle before it was
   * undone, so the org holds the same users, groups, apps and access, and the counts must be equal.
   */
  function checked(sync: SyncRecord): SyncRecord {
    if (sync.error || !sync.counts) return sync;
    if (!reference) {
      reference = sync;
      return sync;
    }
    const diff = countDifferences(reference.counts!, sync.counts);
    return diff.length === 0 ? sync : { ...sync, error: `${sync.mode} sync #${sync.n} differs from the reference (${reference.mode} sync #${reference.n}): ${diff.join("; ")}` };
  }
}
