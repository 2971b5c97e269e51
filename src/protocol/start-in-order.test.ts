import { describe, expect, it } from "vitest";
import { startInOrder } from "./start-in-order.js";

const tick = () => new Promise((r) => setTimeout(r, 1));

describe("startInOrder", () => {
  it("runs at most `limit` at once, starts the rest in order, and returns results in the items' order", async () => {
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const results = startInOrder([5, 1, 4, 2, 3, 0], 2, async (n) => {
      started.push(n);
      most = Math.max(most, ++running);
      for (let i = 0; i < n; i++) await tick();
      running--;
      return n * 10;
    });
    expect(await Promise.all(results)).toEqual([50, 10, 40, 20, 30, 0]);
    expect(most).toBe(2);
    expect(started).toEqual([5, 1, 4, 2, 3, 0]);
  });

  it("keeps a failure in its own result and still runs the rest", async () => {
    const results = startInOrder([1, 2, 3], 1, async (n) => {
      if (n === 2) throw new Error("two");
      return n;
    });
    await expect(results[1]).rejects.toThrow("two");
    expect(await results[0]).toBe(1);
    expect(await results[2]).toBe(3);
  });
});
