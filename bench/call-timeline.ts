/**
 * Where a benchmarked sync spends its time: the simulated org's calls, by route, in each interval of
 * the run. A rate-limited sync is at its floor only while the floor's bucket is busy; the timeline
 * shows which listings kept it busy and when it sat idle (while one listing was read page after page).
 */

/** Calls per route in one interval; the interval ends `atSeconds` after the run started. */
export interface TimelineStep {
  readonly atSeconds: number;
  readonly calls: number;
  readonly routes: Readonly<Record<string, number>>;
}

/** Calls by route so far, as the simulator counts them. */
export type RouteCounts = Readonly<Record<string, { readonly calls: number }>>;

/** The step between two readings of the counters: routes without a call in between are left out. */
export function timelineStep(atSeconds: number, before: RouteCounts, after: RouteCounts): TimelineStep {
  const routes: Record<string, number> = {};
  let calls = 0;
  for (const [route, counters] of Object.entries(after)) {
    const delta = counters.calls - (before[route]?.calls ?? 0);
    if (delta <= 0) continue;
    routes[route] = delta;
    calls += delta;
  }
  return { atSeconds, calls, routes };
}

/** Reads `counts()` every `intervalMs` until stopped; the last step ends at the stop. */
export function recordCallTimeline(counts: () => RouteCounts, intervalMs: number, now: () => number = () => performance.now()): { stop(): TimelineStep[] } {
  const started = now();
  const steps: TimelineStep[] = [];
  let last = counts();
  const sample = () => {
    const current = counts();
    steps.push(timelineStep(Math.round((now() - started) / 100) / 10, last, current));
    last = current;
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return steps;
    },
  };
}
