import type { Resource } from "../../../gen/c1/connector/v2/resource_pb.js";
import { fitResource } from "../fit-limits.js";
import { fetchCounted, type OktaCallCounter } from "../paging.js";
import type { Cursor, Page, ResourceSyncer, SyncCallContext } from "../resource-syncer.js";
import type { SyncPosition } from "./sync-cursor.js";

/** A page and the Okta endpoint it came from (for naming a listing that loops). */
export type CountedPage<T> = { readonly page: Page<T>; readonly endpoint: string | undefined };

/** One listing of the sync: a type's resources, or a resource's entitlements or grants. */
export type Listing = "resources" | "entitlements" | "grants";

/** How far the look-ahead may run in front of the stream. */
export interface LookaheadLimits {
  /** Okta fetches of this stream's look-ahead at once. */
  readonly inFlight: number;
  /** Listings (a type's resource listing, or one resource's entitlements and grants) worked on ahead. */
  readonly listings: number;
  /** Items fetched and not yet taken by the stream: what bounds the memory the look-ahead holds. */
  readonly items: number;
  /** Pages held per listing, fetched and not yet taken. */
  readonly pagesPerListing: number;
  /**
   * The nearest listings in emission order may each hold up to `nearestPages` pages past the item
   * bound, so the stream's next pages are always on their way: a bound filled by work further ahead
   * must not make the stream wait on one live fetch after another.
   */
  readonly nearest: number;
  readonly nearestPages: number;
  /**
   * Types ahead of the stream's current one whose listings are read ahead. One listing page of a type
   * may cost Okta calls in proportion to the org (the role type's page reads every group's roles), so
   * reaching further would let a paused stream's look-ahead grow with the org.
   */
  readonly typesAhead: number;
}

/**
 * 16 fetches keep ~100 calls a second going at Okta's usual 150 ms, more than any bucket allows, and
 * stay far below the org's concurrency limit (75 on Workforce orgs). 20,000 items are ~8 MB of grants.
 * A listing's pages can only be read one after another, so one listing may run far ahead (64 pages,
 * within the item bound): a large app's 30 pages of users are then read while the stream is busy
 * elsewhere, instead of one round trip at a time once it gets there.
 */
export const LOOKAHEAD_LIMITS: LookaheadLimits = { inFlight: 16, listings: 64, items: 20_000, pagesPerListing: 64, nearest: 2, nearestPages: 2, typesAhead: 2 };

/** What the look-ahead walks: the sync's types from where the stream starts, as the stream walks them. */
export interface LookaheadPlan {
  readonly syncers: readonly ResourceSyncer[];
  /** Whether the stream walks type `t` at all, and whether it lists its entitlements and grants. */
  walks(t: number): { readonly resources: boolean; readonly children: boolean };
  /** Which of a resource's listings the stream skips (its annotations). */
  skipsOf(resource: Resource): { readonly entitlements: boolean; readonly grants: boolean };
  readonly start: SyncPosition;
}

export interface LookaheadOptions {
  readonly ctx: SyncCallContext;
  readonly count: OktaCallCounter | undefined;
  /** False while Okta has no room for more work now (a bucket being paced, the concurrency limit). */
  readonly oktaHeadroom?: (() => boolean) | undefined;
  readonly limits?: LookaheadLimits | undefined;
}

/** What the look-ahead holds, for tests and logs. */
export interface LookaheadState {
  readonly inFlight: number;
  readonly heldItems: number;
  readonly listings: number;
  /** Fetches begun ahead of the stream, and those the stream then took. */
  readonly started: number;
  readonly taken: number;
}

export interface Lookahead {
  /**
   * The page of `listing` (of type `t`, for `resource` or for the type's resource listing) at `cursor`:
   * fetched ahead, or now with `live` when the look-ahead does not hold it.
   */
  take<T>(t: number, resource: Resource | undefined, listing: Listing, cursor: Cursor | undefined, live: () => Promise<CountedPage<T>>): Promise<CountedPage<T>>;
  state(): LookaheadState;
  /** Aborts nothing itself (the caller's signal does); starts no more fetches and drops what is held. */
  close(): void;
}

