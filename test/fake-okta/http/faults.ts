import { createPrng } from "../core/prng.js";

/**
 * Faults the simulator can inject into API answers (issue #3 §5). Rates are shares of requests in [0, 1],
 * decided independently per request; `buckets` limits faults to some rate-limit buckets (empty = all).
 * `/__sim/*` paths are never faulted.
 */
export interface FaultSettings {
  /** Added before answering. */
  latencyMs: number;
  /** Plus a uniform random extra in [0, jitterMs). */
  jitterMs: number;
  /** Share answered 500 (Okta's E0000009 JSON), 502 or 503 (a proxy's HTML page). */
  errorRate: number;
  /** Share whose connection is destroyed without an answer. */
  resetRate: number;
  /** Share answered 200 with a truncated JSON body. */
  malformedRate: number;
  /** Share answered 429 E0000047 whatever the bucket's count (a 429 storm); the reset is "now". */
  stormRate: number;
  /**
   * Share of successful writes (non-GET API requests; not the OAuth token endpoint) that are applied
   * to the org and then answered 502 or have their connection reset: the reply is lost, the change stays.
   */
  lostReplyRate: number;
  /** The next N successful writes lose their reply, as `lostReplyRate` does; counts down. Deterministic, for tests. */
  loseNextReplies: number;
  /** How a lost reply looks: a proxy's 502, a reset connection, or either at random ("mixed"). */
  lostReplyKind: "502" | "reset" | "mixed";
  /** How long `search` on users lags behind writes (eventual consistency, SDK issue #422). */
  searchLagMs: number;
  /** While true, API requests wait (and count as in flight) until it is set back to false. */
  paused: boolean;
  /**
   * As `paused`, for writes (non-GET API requests) only: reads are answered, writes are held. Lets a
   * test hold a provisioning call's write past the connector's timeout after its reads went through.
   */
  pauseWrites: boolean;
  /**
   * While true, next links go round in a circle: a page reached through any `after` but the listing's
   * first links back to that first `after` (pages 2 -> 3 -> 2 …). See loopNextLink in paging.ts.
   */
  loopNextLinks: boolean;
  /** Rate-limit bucket names the faults apply to; empty means every bucket. */
  buckets: string[];
}

/** No faults. */
export const NO_FAULTS: Readonly<FaultSettings> = {
  latencyMs: 0, jitterMs: 0, errorRate: 0, resetRate: 0, malformedRate: 0, stormRate: 0, lostReplyRate: 0, loseNextReplies: 0, lostReplyKind: "mixed", searchLagMs: 0, paused: false, pauseWrites: false, loopNextLinks: false, buckets: [],
};

/** What to do with one request. */
export interface FaultDecision {
  delayMs: number;
  action: "none" | "error" | "reset" | "malformed" | "storm";
  errorStatus: 500 | 502 | 503;
}

/** Holds the current settings and rolls the dice per request. */
export interface FaultInjector {
  settings(): FaultSettings;
  update(change: Partial<FaultSettings>): FaultSettings;
  decide(bucket: string): FaultDecision;
  /** After a write was applied: whether its reply is lost, and how. Call once per applied write. */
  decideLostReply(bucket: string): "none" | "502" | "reset";
  /** Resolves when a request of `method` (GET by default) is no longer held by `paused` or `pauseWrites`. */
  whenResumed(method?: string): Promise<void>;
}

const RATES = ["errorRate", "resetRate", "malformedRate", "stormRate", "lostReplyRate"] as const;
const LOST_REPLY_KINDS = ["502", "reset", "mixed"] as const;
const DURATIONS = ["latencyMs", "jitterMs", "searchLagMs"] as const;

/**
 * Checks a JSON body for `POST /__sim/faults` (or flags): known keys only, rates in [0, 1], durations
 * whole milliseconds up to ten minutes. Throws an Error whose message names the field.
 */
