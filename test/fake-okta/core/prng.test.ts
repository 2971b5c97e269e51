import { describe, expect, it } from "vitest";
import { createPrng } from "./prng.js";

describe("prng", () => {
  it("repeats for the same seed and label, and differs for another label or seed", () => {
    const draw = (seed: number, label: string): number[] => {
      const prng = createPrng(seed, label);
      return Array.from({ length: 8 }, () => prng.int(1_000_000));
    };
    expect(draw(7, "users")).toEqual(draw(7, "users"));
    expect(draw(7, "users")).not.toEqual(draw(7, "groups"));
    expect(draw(7, "users")).not.toEqual(draw(8, "users"));
  });

  it("samples k distinct values below n, ascending", () => {
    const prng = createPrng(1);
    for (const [n, k] of [[10, 10], [1000, 17], [5, 0], [3, 9]] as const) {
      const sample = [...prng.sample(n, k)];
      expect(sample).toHaveLength(Math.min(n, k));
      expect(new Set(sample).size).toBe(sample.length);
      expect(sample).toEqual([...sample].sort((a, b) => a - b));
      expect(sample.every((v) => v >= 0 && v < n)).toBe(true);
    }
  });

  it("keeps int and range inside their bounds", () => {
    const prng = createPrng(3);
    for (let i = 0; i < 1000; i++) {
      const v = prng.range(-2, 2);
      expect(v).toBeGreaterThanOrEqual(-2);
      expect(v).toBeLessThanOrEqual(2);
      expect(prng.int(3)).toBeLessThan(3);
    }
  });
});
