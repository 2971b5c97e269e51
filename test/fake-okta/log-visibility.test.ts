import { afterEach, describe, expect, it } from "vitest";
import { createPrng } from "./core/prng.js";
import { startFakeOkta, type FakeOkta } from "./index.js";
import { createSystemLog, SYSTEM_ACTOR, type LogVisibility } from "./org/system-log.js";
import { call, nextLink } from "./test-support.js";

// Okta's System Log is eventually consistent (events-and-posture.md §4): events become visible a few
// seconds after `published`, not always in order, and are kept for 90 days (okta-api.md §1.5).

/** A log on a clock the test moves. */
function logAt(visibility: Partial<LogVisibility>) {
  const clock = { now: 1_000_000 };
  const log = createSystemLog({ now: () => clock.now, random: createPrng(5, "log-test").next, visibility });
  const write = (n = 1) => {
    for (let i = 0; i < n; i++) log.record({ eventType: "group.user_membership.add", displayMessage: "Add user to group membership", actor: SYSTEM_ACTOR, targets: [] });
  };
  return { clock, log, write };
}

describe("System Log visibility (in memory, on a test clock)", () => {
  it("hides an event until the lag has passed, and keeps published at the write time", () => {
    const { clock, log, write } = logAt({ lagMs: 1500 });
    write();
    const written = clock.now;
    clock.now += 1499;
    expect(log.events()).toHaveLength(0);
    expect(log.pending()).toBe(1);
    clock.now += 1;
    expect(log.events().map((e) => [e.published, e.visibleAt])).toEqual([[written, written + 1500]]);
    expect(log.pending()).toBe(0);
  });

  it("shows everything at once without lag or reordering (the default)", () => {
    const { log, write } = logAt({});
    write(3);
    expect(log.events().map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it("makes about the configured share of events visible late, out of published order, and loses none", () => {
    const { clock, log, write } = logAt({ lagMs: 200, reorderRate: 0.2, reorderDelayMs: 3000 });
    for (let i = 0; i < 2000; i++) {
      write();
      clock.now += 10;
    }
    // Midway, persistence order already disagrees with published order.
    const midway = log.events();
    expect(midway.some((e, i) => i > 0 && e.seq < (midway[i - 1]?.seq ?? 0))).toBe(true);
    clock.now += 3200;
    const all = log.events();
    expect(all).toHaveLength(2000);
    expect(new Set(all.map((e) => e.uuid)).size).toBe(2000);
    expect(all.map((e) => e.position)).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
    const late = all.filter((e) => e.visibleAt > e.published + 200).length / 2000;
    expect(late).toBeGreaterThan(0.17);
    expect(late).toBeLessThan(0.23);
  });

  it("drops events older than the retention", () => {
    const { clock, log, write } = logAt({ retentionMs: 10_000 });
    write();
    clock.now += 6000;
    write();
    clock.now += 6000;
    expect(log.events().map((e) => e.seq)).toEqual([2]);
    expect(log.all().map((e) => e.seq)).toEqual([2]);
  });

  it("refuses bad settings, naming them", () => {
    expect(() => logAt({ reorderRate: 2 })).toThrow(/reorderRate/);
    expect(() => logAt({ lagMs: -1 })).toThrow(/lagMs/);
  });
});

describe("System Log visibility over HTTP", () => {
  let fake: FakeOkta | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  type Event = { uuid: string; eventType: string; published: string };
  const since = () => encodeURIComponent(new Date(Date.now() - 60_000).toISOString());
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it("serves an event only once the lag (logLagMs) has passed", async () => {
    fake = await startFakeOkta({ seed: 3, users: 10, logLagMs: 400 });
    const start = await call(fake, "GET", `/api/v1/logs?since=${since()}`);
    const cursor = nextLink(start.headers) ?? "";
    const before = Date.now();
    await call(fake, "POST", "/api/v1/groups", { body: { profile: { name: "Lagging" } } });
    expect((await call(fake, "GET", cursor)).body).toEqual([]);
    await sleep(450);
    const events = (await call(fake, "GET", cursor)).body as Event[];
    expect(events.map((e) => e.eventType)).toEqual(["group.lifecycle.create"]);
    expect(Date.parse(events[0]?.published ?? "")).toBeLessThan(before + 200);
  });

  it("with logReorderRate, a poller following next links sees events out of published order, and every one once", async () => {
    fake = await startFakeOkta({ seed: 3, users: 40, logReorderRate: 0.5, logReorderDelayMs: 300 });
    const start = await call(fake, "GET", `/api/v1/logs?since=${since()}`);
    let cursor = nextLink(start.headers) ?? "";
    const group = fake.org.groups.all().find((g) => g.type === "OKTA_GROUP" && !g.deleted);
    const users = fake.org.users.all().filter((u) => !u.deleted && group !== undefined && !fake?.org.groups.isMember(group, u)).slice(0, 30);
    for (const user of users) await call(fake, "PUT", `/api/v1/groups/${group?.id}/users/${user.id}`);
    const seen: Event[] = [];
    for (let round = 0; round < 40 && seen.length < users.length; round++) {
      const res = await call(fake, "GET", cursor);
      seen.push(...(res.body as Event[]));
      cursor = nextLink(res.headers) ?? cursor;
      await sleep(25);
    }
    expect(seen).toHaveLength(users.length);
    expect(new Set(seen.map((e) => e.uuid)).size).toBe(users.length);
    const published = seen.map((e) => Date.parse(e.published));
    expect(published.some((p, i) => i > 0 && p < (published[i - 1] ?? 0))).toBe(true);
    // A bounded query (with until) still answers in published order.
    const bounded = (await call(fake, "GET", `/api/v1/logs?since=${since()}&until=${encodeURIComponent(new Date(Date.now() + 1000).toISOString())}&limit=1000`)).body as Event[];
    const times = bounded.map((e) => Date.parse(e.published));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("drops events past the retention (logRetentionMs), and answers a since older than twice the retention with 400 E0000053", async () => {
    fake = await startFakeOkta({ seed: 3, users: 10, logRetentionMs: 300 });
    await call(fake, "POST", "/api/v1/groups", { body: { profile: { name: "Expiring" } } });
    const recent = encodeURIComponent(new Date(Date.now() - 250).toISOString());
    expect(((await call(fake, "GET", `/api/v1/logs?since=${recent}`)).body as Event[]).map((e) => e.eventType)).toEqual(["group.lifecycle.create"]);
    await sleep(350);
    expect((await call(fake, "GET", `/api/v1/logs?since=${encodeURIComponent(new Date(Date.now() - 500).toISOString())}`)).body).toEqual([]);
    const tooOld = await call(fake, "GET", `/api/v1/logs?since=${encodeURIComponent(new Date(Date.now() - 5000).toISOString())}`);
    expect([tooOld.status, (tooOld.body as { errorCode: string }).errorCode]).toEqual([400, "E0000053"]);
    expect((tooOld.body as { errorCauses: { errorSummary: string }[] }).errorCauses[0]?.errorSummary).toContain("since");
  });

  it("changes lag at run time through POST /__sim/log, and refuses an unknown setting", async () => {
    fake = await startFakeOkta({ seed: 3, users: 10 });
    const set = await fetch(`${fake.url}/__sim/log`, { method: "POST", body: JSON.stringify({ lagMs: 5000 }) });
    expect(((await set.json()) as LogVisibility).lagMs).toBe(5000);
    await call(fake, "POST", "/api/v1/groups", { body: { profile: { name: "Held back" } } });
    expect((await call(fake, "GET", `/api/v1/logs?since=${since()}`)).body).toEqual([]);
    const state = (await (await fetch(`${fake.url}/__sim/log`)).json()) as { pending: number };
    expect(state.pending).toBe(1);
    const bad = await fetch(`${fake.url}/__sim/log`, { method: "POST", body: JSON.stringify({ lag: 1 }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain("lag");
  });
});
