import { Counter, type Registry } from "prom-client";

/** The prefetcher's counts (protocol/page-prefetch.ts), restated here because server/ sits below protocol/. */
export interface PagePrefetchCounts {
  readonly started: number;
  readonly served: number;
  readonly wasted: number;
  readonly evicted: number;
  readonly failed: number;
}

/**
 * The paged-listing prefetcher's counts as Prometheus counters, read from the prefetcher at scrape
 * time: pages prefetched, served from prefetch, wasted (fetched and never asked for), of those evicted
 * by the bounds, and failed prefetches.
 */
export function registerPrefetchMetrics(registry: Registry, stats: () => PagePrefetchCounts): void {
  const counter = (name: string, help: string, pick: (s: PagePrefetchCounts) => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(pick(stats()));
      },
    });
  counter("okta_connector_paged_prefetch_started_total", "Pages of paged listings fetched ahead", (s) => s.started);
  counter("okta_connector_paged_prefetch_served_total", "Paged listing requests answered from a page fetched ahead", (s) => s.served);
  counter("okta_connector_paged_prefetch_wasted_total", "Pages fetched ahead and never asked for (expired, evicted or dropped at shutdown)", (s) => s.wasted);
  counter("okta_connector_paged_prefetch_evicted_total", "Of the wasted pages, those evicted by the per-caller or byte bound", (s) => s.evicted);
  counter("okta_connector_paged_prefetch_failed_total", "Pages fetched ahead whose fetch failed (not kept; the request goes to Okta)", (s) => s.failed);
}
