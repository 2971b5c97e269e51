import { Command, CommanderError, InvalidArgumentError, Option } from "commander";

/** What one soak run does, validated; every field has a default. */
export interface SoakConfig {
  /** Wall-clock budget; the loop starts no new iteration after it. */
  readonly durationMs: number;
  /** Most syncs (stream and paged together). */
  readonly maxSyncs: number;
  /** Users in the simulated org. */
  readonly users: number;
  readonly seed: number;
  /**
   * Okta's rate-limit minute divided by this. The default, 0.5, stretches each window to two minutes
   * with Okta's counts, so a 1,000-user org synced back to back runs into the `other` bucket's limit
   * within minutes and the connector's pacing and 429 handling are part of every soak.
   */
  readonly rateScale: number;
  /** Every Nth sync goes over the paged c1 RPCs; 0 never. */
  readonly pagedEvery: number;
  /** How often the connector's RSS is read between iteration ends. */
  readonly sampleMs: number;
  /** False runs the same loop against a well-behaved simulator, for comparison. */
  readonly faults: boolean;
  /** The results file. */
  readonly out: string;
}

/** Raised for a bad command line; the message names the flag. Exit 2. */
export class SoakUsageError extends Error {
  override readonly name = "SoakUsageError";
}

/** Raised for --help; the text is the usage. Exit 0. */
export class SoakHelp extends Error {
  override readonly name = "SoakHelp";
}

/**
 * Parses `npm run soak -- …` flags. Commander reports unknown flags and missing values; the parsers
 * below report bad values, each naming its flag, so every refusal is one line saying what to fix.
 */
export function parseSoakArgs(argv: readonly string[], today: Date = new Date()): SoakConfig {
  let help = "";
  const program = new Command("soak")
    .description("Repeats syncs and grant/revoke cycles against the simulated Okta org with faults on")
    .exitOverride()
    .configureOutput({ writeOut: (text) => (help += text), writeErr: () => {} })
    .allowExcessArguments(false)
    .addOption(new Option("--duration <time>", "time budget: minutes, or 90s, 10m, 1h").default("10m").argParser(durationArg()))
    .addOption(new Option("--max-syncs <n>", "most syncs to run").default(1000).argParser(integerArg(1, 1_000_000)))
    .addOption(new Option("--users <n>", "users in the simulated org").default(1000).argParser(integerArg(10, 100_000)))
    .addOption(new Option("--seed <n>", "seed of the simulated org").default(42).argParser(integerArg(0, 2 ** 31)))
    .addOption(new Option("--rate-scale <n>", "Okta's rate-limit minute divided by this; below 1 is stricter than Okta").default(0.5).argParser(numberArg(0.1, 600)))
    .addOption(new Option("--paged-every <n>", "every Nth sync is paged (0: never)").default(3).argParser(integerArg(0, 1_000_000)))
    .addOption(new Option("--sample-seconds <n>", "seconds between RSS samples").default(2).argParser(numberArg(0.1, 600)))
    .addOption(new Option("--no-faults", "run without injected faults"))
    .addOption(new Option("--out <file>", "results file (default bench/results/soak-YYYY-MM-DD.json)"));
  try {
    program.parse([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError && (error.code === "commander.helpDisplayed" || error.code === "commander.help")) throw new SoakHelp(help);
    if (error instanceof CommanderError) throw new SoakUsageError(error.message.replace(/^error: /, ""));
    throw error;
  }
  const o = program.opts<{ duration: number | string; maxSyncs: number; users: number; seed: number; rateScale: number; pagedEvery: number; sampleSeconds: number; faults: boolean; out?: string }>();
  const durationMs = typeof o.duration === "string" ? durationArg()(o.duration) : o.duration;
  const out = o.out ?? new URL(`../../bench/results/soak-${today.toISOString().slice(0, 10)}.json`, import.meta.url).pathname;
  if (out.trim() === "") throw new SoakUsageError("--out: give a file path");
  return { durationMs, maxSyncs: o.maxSyncs, users: o.users, seed: o.seed, rateScale: o.rateScale, pagedEvery: o.pagedEvery, sampleMs: Math.round(o.sampleSeconds * 1000), faults: o.faults, out };
}

/** `10` (minutes), `90s`, `10m`, `1.5h`: from one second to a day, in milliseconds. */
function durationArg(): (raw: string) => number {
  return (raw) => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h)?\s*$/.exec(raw);
    const unit = { s: 1_000, m: 60_000, h: 3_600_000 }[(m?.[2] ?? "m") as "s" | "m" | "h"];
    const ms = m ? Math.round(Number(m[1]) * unit) : NaN;
    if (!(ms >= 1_000 && ms <= 86_400_000)) throw new InvalidArgumentError("expected a time from 1s to 24h (e.g. 10, 90s, 10m, 1h)");
    return ms;
  };
}

function integerArg(min: number, max: number): (raw: string) => number {
  return (raw) => {
    const value = Number(raw);
    if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return value;
  };
}

function numberArg(min: number, max: number): (raw: string) => number {
  return (raw) => {
    const value = Number(raw);
    if (raw.trim() === "" || !(value >= min && value <= max)) throw new InvalidArgumentError(`expected a number from ${min} to ${max}`);
    return value;
  };
}
