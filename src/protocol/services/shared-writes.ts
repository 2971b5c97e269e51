/**
 * Identical provisioning calls in flight share one run, so five engines (or one engine's retries)
 * asking for the same grant at once make one Okta write instead of racing five. The first caller
 * runs the work under its own context (its Okta calls are in its audit line); the others wait for
 * its result and learn that they joined.
 */
export interface SharedWrites<T> {
  /**
   * Runs `work` under `key`, or joins the run already in flight under it. A joiner whose leader's
   * caller went away (its signal aborted) runs the work itself: that failure was not the joiner's.
   */
  run(key: string, signal: AbortSignal, work: () => Promise<T>): Promise<{ readonly value: T; readonly joined: boolean }>;
  /** Keys in flight now (for tests and metrics). */
  size(): number;
}

export function createSharedWrites<T>(): SharedWrites<T> {
  const inFlight = new Map<string, { readonly promise: Promise<T>; readonly signal: AbortSignal }>();
  return {
    async run(key, signal, work) {
      for (;;) {
        const current = inFlight.get(key);
        if (current === undefined) {
          const entry = { promise: work(), signal };
          inFlight.set(key, entry);
          try {
            return { value: await entry.promise, joined: false };
          } finally {
            if (inFlight.get(key) === entry) inFlight.delete(key);
          }
        }
        try {
          return { value: await current.promise, joined: true };
        } catch (error) {
          if (!current.signal.aborted || signal.aborted) throw error;
          if (inFlight.get(key) === current) inFlight.delete(key);
        }
      }
    },
    size: () => inFlight.size,
  };
}
