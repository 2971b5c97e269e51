import { describe, expect, it } from "vitest";
import { appliedTimesOf, eventTypesOfLogFilter, freshnessOf, isSweepOf, percentile, slicesOf } from "./freshness-stats.js";

describe("appliedTimesOf", () => {
  it("dates an entry by the last message of its page: continuations carry no entries and the page's reason", () => {
    const applied = appliedTimesOf([
      { atMs: 100, uuids: ["a", "b"], reason: "group.user_membership.add ×2" },
      { atMs: 180, uuids: [], reason: "group.user_membership.add ×2" },
      { atMs: 250, uuids: [], reason: "group.user_membership.add ×2" },
      { atMs: 300, uuids: ["c"], reason: "user.lifecycle.create" },
    ]);
    expect(applied.get("a")).toEqual({ firstMs: 100, appliedMs: 250 });
    expect(applied.get("b")).toEqual({ firstMs: 100, appliedMs: 250 });
    expect(applied.get("c")).toEqual({ firstMs: 300, appliedMs: 300 });
  });

  it("a sweep after a page, or the next page with the same reason, is not part of it", () => {
    const applied = appliedTimesOf([
      { atMs: 100, uuids: ["a"], reason: "user.lifecycle.create" },
      { atMs: 150, uuids: [], reason: "timed re-read of role, group (changes Okta does not log)" },
      { atMs: 200, uuids: ["b"], reason: "user.lifecycle.create" },
      { atMs: 260, uuids: ["c"], reason: "user.lifecycle.create" },
    ]);
    expect(applied.get("a")).toEqual({ firstMs: 100, appliedMs: 100 });
    expect(applied.get("b")).toEqual({ firstMs: 200, appliedMs: 200 });
    expect(applied.get("c")).toEqual({ firstMs: 260, appliedMs: 260 });
  });

  it("keeps the first delivery of an entry a resumed stream sends again", () => {
    const applied = appliedTimesOf([
      { atMs: 100, uuids: ["a"], reason: "x" },
      { atMs: 900, uuids: ["a"], reason: "x" },
    ]);
    expect(applied.get("a")).toEqual({ firstMs: 100, appliedMs: 100 });
  });
});

describe("isSweepOf", () => {
  it("a message without entries is a sweep unless it continues the page before it (same reason), whatever its reason says", () => {
    expect(
      isSweepOf([
        { atMs: 1, uuids: [], reason: "timed re-read of role" },
        { atMs: 2, uuids: ["a"], reason: "group.user_membership.add" },
        { atMs: 3, uuids: [], reason: "group.user_membership.add" },
        { atMs: 4, uuids: [], reason: "timed re-read of role" },
        { atMs: 5, uuids: [], reason: "timed re-read of role" },
        { atMs: 6, uuids: [], reason: "group.user_membership.add" },
      ]),
    ).toEqual([true, false, false, true, true, true]);
  });
});

describe("freshnessOf", () => {
  const applied = new Map([
    ["u1", { firstMs: 1_500, appliedMs: 1_800 }],
    ["u2", { firstMs: 2_500, appliedMs: 2_600 }],
  ]);
  const read = (t: string) => t !== "user.account.update_password";

  it("measures from the change's first publish to the last of its read events being applied", () => {
    const [change] = freshnessOf([{ kind: "app-user.add", events: [{ uuid: "u1", eventType: "application.user_membership.add", published: 1_000 }, { uuid: "u2", eventType: "group.user_membership.add", published: 1_001 }] }], applied, read);
    expect(change).toEqual({ kind: "app-user.add", outcome: "measured", writtenMs: 1_000, freshnessMs: 1_600, firstMessageMs: 1_500 });
  });

  it("a change with a read event that never arrived is unseen, even if its other events did", () => {
    const [change] = freshnessOf([{ kind: "membership.add", events: [{ uuid: "u1", eventType: "group.user_membership.add", published: 1_000 }, { uuid: "lost", eventType: "group.user_membership.add", published: 1_000 }] }], applied, read);
    expect(change?.outcome).toBe("unseen");
  });

  it("an event type the connector does not read neither counts as missed nor delays the change", () => {
    const [unread, mixed] = freshnessOf(
      [
        { kind: "user.password", events: [{ uuid: "p", eventType: "user.account.update_password", published: 1_000 }] },
        { kind: "user.profile", events: [{ uuid: "u1", eventType: "user.account.update_profile", published: 1_000 }, { uuid: "p2", eventType: "user.account.update_password", published: 1_000 }] },
      ],
      applied,
      read,
    );
    expect(unread).toEqual({ kind: "user.password", outcome: "unread" });
    expect(mixed).toMatchObject({ outcome: "measured", freshnessMs: 800 });
  });
});

describe("percentile", () => {
  it("is the nearest rank, whatever the input order", () => {
    const values = [50, 10, 40, 20, 30, 100, 90, 80, 70, 60];
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(100);
    expect(percentile(values, 90)).toBe(90);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 50)).toBe(7);
  });

  it("has no value for no values, and refuses a p outside (0, 100]", () => {
    expect(percentile([], 50)).toBeUndefined();
    expect(() => percentile([1], 0)).toThrow(/p must be/);
    expect(() => percentile([1], 101)).toThrow(/p must be/);
  });
});

describe("eventTypesOfLogFilter", () => {
  it("reads the event types out of a System Log request's filter", () => {
    const filter = encodeURIComponent('eventType eq "group.user_membership.add" or eventType eq "user.lifecycle.create"');
    expect(eventTypesOfLogFilter(`/api/v1/logs?filter=${filter}&sortOrder=ASCENDING&limit=1000`)).toEqual(["group.user_membership.add", "user.lifecycle.create"]);
    expect(eventTypesOfLogFilter("/api/v1/logs?limit=1000")).toEqual([]);
  });
});

describe("slicesOf", () => {
  it("groups measured changes by when they were written, in order, with each slice's median and largest delay", () => {
    const measured = (writtenMs: number, freshnessMs: number) => ({ kind: "k", outcome: "measured" as const, writtenMs, freshnessMs, firstMessageMs: freshnessMs });
    const slices = slicesOf([measured(31_000, 9_000), measured(1_000, 3_000), measured(2_000, 4_000), measured(29_000, 5_000), { kind: "k", outcome: "unread" }], 0, 30_000);
    expect(slices).toEqual([
      { fromSecond: 0, changes: 3, p50Ms: 4_000, maxMs: 5_000 },
      { fromSecond: 30, changes: 1, p50Ms: 9_000, maxMs: 9_000 },
    ]);
  });
});
