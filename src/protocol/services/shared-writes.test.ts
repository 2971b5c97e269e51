import { describe, expect, it } from "vitest";
import { createSharedWrites } from "./shared-writes.js";

const deferred = <T>() => {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

describe("createSharedWrites", () => {
  it("runs identical calls in flight once; every caller gets the result and the joiners know they joined", async () => {
    const shared = createSharedWrites<string>();
    const gate = deferred<string>();
    let runs = 0;
    const work = () => (runs++, gate.promise);
    const calls = Array.from({ length: 5 }, () => shared.run("grant:group:00g1:member:user:00u1", new AbortController().signal, work));
    gate.resolve("granted");
    const results = await Promise.all(calls);
    expect(runs).toBe(1);
    expect(results.map((r) => r.joined)).toEqual([false, true, true, true, true]);
    expect(results.every((r) => r.value === "granted")).toBe(true);
    expect(shared.size()).toBe(0);
  });

  it("keeps different keys apart and runs a key again once the earlier run finished", async () => {
    const shared = createSharedWrites<number>();
    let runs = 0;
    const work = async () => ++runs;
    const [a, b] = await Promise.all([shared.run("a", new AbortController().signal, work), shared.run("b", new AbortController().signal, work)]);
    expect([a.joined, b.joined, runs]).toEqual([false, false, 2]);
    expect((await shared.run("a", new AbortController().signal, work)).joined).toBe(false);
    expect(runs).toBe(3);
  });

  it("shares a failure with the joiners", async () => {
    const shared = createSharedWrites<string>();
    const gate = deferred<string>();
    const first = shared.run("k", new AbortController().signal, () => gate.promise);
    const second = shared.run("k", new AbortController().signal, () => Promise.resolve("never"));
    gate.reject(new Error("Okta said no"));
    await expect(first).rejects.toThrow("Okta said no");
    await expect(second).rejects.toThrow("Okta said no");
  });

  it("a joiner whose leader's caller cancelled runs the work itself", async () => {
    const shared = createSharedWrites<string>();
    const leader = new AbortController();
    const gate = deferred<string>();
    const first = shared.run("k", leader.signal, () => gate.promise);
    const second = shared.run("k", new AbortController().signal, async () => "joiner's own");
    leader.abort();
    gate.reject(new Error("cancelled"));
    await expect(first).rejects.toThrow("cancelled");
    expect(await second).toEqual({ value: "joiner's own", joined: false });
  });
});
