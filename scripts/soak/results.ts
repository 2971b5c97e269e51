import type { SoakConfig } from "./args.js";
import type { CycleRecord } from "./provisioning-cycle.js";
import type { SyncRecord } from "./sync-run.js";

/** One reading of the connector's resident memory. */
export interface RssSample {
  /** Seconds since the soak started. */
  readonly t: number;
  readonly mb: number;
  /** Set when taken at the end of that iteration. */
  readonly iteration?: number;
}

/** Smallest, middle and largest of a series (the lower middle for an even count). */
export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

/** What the soak observed, before it is summarised. */
export interface SoakObservations {
  readonly config: SoakConfig;
  readonly faults: Readonly<Record<string, unknown>>;
  readonly startedAt: Date;
  readonly elapsedMs: number;
  /** "failed": the soak itself could not go on (the connector did not start, say); the error says why. */
  readonly stoppedBy: "duration" | "max-syncs" | "interrupted" | "connector exited" | "failed";
  readonly syncs: readonly SyncRecord[];
  readonly cycles: readonly CycleRecord[];
  readonly errors: readonly string[];
  readonly rss: readonly RssSample[];
  readonly reference?: SyncRecord["totals"];
  /** The fewest Okta calls a sync of this org can make (every listing paged at its maximum, no retry). */
  readonly oktaCallsMinimum: number;
}

/** How many error messages the results keep verbatim; the count covers all of them. */
const FIRST_ERRORS = 10;

/** The results file's content: config, totals, errors, RSS over time and Okta calls per sync. */
export function soakResults(o: SoakObservations) {
  const okSyncs = o.syncs.filter((s) => s.exitCode === 0);
  const callsOf = (mode?: SyncRecord["mode"]) => spread(okSyncs.filter((s) => mode === undefined || s.mode === mode).map((s) => s.oktaCalls));
  const mbs = o.rss.map((s) => s.mb);
  return {
    format: "okta-connector-soak/1",
    date: o.startedAt.toISOString(),
    machine: { node: process.version, platform: process.platform },
    config: {
      durationSeconds: o.config.durationMs / 1000,
      maxSyncs: o.config.maxSyncs,
      users: o.config.users,
      seed: o.config.seed,
      rateScale: o.config.rateScale,
      pagedEvery: o.config.pagedEvery,
      sampleSeconds: o.config.sampleMs / 1000,
      faults: o.faults,
    },
    elapsedSeconds: round(o.elapsedMs / 1000),
    stoppedBy: o.stoppedBy,
    syncs: o.syncs.length,
    streamSyncs: o.syncs.filter((s) => s.mode === "stream").length,
    pagedSyncs: o.syncs.filter((s) => s.mode === "paged").length,
    failedSyncs: o.syncs.filter((s) => s.error !== undefined).length,
    cycles: o.cycles.length,
    failedCycles: o.cycles.filter((c) => c.error !== undefined).length,
    errors: { count: o.errors.length, first: o.errors.slice(0, FIRST_ERRORS) },
    reference: o.reference ?? null,
    rss: { startMb: mbs[0] ?? 0, endMb: mbs.at(-1) ?? 0, peakMb: mbs.length > 0 ? Math.max(...mbs) : 0, samples: o.rss },
    oktaCallsPerSync: { minimum: o.oktaCallsMinimum, all: callsOf(), stream: callsOf("stream"), paged: callsOf("paged") },
    syncSeconds: spread(okSyncs.map((s) => s.durationMs / 1000)),
    retries: o.syncs.reduce((sum, s) => sum + s.retries, 0),
    okta429s: o.syncs.reduce((sum, s) => sum + s.okta429s, 0),
    oktaFaults: o.syncs.reduce((sum, s) => sum + s.oktaFaults, 0),
    syncRuns: o.syncs.map(({ counts: _counts, ...rest }) => rest),
    cycleRuns: o.cycles,
  };
}

export type SoakResults = ReturnType<typeof soakResults>;

/** The few lines printed on stdout at the end. */
export function renderSummary(r: SoakResults, file: string): string {
  const calls = (s: Spread | null) => (s ? `${s.min} / ${s.median} / ${s.max}` : "-");
  return [
    `soak: ${r.elapsedSeconds} s, stopped by ${r.stoppedBy}; ${r.config.users} users, faults ${r.config.faults.errorRate === undefined ? "off" : "on"}, rate scale ${r.config.rateScale}`,
    `  syncs       ${r.syncs} (${r.streamSyncs} stream, ${r.pagedSyncs} paged), ${r.failedSyncs} failed; ${r.retries} retries, ${r.okta429s} Okta 429s, ${r.oktaFaults} injected 5xx/resets`,
    `  cycles      ${r.cycles} grant/revoke, ${r.failedCycles} failed`,
    `  errors      ${r.errors.count}${r.errors.first[0] ? `: ${r.errors.first[0]}` : ""}`,
    `  RSS MB      start ${r.rss.startMb}, end ${r.rss.endMb}, peak ${r.rss.peakMb} (${r.rss.samples.length} samples)`,
    `  Okta calls  per sync min / median / max: stream ${calls(r.oktaCallsPerSync.stream)}, paged ${calls(r.oktaCallsPerSync.paged)} (fewest possible ${r.oktaCallsPerSync.minimum})`,
    `  results     ${file}`,
    "",
  ].join("\n");
}

function spread(values: readonly number[]): Spread | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return { min: round(sorted[0]!), median: round(sorted[Math.floor((sorted.length - 1) / 2)]!), max: round(sorted.at(-1)!) };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
