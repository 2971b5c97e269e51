/**
 * Okta's org-wide, per-minute rate limits, one bucket per endpoint group, at the Workforce defaults
 * (okta-api.md §3). `scale` compresses the minute (scale 60 gives one-second windows) so a benchmark can
 * hit a limit in seconds; the limits themselves stay Okta's.
 */

/** Bucket → requests per window. Names are the simulator's; README maps them to Okta's table. */
export const RATE_LIMIT_BUCKETS = {
  /** GET and POST /api/v1/users */
  users: 600,
  /** GET /api/v1/users/{idOrLogin} */
  "user-get": 2000,
  /** POST, PUT, DELETE /api/v1/users/{id} and its lifecycle operations */
  "user-write": 600,
  /** GET and POST /api/v1/groups */
  groups: 500,
  /** GET, PUT, DELETE /api/v1/groups/{id} */
  "group-id": 1000,
  /** GET /api/v1/apps */
  apps: 100,
  /** GET /api/v1/apps/{id} */
  "app-id": 500,
  /** GET /api/v1/logs */
  logs: 120,
  /** POST /oauth2/v1/token */
  token: 2000,
  /** every other /api/v1 endpoint (members, app users, roles, IAM, org) */
  other: 1200,
} as const;

export type BucketName = keyof typeof RATE_LIMIT_BUCKETS;

/** The `X-Rate-Limit-*` values for one request. */
export interface RateLimitState {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Epoch seconds at which the window ends. */
  resetSec: number;
}

/** Counts requests per bucket and window. */
export interface RateLimiter {
  /** Counts one request against `bucket` and says whether it is within the limit. */
  take(bucket: BucketName): RateLimitState;
  configure(options: Partial<RateLimiterOptions>): void;
  options(): RateLimiterOptions;
}

export interface RateLimiterOptions {
  /** False counts and reports but never refuses. */
  enabled: boolean;
  /** Windows last 60 s / scale. */
  scale: number;
  /** Per-bucket limits replacing the defaults (tests use small ones). */
  overrides: Partial<Record<BucketName, number>>;
}

/** Creates a limiter; `now` is the clock in epoch milliseconds. */
export function createRateLimiter(initial: Partial<RateLimiterOptions> = {}, now: () => number = Date.now): RateLimiter {
  let options: RateLimiterOptions = { enabled: true, scale: 1, overrides: {}, ...initial };
  const windows = new Map<BucketName, { start: number; used: number }>();
  return {
    take(bucket) {
      const t = now();
      const length = 60_000 / options.scale;
      let window = windows.get(bucket);
      if (!window || t >= window.start + length) {
        window = { start: t, used: 0 };
        windows.set(bucket, window);
      }
      const limit = options.overrides[bucket] ?? RATE_LIMIT_BUCKETS[bucket];
      const resetSec = Math.ceil((window.start + length) / 1000);
      if (options.enabled && window.used >= limit) return { allowed: false, limit, remaining: 0, resetSec };
      window.used++;
      return { allowed: true, limit, remaining: Math.max(0, limit - window.used), resetSec };
    },
    configure(update) {
      options = { ...options, ...update, overrides: { ...options.overrides, ...(update.overrides ?? {}) } };
      windows.clear();
    },
    options: () => options,
  };
}
