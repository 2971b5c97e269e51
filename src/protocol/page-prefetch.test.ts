import { describe, expect, it } from "vitest";
import { createPagePrefetcher, type PrefetchedPage } from "./page-prefetch.js";

/** A fetch the test settles by hand, recording whether its signal was aborted. */
function deferred<T>() {
  let resolve!: (v: PrefetchedPage<T>) => void;
  let reject!: (e: unknown) => void;
  const state = { signal: undefined as AbortSignal | undefined, calls: 0 };
  const promise = new Promise<PrefetchedPage<T>>((res, rej) => ((resolve = res), (reject = rej)));
  const run = (signal: AbortSignal) => {
    state.calls++;
    state.signal = signal;
    return promise;
  };
  return { run, resolve, reject, state };
}

const page = (value: string, bytes = 10) => async () => ({ value, bytes });
const tick = () => new Promise((r) => setTimeout(r, 0));

describe("createPagePrefetcher", () => {
  it("serves a prefetched page once, for its exact key only (hit, then miss)", async () => {
    const p = createPagePrefetcher();
    p.prefetch("k1", "a", page("one"));
    expect(await p.take("other")).toBeUndefined();
    expect(await p.take("k1")).toBe("one");
    expect(await p.take("k1")).toBeUndefined();
    expect(p.stats()).toMatchObject({ started: 1, served: 1, wasted: 0 });
  });

  it("waits for a page still in flight", async () => {
    const p = createPagePrefetcher();
    const d = deferred<string>();
    p.prefetch("k", "a", d.run);
    const taken = p.take<string>("k");
    d.resolve({ value: "late", bytes: 1 });
    expect(await taken).toBe("late");
    expect(p.stats().served).toBe(1);
  });

  it("drops a page older than the TTL, unserved and counted as wasted", async () => {
    let clock = 1000;
    const p = createPagePrefetcher({ ttlMs: 30_000, now: () => clock });
    p.prefetch("k", "a", page("stale"));
    await tick();
    clock += 30_001;
    expect(await p.take("k")).toBeUndefined();
    expect(p.stats()).toMatchObject({ served: 0, wasted: 1 });
  });

  it("serves a page asked for while young even when its fetch then outlasts the TTL", async () => {
    let clock = 1000;
    const p = createPagePrefetcher({ ttlMs: 30_000, now: () => clock });
    const d = deferred<string>();
    p.prefetch("k", "a", d.run);
    clock += 10_000;
    const taken = p.take<string>("k");
    clock += 60_000;
    d.resolve({ value: "slow", bytes: 1 });
    expect(await taken).toBe("slow");
    expect(p.stats()).toMatchObject({ served: 1, wasted: 0 });
  });

  it("expires a held page by timer and aborts its fetch", async () => {
    const p = createPagePrefetcher({ ttlMs: 20 });
    const d = deferred<string>();
    p.prefetch("k", "a", d.run);
    await new Promise((r) => setTimeout(r, 60));
    expect(d.state.signal?.aborted).toBe(true);
    expect(p.stats().wasted).toBe(1);
    expect(await p.take("k")).toBeUndefined();
  });

  it("holds at most maxPerPrincipal pages per caller, evicting the oldest", async () => {
    const p = createPagePrefetcher({ maxPerPrincipal: 2 });
    const first = deferred<string>();
    p.prefetch("k1", "a", first.run);
    p.prefetch("k2", "a", page("two"));
    p.prefetch("b1", "b", page("other caller"));
    p.prefetch("k3", "a", page("three"));
    await tick();
    expect(first.state.signal?.aborted).toBe(true);
    expect(await p.take("k1")).toBeUndefined();
    expect(await p.take("k2")).toBe("two");
    expect(await p.take("k3")).toBe("three");
    expect(await p.take("b1")).toBe("other caller");
    expect(p.stats()).toMatchObject({ started: 4, served: 3, wasted: 1, evicted: 1 });
  });

  it("keeps the held bytes under maxBytes, evicting the oldest pages first", async () => {
    const p = createPagePrefetcher({ maxBytes: 100, maxPerPrincipal: 10 });
    p.prefetch("k1", "a", page("one", 60));
    await tick();
    p.prefetch("k2", "a", page("two", 60));
    await tick();
    expect(await p.take("k1")).toBeUndefined();
    expect(await p.take("k2")).toBe("two");
    // A page larger than the whole bound is not kept at all.
    p.prefetch("huge", "a", page("huge", 101));
    await tick();
    expect(await p.take("huge")).toBeUndefined();
    expect(p.stats()).toMatchObject({ wasted: 2, evicted: 2 });
  });

  it("does not cache errors: a failed prefetch answers undefined so the caller fetches live", async () => {
    const p = createPagePrefetcher();
    const d = deferred<string>();
    p.prefetch("k", "a", d.run);
    d.reject(new Error("Okta 500"));
    await tick();
    expect(await p.take("k")).toBeUndefined();
    // And the key may be prefetched afresh.
    p.prefetch("k", "a", page("retry"));
    expect(await p.take("k")).toBe("retry");
    expect(p.stats()).toMatchObject({ failed: 1, served: 1, wasted: 0 });
  });

  it("a cancelled request stops waiting and aborts the prefetch it took", async () => {
    const p = createPagePrefetcher();
    const d = deferred<string>();
    p.prefetch("k", "a", d.run);
    const request = new AbortController();
    const taken = p.take("k", request.signal);
    request.abort(new Error("client went away"));
    await expect(taken).rejects.toThrow("client went away");
    expect(d.state.signal?.aborted).toBe(true);
  });

  it("close aborts prefetches in flight, counts held pages as wasted and refuses new ones", async () => {
    const p = createPagePrefetcher();
    const d = deferred<string>();
    p.prefetch("k1", "a", d.run);
    p.prefetch("k2", "a", page("held"));
    await tick();
    p.close();
    expect(d.state.signal?.aborted).toBe(true);
    expect(p.stats().wasted).toBe(2);
    const later = deferred<string>();
    p.prefetch("k3", "a", later.run);
    await tick();
    expect(later.state.calls).toBe(0);
    expect(await p.take("k2")).toBeUndefined();
  });

  it("does not start a second fetch for a key already held or in flight", async () => {
    const p = createPagePrefetcher();
    const d = deferred<string>();
    p.prefetch("k", "a", d.run);
    p.prefetch("k", "a", d.run);
    await tick();
    expect(d.state.calls).toBe(1);
    expect(p.stats().started).toBe(1);
  });

  it("a speculative prefetch (ifRoom) never evicts: it starts only while its caller has two slots free", async () => {
    const p = createPagePrefetcher({ maxPerPrincipal: 3 });
    expect(p.prefetch("k1", "a", page("one"), { ifRoom: true })).toBe(true);
    expect(p.prefetch("k2", "a", page("two"), { ifRoom: true })).toBe(true);
    // Two of three slots taken: no room for a third speculative page, which would leave none for the next page served.
    expect(p.prefetch("k3", "a", page("three"), { ifRoom: true })).toBe(false);
    // Another caller has its own slots, and a key already held counts as started.
    expect(p.prefetch("b1", "b", page("other"), { ifRoom: true })).toBe(true);
    expect(p.prefetch("k1", "a", page("again"), { ifRoom: true })).toBe(true);
    // The page after a served one may still evict.
    expect(p.prefetch("k4", "a", page("four"))).toBe(true);
    await tick();
    expect([await p.take("k1"), await p.take("k2"), await p.take("k3"), await p.take("k4")]).toEqual(["one", "two", undefined, "four"]);
    expect(p.stats()).toMatchObject({ started: 4, served: 3, wasted: 0, evicted: 0 });
  });

  it("starts no speculative prefetch while maxInFlightPerPrincipal of its caller's fetches run, or maxSpeculativeBytes are held", async () => {
    const p = createPagePrefetcher({ maxInFlightPerPrincipal: 2, maxBytes: 100 });
    const first = deferred<string>();
    const second = deferred<string>();
    p.prefetch("k1", "a", first.run, { ifRoom: true });
    p.prefetch("k2", "a", second.run, { ifRoom: true });
    await tick();
    expect(p.prefetch("k3", "a", page("three"), { ifRoom: true })).toBe(false);
    first.resolve({ value: "one", bytes: 30 });
    await tick();
    expect(p.prefetch("k3", "a", page("three", 30), { ifRoom: true })).toBe(true);
    await tick();
    // 60 bytes held, over maxSpeculativeBytes (half of maxBytes here): no more speculation until some is taken.
    expect(p.prefetch("k5", "a", page("five"), { ifRoom: true })).toBe(false);
    expect(await p.take("k1")).toBe("one");
    expect(p.prefetch("k5", "a", page("five"), { ifRoom: true })).toBe(true);
  });

  it("a speculative page that does not fit in maxBytes is dropped itself, evicting none of the pages held", async () => {
    const p = createPagePrefetcher({ maxBytes: 100 });
    p.prefetch("k1", "a", page("one", 40));
    await tick();
    p.prefetch("k2", "a", page("two", 70), { ifRoom: true });
    await tick();
    expect(await p.take("k2")).toBeUndefined();
    expect(await p.take("k1")).toBe("one");
    expect(p.stats()).toMatchObject({ served: 1, wasted: 1, evicted: 1 });
  });

  it("a page fetched for other input than the request's (accept refuses it) is not served and counts as wasted", async () => {
    const p = createPagePrefetcher();
    p.prefetch("k", "a", page("for resource v1"));
    expect(await p.take<string>("k", undefined, (v) => v === "for resource v2")).toBeUndefined();
    expect(p.stats()).toMatchObject({ served: 0, wasted: 1 });
  });

  it("keeps a failed prefetch's key until it is asked for, so the page is not fetched ahead again meanwhile", async () => {
    const p = createPagePrefetcher();
    const d = deferred<string>();
    p.prefetch("k", "a", d.run);
    d.reject(new Error("Okta says the listing loops"));
    await tick();
    const again = deferred<string>();
    expect(p.prefetch("k", "a", again.run)).toBe(true);
    await tick();
    expect(again.state.calls).toBe(0);
    expect(await p.take("k")).toBeUndefined();
    p.close();
    expect(p.stats()).toMatchObject({ started: 1, failed: 1, served: 0, wasted: 0 });
  });
});
