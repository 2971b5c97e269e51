/**
 * Paged listings, fetched one page ahead. baton-sdk's syncer asks for pages one after another, and
 * when a page is answered its next page token is already known, so the next page is fetched while the
 * engine stores this one. A prefetched page is keyed by that exact token (and the request's other
 * fields), so only the request that would have fetched the same page is served from it; anything
 * else goes to Okta as before.
 *
 * Bounds: at most `maxPerPrincipal` pages held or in flight per caller, and `maxBytes` held in all. A
 * speculative prefetch (`ifRoom`: a page the engine has not yet come near) never evicts: it starts only
 * while its caller has two slots free (so the page after a served one always has one), fewer than
 * `maxInFlightPerPrincipal` of its caller's fetches run, and less than `maxSpeculativeBytes` is held
 * (pages held cost several times their encoded size in memory); if its page then does not fit in
 * `maxBytes`, it is the one dropped.
 * A page older than `ttlMs` when asked for (counted from when its fetch began, i.e. the data's age) is
 * dropped, never served; one asked for while young is served once its fetch ends, however late. A failed prefetch is not served, so the real request meets the real error; its key is kept
 * until asked for (or expired), so the same page is not fetched ahead again meanwhile. Every page that
 * was fetched (or was being fetched) and never served counts as wasted.
 */
export interface PagePrefetchOptions {
  /**
   * Default 120 s. A page fetched ahead for a resource several listings on waits while the engine reads
   * a long listing page after page (an app's users at 100,000 users take minutes): at 30 s, 529 of the
   * 5,008 pages fetched ahead in a 100,000-user paged sync expired first and were read again.
   */
  readonly ttlMs?: number;
  /** Default 128. */
  readonly maxPerPrincipal?: number;
  /** Speculative fetches of one caller at once (Okta's concurrency is per org). Default 16. */
  readonly maxInFlightPerPrincipal?: number;
  /** Held bytes above which no speculative fetch starts. Default half of maxBytes. */
  readonly maxSpeculativeBytes?: number;
  /** Default 64 MiB. */
  readonly maxBytes?: number;
  readonly now?: () => number;
}

export interface PagePrefetchStats {
  /** Prefetches begun. */
  readonly started: number;
  /** Requests answered from a prefetch. */
  readonly served: number;
  /** Prefetched pages never served: expired, evicted, or dropped at close. */
  readonly wasted: number;
  /** Of the wasted, those evicted by the per-principal or byte bound. */
  readonly evicted: number;
  /** Prefetches that failed (not cached; the real request goes to Okta). */
  readonly failed: number;
}

/** A page and the bytes it holds while it waits (its encoded response). */
export interface PrefetchedPage<T> {
  readonly value: T;
  readonly bytes: number;
}

export interface PagePrefetcher {
  /**
   * Fetches the page `key` names in the background, unless it is already held or in flight, or the
   * prefetcher is closed. `run` must stop when its signal aborts (eviction, expiry, close). Over the
   * per-caller bound the caller's oldest page is evicted; with `ifRoom` nothing is, and the prefetch
   * starts only while the caller has two slots free. Says whether it started (or was already there).
   */
  prefetch<T>(key: string, principal: string, run: (signal: AbortSignal) => Promise<PrefetchedPage<T>>, options?: { readonly ifRoom?: boolean }): boolean;
  /**
   * Takes the page `key` names out of the prefetcher: resolves to it, or to undefined when none is held,
   * it expired, or its fetch failed. Waits for a page still in flight; `signal` aborting stops the wait
   * (rejecting with the signal's reason) and the fetch. A page `accept` refuses (fetched for other
   * input than the request's) is not served: undefined, and the page counts as wasted.
   */
  take<T>(key: string, signal?: AbortSignal, accept?: (value: T) => boolean): Promise<T | undefined>;
  stats(): PagePrefetchStats;
  /** Aborts every prefetch and drops every page (server shutdown); later prefetches are refused. */
  close(): void;
}

interface Entry {
  readonly key: string;
  readonly principal: string;
  readonly startedAt: number;
  readonly controller: AbortController;
  readonly result: Promise<PrefetchedPage<unknown> | undefined>;
  bytes: number;
  /** Taken by a request while still in flight: its page goes to that request, never into the bounds. */
  taken: boolean;
  readonly speculative: boolean;
  settled: boolean;
  /** Its fetch failed: kept only so that the key is not fetched ahead again before it is asked for. */
  failed: boolean;
  timer: ReturnType<typeof setTimeout>;
}

