/** Request accounting per rate-limit bucket and per route, so tests and benchmarks count Okta calls exactly. */

/** Counters for one bucket or route. */
export interface CallCounters {
  calls: number;
  /** Answers with status 429 (rate limit, concurrency limit or a storm fault). */
  throttled: number;
  /** Response body bytes sent. */
  bytes: number;
  /** Answers by HTTP status ("0" for connections reset by a fault). */
  statuses: Record<string, number>;
}

/** `GET /__sim/stats`. */
export interface Stats {
  /** When counting started (start-up or the last reset), ISO-8601. */
  since: string;
  /** API requests being handled right now (paused ones included); what the concurrency limit counts. */
  inFlight: number;
  totals: CallCounters;
  /** By rate-limit bucket (`users`, `group-id`, … see RATE_LIMIT_BUCKETS). */
  buckets: Record<string, CallCounters>;
  /** By route, e.g. `GET /api/v1/groups/{id}/users`. */
  routes: Record<string, CallCounters>;
}

/** The mutable counters behind {@link Stats}. */
export interface StatsRecorder {
  record(bucket: string, route: string, status: number, bytes: number): void;
  snapshot(): Stats;
  reset(): void;
}

/** Creates empty counters; `inFlight` reads the pipeline's gauge. */
export function createStats(inFlight: () => number = () => 0, now: () => number = Date.now): StatsRecorder {
  let since = now();
  let totals = empty();
  let buckets = new Map<string, CallCounters>();
  let routes = new Map<string, CallCounters>();
  const bump = (c: CallCounters, status: number, bytes: number): void => {
    c.calls++;
    if (status === 429) c.throttled++;
    c.bytes += bytes;
    c.statuses[String(status)] = (c.statuses[String(status)] ?? 0) + 1;
  };
  const entry = (map: Map<string, CallCounters>, key: string): CallCounters => {
    let c = map.get(key);
    if (!c) {
      c = empty();
      map.set(key, c);
    }
    return c;
  };
  const copy = (map: Map<string, CallCounters>): Record<string, CallCounters> =>
    Object.fromEntries([...map].sort(([a], [b]) => a.localeCompare(b)).map(([k, c]) => [k, { ...c, statuses: { ...c.statuses } }]));
  return {
    record(bucket, route, status, bytes) {
      bump(totals, status, bytes);
      bump(entry(buckets, bucket), status, bytes);
      bump(entry(routes, route), status, bytes);
    },
    snapshot: () => ({ since: new Date(since).toISOString(), inFlight: inFlight(), totals: { ...totals, statuses: { ...totals.statuses } }, buckets: copy(buckets), routes: copy(routes) }),
    reset() {
      since = now();
      totals = empty();
      buckets = new Map();
      routes = new Map();
    },
  };
}

function empty(): CallCounters {
  return { calls: 0, throttled: 0, bytes: 0, statuses: {} };
}