interface Chain {
  readonly t: number;
  readonly resource: Resource | undefined;
  /**
   * Emission order: type, resource page of that type, resource within the page. A type's resource
   * listing has index -1 and, as page, the number of pages the stream has taken from it.
   */
  page: number;
  readonly index: number;
  /** The next page to fetch, or undefined when the listing is done (or failed, or looped). */
  next: { listing: Listing; cursor: Cursor | undefined } | undefined;
  fetching: boolean;
  held: number;
  dropped: boolean;
}

interface Entry {
  readonly chain: Chain;
  readonly result: Promise<CountedPage<unknown>>;
  items: number;
  /** The fetch has ended: a take of it waits for nothing. */
  settled: boolean;
}

/**
 * Runs the sync's Okta reads ahead of the serial stream, across resources and across types: while the
 * stream sends users, the groups are listed and their members read. The stream still emits in its own
 * order and asks for each page as before (so cursors and dependency order are untouched); a page the
 * look-ahead fetched is handed over, anything else is fetched live. Pages are keyed by type, resource,
 * listing and cursor, so a page is only ever served to the request that would have fetched it.
 *
 * The listings are worked on in emission order, nearest first, within {@link LookaheadLimits}: never
 * more than `inFlight` fetches, `listings` listings and `items` items held. A fetch starts only when
 * Okta has headroom (oktaHeadroom), so the look-ahead never waits for a rate-limit window: the stream's
 * own next page does that. A stream that stops reading stops the look-ahead once its bounds fill.
 */