export function validateFaults(input: unknown): Partial<FaultSettings> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) throw new Error("faults must be a JSON object");
  const out: Partial<FaultSettings> = {};
  for (const [key, value] of Object.entries(input)) {
    if ((RATES as readonly string[]).includes(key)) {
      if (typeof value !== "number" || !(value >= 0 && value <= 1)) throw new Error(`${key} must be a number between 0 and 1 (got ${JSON.stringify(value)})`);
      out[key as (typeof RATES)[number]] = value;
    } else if ((DURATIONS as readonly string[]).includes(key)) {
      if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 600_000) throw new Error(`${key} must be an integer number of milliseconds between 0 and 600000 (got ${JSON.stringify(value)})`);
      out[key as (typeof DURATIONS)[number]] = value;
    } else if (key === "loseNextReplies") {
      if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 10_000) throw new Error(`loseNextReplies must be an integer between 0 and 10000 (got ${JSON.stringify(value)})`);
      out.loseNextReplies = value;
    } else if (key === "lostReplyKind") {
      if (!(LOST_REPLY_KINDS as readonly unknown[]).includes(value)) throw new Error(`lostReplyKind must be one of ${LOST_REPLY_KINDS.join(", ")} (got ${JSON.stringify(value)})`);
      out.lostReplyKind = value as FaultSettings["lostReplyKind"];
    } else if (key === "paused" || key === "pauseWrites" || key === "loopNextLinks") {
      if (typeof value !== "boolean") throw new Error(`${key} must be true or false (got ${JSON.stringify(value)})`);
      out[key] = value;
    } else if (key === "buckets") {
      if (!Array.isArray(value) || !value.every((b) => typeof b === "string")) throw new Error(`buckets must be an array of bucket names (got ${JSON.stringify(value)})`);
      out.buckets = [...(value as string[])];
    } else {
      throw new Error(`unknown fault '${key}'; known: ${[...RATES, ...DURATIONS, "loseNextReplies", "lostReplyKind", "paused", "pauseWrites", "loopNextLinks", "buckets"].join(", ")}`);
    }
  }
  return out;
}

/** Creates an injector starting from `initial`; the dice are seeded so a single-threaded run repeats. */
export function createFaultInjector(initial: Partial<FaultSettings>, seed: number, onChange: (s: FaultSettings) => void = () => {}): FaultInjector {
  let current: FaultSettings = { ...NO_FAULTS, ...initial };
  const prng = createPrng(seed, "faults");
  // Requests held by `paused` or `pauseWrites`, released as soon as the settings no longer hold them.
  let held: { write: boolean; release: () => void }[] = [];
  const holds = (write: boolean): boolean => current.paused || (write && current.pauseWrites);
  const syncPause = (): void => {
    const still = held.filter((h) => holds(h.write));
    for (const h of held) if (!holds(h.write)) h.release();
    held = still;
  };
  onChange(current);
  return {
    settings: () => ({ ...current, buckets: [...current.buckets] }),
    update(change) {
      current = { ...current, ...change };
      syncPause();
      onChange(current);
      return { ...current };
    },
    decide(bucket) {
      const none: FaultDecision = { delayMs: 0, action: "none", errorStatus: 500 };
      if (current.buckets.length > 0 && !current.buckets.includes(bucket)) return none;
      const delayMs = current.latencyMs + (current.jitterMs > 0 ? prng.int(current.jitterMs) : 0);
      const roll = prng.next();
      let edge = current.resetRate;
      if (roll < edge) return { ...none, delayMs, action: "reset" };
      edge += current.errorRate;
      if (roll < edge) return { delayMs, action: "error", errorStatus: prng.pick([500, 502, 503] as const) };
      edge += current.stormRate;
      if (roll < edge) return { ...none, delayMs, action: "storm" };
      edge += current.malformedRate;
      if (roll < edge) return { ...none, delayMs, action: "malformed" };
      return { ...none, delayMs };
    },
    decideLostReply(bucket) {
      if (current.buckets.length > 0 && !current.buckets.includes(bucket)) return "none";
      if (current.loseNextReplies > 0) {
        current = { ...current, loseNextReplies: current.loseNextReplies - 1 };
      } else if (current.lostReplyRate === 0 || prng.next() >= current.lostReplyRate) {
        return "none";
      }
      return current.lostReplyKind === "mixed" ? prng.pick(["502", "reset"] as const) : current.lostReplyKind;
    },
    whenResumed(method = "GET") {
      const write = method !== "GET" && method !== "HEAD";
      if (!holds(write)) return Promise.resolve();
      return new Promise<void>((release) => held.push({ write, release }));
    },
  };
}
