import type { OktaTrafficObserver } from "../okta-traffic.js";
import type { ConnectorMetrics } from "./connector-metrics.js";

/**
 * Counts Okta traffic into the connector's metrics: requests by bucket and status, 429s, retries,
 * pacing, attempt durations, and the rate-limit headers of each answer (remaining, limit, reset).
 */
export function createOktaMetricsObserver(metrics: ConnectorMetrics): OktaTrafficObserver {
  const okta = metrics.okta;
  return {
    attempt(info) {
      const bucket = info.bucket;
      if (info.attempt > 0) okta.retries.inc({ bucket });
      const stopTimer = okta.duration.startTimer({ bucket });
      return (outcome) => {
        stopTimer();
        okta.requests.inc({ bucket, status: outcome.status === undefined ? (outcome.failure ?? "network") : String(outcome.status) });
        if (outcome.status === 429) okta.rateLimited.inc({ bucket });
        const rateLimit = outcome.rateLimit;
        if (rateLimit !== undefined) {
          okta.rateLimitRemaining.set({ bucket }, rateLimit.remaining);
          okta.rateLimitLimit.set({ bucket }, rateLimit.limit);
          okta.rateLimitReset.set({ bucket }, Math.round(rateLimit.resetAt.getTime() / 1000));
        }
      };
    },
    paced(info) {
      okta.paced.inc({ bucket: info.bucket });
      okta.pacingWait.inc({ bucket: info.bucket }, info.delayMs / 1000);
    },
  };
}