export function createLookahead(plan: LookaheadPlan, options: LookaheadOptions): Lookahead {
  const limits = options.limits ?? LOOKAHEAD_LIMITS;
  const { ctx, count } = options;
  const chains: Chain[] = [];
  const cache = new Map<string, Entry>();
  let inFlight = 0;
  let heldItems = 0;
  let started = 0;
  let taken = 0;
  let closed = false;
  /** The type the stream is at: the look-ahead reads no further than `typesAhead` types beyond it. */
  let streamType = plan.start.typeIndex;

  // Takes of the stream waiting for Okta: a page not fetched yet. Reads started far ahead go on only
  // then, in time the stream would spend idle. A stream that sends, or whose client stopped reading,
  // waits for no page, and those reads wait (whenWanted).
  let waitingForOkta = 0;
  let waiters: (() => void)[] = [];
  const release = () => {
    const parked = waiters;
    waiters = [];
    for (const resume of parked) resume();
  };
  ctx.signal.addEventListener("abort", release, { once: true });
  // Named field by field: a handler context's fields are not its own enumerable properties, so a spread would drop them.
  const farCtx: SyncCallContext = {
    signal: ctx.signal,
    activeSyncId: ctx.activeSyncId,
    whenWanted: () => (closed || ctx.signal.aborted || waitingForOkta > 0 ? Promise.resolve() : new Promise<void>((resume) => waiters.push(resume))),
  };

  const fetchOf = (chain: Chain, listing: Listing, cursor: Cursor | undefined, far: boolean): Promise<CountedPage<unknown>> => {
    const syncer = plan.syncers[chain.t]!;
    if (listing === "resources") return fetchCounted(count, () => syncer.list(undefined, cursor, far ? farCtx : ctx));
    if (listing === "entitlements") return fetchCounted(count, () => syncer.entitlements(chain.resource!, cursor, ctx));
    return fetchCounted(count, () => syncer.grants(chain.resource!, cursor, ctx));
  };

  const firstOf = (resource: Resource, from?: { stage: Listing; cursor: Cursor | undefined }): Chain["next"] => {
    const skips = plan.skipsOf(resource);
    if (from?.stage === "entitlements" && !skips.entitlements) return { listing: "entitlements", cursor: from.cursor };
    if (from?.stage === "grants" || (from?.stage === "entitlements" && skips.entitlements)) {
      return skips.grants ? undefined : { listing: "grants", cursor: from.stage === "grants" ? from.cursor : undefined };
    }
    if (!skips.entitlements) return { listing: "entitlements", cursor: undefined };
    return skips.grants ? undefined : { listing: "grants", cursor: undefined };
  };

  const add = (chain: Chain) => {
    if (chain.next === undefined) return;
    chains.push(chain);
  };

  // The types the stream will walk, each with its resource listing from where the stream starts.
  for (let t = plan.start.typeIndex; t < plan.syncers.length; t++) {
    if (!plan.walks(t).resources) continue;
    const cursor = t === plan.start.typeIndex ? plan.start.listCursor ?? undefined : undefined;
    add({ t, resource: undefined, page: 0, index: -1, next: { listing: "resources", cursor }, fetching: false, held: 0, dropped: false });
  }

  const order = (a: Chain, b: Chain) => a.t - b.t || a.page - b.page || a.index - b.index;

  /** The resources of a fetched page become listings to work on, from where the stream will start. */
  const onResources = (chain: Chain, page: Page<unknown>, pageNumber: number) => {
    if (!plan.walks(chain.t).children) return;
    const resources = (page.items as Resource[]).map(fitResource);
    const start = plan.start;
    const resumesHere = chain.t === start.typeIndex && pageNumber === 0 && start.stage !== "resources";
    for (let i = resumesHere ? start.resourceIndex : 0; i < resources.length; i++) {
      const from = resumesHere && i === start.resourceIndex ? { stage: start.stage as Listing, cursor: start.subCursor ?? undefined } : undefined;
      add({ t: chain.t, resource: resources[i], page: pageNumber, index: i, next: firstOf(resources[i]!, from), fetching: false, held: 0, dropped: false });
    }
    chains.sort(order);
  };

  const pages = new Map<Chain, number>();
  const start = (chain: Chain, far = false) => {
    const { listing, cursor } = chain.next!;
    const key = keyOf(chain, listing, cursor);
    chain.fetching = true;
    inFlight++;
    started++;
    const result = fetchOf(chain, listing, cursor, far);
    const entry: Entry = { chain, result, items: 0, settled: false };
    const settle = () => void (entry.settled = true);
    result.then(settle, settle);
    cache.set(key, entry);
    result.then(
      ({ page }) => {
        if (chain.dropped) return;
        entry.items = page.items.length;
        if (cache.get(key) === entry) heldItems += entry.items;
        else entry.items = 0;
        if (listing === "resources") {
          const n = pages.get(chain) ?? 0;
          pages.set(chain, n + 1);
          onResources(chain, page, n);
        }
        const following: Chain["next"] = page.cursor !== undefined
          ? { listing, cursor: page.cursor }
          : listing === "entitlements" && chain.resource && !plan.skipsOf(chain.resource).grants ? { listing: "grants", cursor: undefined } : undefined;
        // A listing that hands back a cursor it already gave stops here; the stream names the loop.
        chain.next = following !== undefined && cache.has(keyOf(chain, following.listing, following.cursor)) ? undefined : following;
      },
      () => {
        // The stream meets the error when it asks for this page; the listing goes no further ahead.
        chain.next = undefined;
      },
    ).finally(() => {
      chain.fetching = false;
      inFlight--;
      pump();
    });
    chain.held++;
  };

  const pump = () => {
    if (closed || ctx.signal.aborted) return;
    pumpNear();
    pumpFar();
  };

  const pumpNear = () => {
    let ahead = 0;
    for (const chain of chains) {
      if (ahead >= limits.listings || chain.t > streamType + limits.typesAhead) break;
      ahead++;
      if (chain.fetching || chain.next === undefined || chain.held >= limits.pagesPerListing) continue;
      if (inFlight >= limits.inFlight) return;
      if (heldItems >= limits.items) {
        if (ahead > limits.nearest) return;
        if (chain.held >= limits.nearestPages) continue;
      }
      if (options.oktaHeadroom && !options.oktaHeadroom()) return;
      start(chain);
    }
  };

  /**
   * The first page of each later type's resource listing, past the near bounds. It holds few items, but
   * for some types it costs many calls (the role type's first page reads every group's roles), and those
   * are best made while the stream waits on a listing Okta lets us read only page after page (the
   * users). Started, and going on, only while the stream waits for Okta (whenWanted).
   */
  const pumpFar = () => {
    if (waitingForOkta === 0) return;
    for (const chain of chains) {
      if (chain.t <= streamType || chain.index !== -1 || chain.fetching || chain.next === undefined || chain.held > 0 || pages.has(chain)) continue;
      if (inFlight >= limits.inFlight) return;
      if (options.oktaHeadroom && !options.oktaHeadroom()) return;
      start(chain, true);
    }
  };

  /** Listings before `chain` in emission order are behind the stream: what they hold is dropped. */
  const passTo = (chain: Chain) => {
    while (chains.length > 0 && order(chains[0]!, chain) < 0) drop(chains.shift()!);
  };
  const drop = (chain: Chain) => {
    chain.dropped = true;
    pages.delete(chain);
    for (const [key, entry] of cache) {
      if (entry.chain !== chain) continue;
      cache.delete(key);
      heldItems -= entry.items;
    }
  };

  /** The page the stream asks for, and whether it is already fetched (else the stream waits for Okta). */
  const takeHeld = <T>(t: number, resource: Resource | undefined, listing: Listing, cursor: Cursor | undefined, live: () => Promise<CountedPage<T>>): { page: Promise<CountedPage<T>>; ready: boolean } => {
    const chain = chains.find((c) => c.t === t && c.resource?.id?.resource === resource?.id?.resource && (resource === undefined) === (c.resource === undefined));
    streamType = t;
    if (chain === undefined || closed) return { page: live(), ready: false };
    passTo(chain);
    const key = keyOf(chain, listing, cursor);
    // The stream is at this listing's next page before the look-ahead started it: start it now.
    if (!cache.has(key) && !chain.fetching && chain.next?.listing === listing && sameCursor(chain.next.cursor, cursor)) start(chain);
    const entry = cache.get(key);
    if (entry === undefined) return { page: live(), ready: false };
    cache.delete(key);
    chain.held--;
    heldItems -= entry.items;
    entry.items = 0;
    taken++;
    if (listing === "resources") {
      chain.page++;
      chains.sort(order);
    }
    if (!chain.fetching && chain.next === undefined && chain.held === 0) {
      chains.splice(chains.indexOf(chain), 1);
      pages.delete(chain);
    }
    pump();
    return { page: entry.result as Promise<CountedPage<T>>, ready: entry.settled };
  };

  queueMicrotask(pump);
  return {
    async take<T>(t: number, resource: Resource | undefined, listing: Listing, cursor: Cursor | undefined, live: () => Promise<CountedPage<T>>): Promise<CountedPage<T>> {
      const { page, ready } = takeHeld(t, resource, listing, cursor, live);
      if (ready) return await page;
      waitingForOkta++;
      release();
      pump();
      try {
        return await page;
      } finally {
        waitingForOkta--;
      }
    },
    state: () => ({ inFlight, heldItems, listings: chains.length, started, taken }),
    close() {
      closed = true;
      release();
      for (const chain of chains.splice(0)) drop(chain);
    },
  };
}

function keyOf(chain: Chain, listing: Listing, cursor: Cursor | undefined): string {
  return `${chain.t}\u0000${chain.resource?.id?.resource ?? ""}\u0000${listing}\u0000${cursor === undefined ? "" : JSON.stringify(cursor)}`;
}

function sameCursor(a: Cursor | undefined, b: Cursor | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b));
}
