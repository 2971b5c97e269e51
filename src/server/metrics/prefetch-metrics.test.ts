import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { registerPrefetchMetrics } from "./prefetch-metrics.js";

describe("registerPrefetchMetrics", () => {
  it("exports the prefetcher's counts as they are at scrape time", async () => {
    const registry = new Registry();
    const counts = { started: 5, served: 4, wasted: 1, evicted: 1, failed: 0 };
    registerPrefetchMetrics(registry, () => counts);
    expect(await registry.metrics()).toMatch(/^okta_connector_paged_prefetch_wasted_total 1$/m);
    counts.served = 9;
    const text = await registry.metrics();
    expect(text).toMatch(/^okta_connector_paged_prefetch_served_total 9$/m);
    expect(text).toMatch(/^okta_connector_paged_prefetch_started_total 5$/m);
  });
});
