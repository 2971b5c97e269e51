import { AsyncLocalStorage } from "node:async_hooks";
import type { OktaRequestObserver } from "../okta/index.js";
import type { OktaCallTally } from "../protocol/index.js";

/**
 * Counts Okta calls per piece of work (a Sync stream, one page of a listing) rather than per process,
 * so that a Sync's summary reports its own calls while other syncs share the client. The executor
 * tells an observer of every attempt; AsyncLocalStorage says which work the attempt was made for, as
 * okta-request-trace.ts does for provisioning's audit lines. Tallies nest: a page's calls count in
 * the page and in the sync around it.
 */
export interface OktaCallTallies {
  /** Give this to the Okta client; it is what sees the attempts. */
  readonly observer: OktaRequestObserver;
  count<T>(tally: OktaCallTally, run: () => Promise<T>): Promise<T>;
}

export function createOktaCallTallies(): OktaCallTallies {
  const storage = new AsyncLocalStorage<readonly OktaCallTally[]>();
  return {
    observer: {
      attempt(info) {
        const tallies = storage.getStore();
        if (tallies === undefined) return undefined;
        for (const tally of tallies) {
          tally.calls++;
          tally.lastCall = `${info.method} ${info.path}`;
        }
        return (outcome) => {
          if (outcome.status === 429) for (const tally of tallies) tally.rateLimited++;
        };
      },
    },
    count(tally, run) {
      return storage.run([...(storage.getStore() ?? []), tally], run);
    },
  };
}