export function createPagePrefetcher(options: PagePrefetchOptions = {}): PagePrefetcher {
  const ttlMs = options.ttlMs ?? 120_000;
  const maxPerPrincipal = options.maxPerPrincipal ?? 128;
  const maxInFlight = options.maxInFlightPerPrincipal ?? 16;
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const maxSpeculativeBytes = options.maxSpeculativeBytes ?? maxBytes / 2;
  const now = options.now ?? Date.now;
  // Insertion order is age order, so the first entry of a principal is its oldest.
  const entries = new Map<string, Entry>();
  let heldBytes = 0;
  let closed = false;
  const counts = { started: 0, served: 0, wasted: 0, evicted: 0, failed: 0 };

  const remove = (entry: Entry): boolean => {
    if (entries.get(entry.key) !== entry) return false;
    entries.delete(entry.key);
    clearTimeout(entry.timer);
    heldBytes -= entry.bytes;
    entry.bytes = 0;
    return true;
  };
  const drop = (entry: Entry, evicted: boolean): void => {
    if (!remove(entry)) return;
    entry.controller.abort(new Error("page prefetch dropped"));
    if (entry.failed) return;
    counts.wasted++;
    if (evicted) counts.evicted++;
  };

  return {
    prefetch(key, principal, run, prefetchOptions = {}) {
      if (closed) return false;
      if (entries.has(key)) return true;
      const mine = [...entries.values()].filter((e) => e.principal === principal);
      const speculative = prefetchOptions.ifRoom === true;
      if (speculative && (mine.length >= maxPerPrincipal - 1 || heldBytes >= maxSpeculativeBytes || mine.filter((e) => !e.settled).length >= maxInFlight)) return false;
      for (const old of mine.slice(0, Math.max(0, mine.length - maxPerPrincipal + 1))) drop(old, true);
      const controller = new AbortController();
      counts.started++;
      const entry: Entry = {
        key,
        principal,
        startedAt: now(),
        controller,
        bytes: 0,
        taken: false,
        speculative,
        settled: false,
        failed: false,
        timer: setTimeout(() => drop(entry, false), ttlMs),
        result: Promise.resolve()
          .then(() => run(controller.signal))
          .then(
            (page) => {
              entry.settled = true;
              if (entry.taken) return page;
              if (entries.get(key) !== entry) return undefined;
              entry.bytes = page.bytes;
              heldBytes += page.bytes;
              // Over the byte bound: the oldest pages go first, this one last; a speculative page goes itself.
              for (const old of entry.speculative ? [] : [...entries.values()]) {
                if (heldBytes <= maxBytes) break;
                if (old !== entry) drop(old, true);
              }
              if (heldBytes > maxBytes) {
                drop(entry, true);
                return undefined;
              }
              return page;
            },
            () => {
              entry.settled = true;
              const held = entries.get(key) === entry;
              if (held || entry.taken) counts.failed++;
              entry.failed = held;
              return undefined;
            },
          ),
      };
      entry.timer.unref?.();
      entries.set(key, entry);
      return true;
    },

    async take<T>(key: string, signal?: AbortSignal, accept?: (value: T) => boolean): Promise<T | undefined> {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (now() - entry.startedAt > ttlMs) {
        drop(entry, false);
        return undefined;
      }
      // Taken out now, so a second request with the same token goes to Okta rather than share this page.
      remove(entry);
      entry.taken = true;
      signal?.throwIfAborted();
      const page = await new Promise<PrefetchedPage<unknown> | undefined>((resolve, reject) => {
        const onAbort = () => {
          entry.controller.abort(signal!.reason);
          reject(signal!.reason);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        entry.result.then((p) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(p);
        }, reject);
      });
      if (page === undefined) return undefined;
      if (accept && !accept(page.value as T)) {
        counts.wasted++;
        return undefined;
      }
      // The page was young enough when asked for, however long its fetch then took: a live fetch begun
      // at the ask would read Okta no earlier, and would pay the same slow calls again (a user page
      // whose MFA factor reads wait for the next rate-limit window takes a minute).
      counts.served++;
      return page.value as T;
    },

    stats: () => ({ ...counts }),

    close() {
      closed = true;
      for (const entry of [...entries.values()]) drop(entry, false);
    },
  };
}
