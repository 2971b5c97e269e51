import { describe, expect, it } from "vitest";
import { capAfterAnswer, capAfterConcurrencyLimit, NO_CAP_ABOVE, underCap } from "./concurrency.js";

describe("the concurrency cap learned from Okta's concurrency 429s", () => {
  it("has no cap until Okta refuses for concurrency", () => {
    expect(underCap(undefined, 1_000)).toBe(true);
    expect(capAfterAnswer(undefined)).toBeUndefined();
  });

  it("halves what was in flight on a concurrency 429, never below one call", () => {
    expect(capAfterConcurrencyLimit(undefined, 20)).toBe(10);
    expect(capAfterConcurrencyLimit(6, 20)).toBe(3);
    expect(capAfterConcurrencyLimit(undefined, 1)).toBe(1);
    expect(underCap(10, 9)).toBe(true);
    expect(underCap(10, 10)).toBe(false);
    expect(underCap(1, 0)).toBe(true);
  });

  it("grows back by about one call per cap's worth of answers, then drops the cap", () => {
    let cap: number | undefined = 4;
    for (let i = 0; i < 4; i++) cap = capAfterAnswer(cap);
    expect(Math.floor(cap!)).toBe(4);
    cap = capAfterAnswer(cap);
    expect(Math.floor(cap!)).toBe(5);
    expect(capAfterAnswer(NO_CAP_ABOVE)).toBeUndefined();
  });
});
