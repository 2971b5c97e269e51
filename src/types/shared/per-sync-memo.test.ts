import { describe, expect, it } from "vitest";
import { createPerSyncMemo } from "./per-sync-memo.js";

const live = () => new AbortController().signal;

describe("per-sync memo", () => {
  it("reads once per sync id and key, and afresh for a new sync id", async () => {
    const once = createPerSyncMemo();
    let reads = 0;
    const read = async () => ++reads;
    const a = { signal: live(), activeSyncId: "sync-a" };
    expect(await Promise.all([once(a, "sets", read), once(a, "sets", read)])).toEqual([1, 1]);
    expect(await once(a, "bindings", read)).toBe(2);
    expect(await once({ signal: live(), activeSyncId: "sync-b" }, "sets", read)).toBe(3);
    // Only the latest sync's reads are kept.
    expect(await once(a, "sets", read)).toBe(4);
  });

  it("shares a read made without a sync id for as long as its age allows, then reads again", async () => {
    let t = 0;
    const once = createPerSyncMemo({ unnamedMaxAgeMs: 60_000, now: () => t });
    let reads = 0;
    const read = async () => ++reads;
    expect(await once({ signal: live() }, "sets", read)).toBe(1);
    t = 60_000;
    expect(await once({ signal: live() }, "sets", read)).toBe(1);
    t = 60_001;
    expect(await once({ signal: live() }, "sets", read)).toBe(2);
    // A named sync does not take the unnamed copy.
    expect(await once({ signal: live(), activeSyncId: "s" }, "sets", read)).toBe(3);
  });

  it("forgets a failed read, and a live caller sharing it reads again itself", async () => {
    const once = createPerSyncMemo();
    let reads = 0;
    const ctx = { signal: live(), activeSyncId: "s" };
    const failing = once(ctx, "sets", async () => {
      reads++;
      throw new Error("cancelled by its caller");
    });
    const sharing = once(ctx, "sets", async () => ++reads);
    await expect(failing).rejects.toThrow("cancelled by its caller");
    expect(await sharing).toBe(2);
    expect(await once(ctx, "sets", async () => ++reads)).toBe(3);
  });

  it("passes the failure on to a sharing caller whose own signal has aborted", async () => {
    const once = createPerSyncMemo();
    const abort = new AbortController();
    const first = once({ signal: live(), activeSyncId: "s" }, "sets", () => Promise.reject(new Error("gone")));
    const second = once({ signal: abort.signal, activeSyncId: "s" }, "sets", async () => "read again");
    abort.abort();
    await expect(first).rejects.toThrow("gone");
    await expect(second).rejects.toThrow("gone");
  });
});
