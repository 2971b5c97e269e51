import { describe, expect, it } from "vitest";
import { leaveForOthersDelayMs, observeRateLimit, pacingDelayMs, reserveSlot, type BucketState } from "./pacing.js";

const NOW = 1_700_000_000_000;

function state(partial: Partial<BucketState>): BucketState {
  return { limit: 600, remaining: 600, resetAtMs: NOW + 60_000, lastSendAtMs: NOW - 1_000, ...partial };
}

describe("leaveForOthersDelayMs", () => {
  const rows: [string, BucketState | undefined, number, number][] = [
    ["unknown bucket: send", undefined, 0.5, 0],
    ["more than half the limit left: send", state({ remaining: 301 }), 0.5, 0],
    ["half the limit left: wait for the reset plus the safety second", state({ remaining: 300, resetAtMs: NOW + 20_000 }), 0.5, 21_000],
    ["far below the share: the same wait, never a spread", state({ remaining: 3, resetAtMs: NOW + 5_000 }), 0.5, 6_000],
    ["window already reset: send", state({ remaining: 0, resetAtMs: NOW - 1 }), 0.5, 0],
    ["concurrency headers (limit 0) never hold a call", state({ limit: 0, remaining: 0 }), 0.5, 0],
    ["no share to leave: send", state({ remaining: 1 }), 0, 0],
  ];
  it.each(rows)("%s", (_name, bucket, share, want) => {
    expect(leaveForOthersDelayMs(bucket, NOW, share)).toBe(want);
  });
});

describe("pacingDelayMs", () => {
  const rows: [string, BucketState | undefined, number][] = [
    ["unknown bucket: send", undefined, 0],
    ["plenty remaining: send", state({ remaining: 400 }), 0],
    ["just above the 10% reserve: send", state({ remaining: 61 }), 0],
    // 60 left for 60 s: one per second, and the last call went out 1 s ago.
    ["at the reserve: spread evenly, last call 1 s ago", state({ remaining: 60 }), 0],
    ["at the reserve: spread evenly, last call just now", state({ remaining: 60, lastSendAtMs: NOW }), 1_000],
    ["10 left for 30 s: 3 s apart", state({ remaining: 10, resetAtMs: NOW + 30_000, lastSendAtMs: NOW }), 3_000],
    ["a slot booked in the future pushes the next one further", state({ remaining: 10, resetAtMs: NOW + 30_000, lastSendAtMs: NOW + 3_000 }), 5_700],
    ["nothing left: wait for the reset plus the safety second", state({ remaining: 0, resetAtMs: NOW + 20_000 }), 21_000],
    ["over-booked (negative): wait for the reset", state({ remaining: -3, resetAtMs: NOW + 5_000 }), 6_000],
    ["window already reset: send", state({ remaining: 0, resetAtMs: NOW - 1 }), 0],
    ["concurrency headers (limit 0) never pace", state({ limit: 0, remaining: 0 }), 0],
    ["small limits keep a reserve of at least 2", state({ limit: 10, remaining: 2, resetAtMs: NOW + 10_000, lastSendAtMs: NOW }), 5_000],
  ];
  it.each(rows)("%s", (_name, bucket, want) => {
    expect(pacingDelayMs(bucket, NOW)).toBe(want);
  });

  it("takes the reserve share and safety from options", () => {
    const bucket = state({ remaining: 200, resetAtMs: NOW + 20_000, lastSendAtMs: NOW });
    expect(pacingDelayMs(bucket, NOW, { reserveFraction: 0.5 })).toBe(100);
    expect(pacingDelayMs(state({ remaining: 0, resetAtMs: NOW + 100 }), NOW, { resetSafetyMs: 5 })).toBe(105);
  });

  it("spreads a burst of booked calls so that none exceeds the remaining budget before the reset", () => {
    let bucket = state({ limit: 100, remaining: 10, resetAtMs: NOW + 10_000, lastSendAtMs: NOW });
    const sendTimes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const delay = pacingDelayMs(bucket, NOW);
      sendTimes.push(NOW + delay);
      bucket = reserveSlot(bucket, NOW + delay);
    }
    // All ten fit in the window (the last lands on the reset, which our estimate places late).
    expect(sendTimes.filter((t) => t <= bucket.resetAtMs)).toHaveLength(10);
    expect(new Set(sendTimes).size).toBe(10);
    // The eleventh call has no budget left and must wait for the reset.
    expect(pacingDelayMs(bucket, NOW)).toBeGreaterThanOrEqual(10_000);
  });
});

describe("reserveSlot", () => {
  it("counts the call against remaining and remembers the latest send time", () => {
    expect(reserveSlot(state({ remaining: 5, lastSendAtMs: NOW }), NOW + 10)).toMatchObject({ remaining: 4, lastSendAtMs: NOW + 10 });
    expect(reserveSlot(state({ remaining: 5, lastSendAtMs: NOW + 50 }), NOW + 10)).toMatchObject({ remaining: 4, lastSendAtMs: NOW + 50 });
  });
});

describe("observeRateLimit", () => {
  const reset = (ms: number) => new Date(NOW + ms);
  const rows: [string, BucketState | undefined, { limit: number; remaining: number; resetAt: Date }, BucketState | undefined, number?][] = [
    [
      "first observation",
      undefined,
      { limit: 600, remaining: 599, resetAt: reset(60_000) },
      { limit: 600, remaining: 599, resetAtMs: NOW + 60_000, lastSendAtMs: NOW },
    ],
    [
      "same window, lower remaining wins",
      state({ remaining: 500 }),
      { limit: 600, remaining: 480, resetAt: reset(60_400) },
      { limit: 600, remaining: 480, resetAtMs: NOW + 60_400, lastSendAtMs: NOW - 1_000 },
    ],
    [
      "same window, a late response with a higher remaining does not undo our own bookings",
      state({ remaining: 450 }),
      { limit: 600, remaining: 470, resetAt: reset(59_600) },
      { limit: 600, remaining: 450, resetAtMs: NOW + 60_000, lastSendAtMs: NOW - 1_000 },
    ],
    [
      "newer window replaces",
      state({ remaining: 3 }),
      { limit: 600, remaining: 599, resetAt: reset(120_000) },
      { limit: 600, remaining: 599, resetAtMs: NOW + 120_000, lastSendAtMs: NOW - 1_000 },
    ],
    [
      "a response from an older window is ignored",
      state({ remaining: 590, resetAtMs: NOW + 60_000 }),
      { limit: 600, remaining: 2, resetAt: reset(1_000) },
      state({ remaining: 590, resetAtMs: NOW + 60_000 }),
    ],
    [
      "an expired state is replaced",
      state({ remaining: 0, resetAtMs: NOW - 10 }),
      { limit: 600, remaining: 599, resetAt: reset(59_000) },
      { limit: 600, remaining: 599, resetAtMs: NOW + 59_000, lastSendAtMs: NOW - 1_000 },
    ],
    [
      "our other calls still in flight are taken off Okta's count",
      undefined,
      { limit: 600, remaining: 10, resetAt: reset(30_000) },
      { limit: 600, remaining: 7, resetAtMs: NOW + 30_000, lastSendAtMs: NOW },
      3,
    ],
    [
      "concurrency 429 headers leave the bucket alone",
      state({ remaining: 300 }),
      { limit: 0, remaining: 0, resetAt: reset(2_000) },
      state({ remaining: 300 }),
    ],
  ];
  it.each(rows)("%s", (_name, previous, observed, want, inFlightOthers) => {
    expect(observeRateLimit(previous, observed, NOW, inFlightOthers)).toEqual(want);
  });
});
