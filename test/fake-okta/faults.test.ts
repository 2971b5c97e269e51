import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { NO_FAULTS } from "./http/faults.js";
import { startFakeOkta, type FakeOkta } from "./index.js";
import { call } from "./test-support.js";

// Each fault at rate 1 (or on) must change what a client sees; afterEach turns them all off again.
describe("faults", () => {
  let fake: FakeOkta;
  beforeAll(async () => {
    fake = await startFakeOkta({ seed: 51, users: 30 });
  });
  afterEach(() => fake.setFaults({ ...NO_FAULTS }));
  afterAll(async () => fake?.close());

  it("latency holds every answer back: a client that waits less than the latency gives up", async () => {
    fake.setFaults({ latencyMs: 1500 });
    const impatient = await fetch(`${fake.url}/api/v1/users`, { headers: { Authorization: `SSWS ${fake.tokens.read_only}` }, signal: AbortSignal.timeout(300) }).catch((e: unknown) => e);
    expect((impatient as Error).name).toBe("TimeoutError");
    fake.setFaults({ latencyMs: 0 });
    const patient = await fetch(`${fake.url}/api/v1/users`, { headers: { Authorization: `SSWS ${fake.tokens.read_only}` }, signal: AbortSignal.timeout(5000) });
    expect(patient.status).toBe(200);
  });

  it("jitter adds a random wait: some of several answers come later than an impatient client waits", async () => {
    fake.setFaults({ jitterMs: 3000 });
    const outcomes = await Promise.all(Array.from({ length: 4 }, () =>
      fetch(`${fake.url}/api/v1/users?limit=1`, { headers: { Authorization: `SSWS ${fake.tokens.read_only}` }, signal: AbortSignal.timeout(300) })
        .then((res) => String(res.status), (e: unknown) => (e as Error).name)));
    expect(outcomes).toContain("TimeoutError");
  });

  it("errorRate answers 500 with Okta's E0000009 JSON, or a proxy's 502/503 HTML page", async () => {
    fake.setFaults({ errorRate: 1 });
    const seen = new Set<number>();
    for (let i = 0; i < 30; i++) {
      const res = await call(fake, "GET", "/api/v1/users");
      seen.add(res.status);
      if (res.status === 500) expect(res.body).toMatchObject({ errorCode: "E0000009", errorCauses: [] });
      else expect(res.headers.get("content-type")).toContain("text/html");
    }
    expect(seen).toEqual(new Set([500, 502, 503]));
  });

  it("resetRate destroys the connection without an answer, and counts it as status 0", async () => {
    fake.resetStats();
    fake.setFaults({ resetRate: 1 });
    const failure = await call(fake, "GET", "/api/v1/groups").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TypeError);
    expect(fake.stats().buckets["groups"]?.statuses).toEqual({ "0": 1 });
  });

  it("malformedRate answers 200 with a JSON body cut short", async () => {
    fake.setFaults({ malformedRate: 1 });
    const res = await call(fake, "GET", "/api/v1/users");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(() => JSON.parse(res.text)).toThrow(SyntaxError);
  });

  it("stormRate answers 429 E0000047 with a reset of now, whatever the bucket's count", async () => {
    fake.setFaults({ stormRate: 1 });
    const res = await call(fake, "GET", "/api/v1/apps");
    expect([res.status, (res.body as { errorCode: string }).errorCode]).toEqual([429, "E0000047"]);
    expect(Number(res.headers.get("x-rate-limit-reset"))).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
  });

  it("lostReplyRate applies a write and then answers 502: the change is in the org, the client saw only a proxy error", async () => {
    const group = fake.org.groups.all().find((g) => g.type === "OKTA_GROUP")!;
    const user = fake.org.users.all().find((u) => u.status === "ACTIVE" && !u.deleted && !fake.org.groups.isMember(group, u))!;
    fake.setFaults({ lostReplyRate: 1, lostReplyKind: "502" });
    const res = await call(fake, "PUT", `/api/v1/groups/${group.id}/users/${user.id}`);
    expect([res.status, res.headers.get("content-type")]).toEqual([502, expect.stringContaining("text/html")]);
    expect(fake.org.groups.isMember(group, user)).toBe(true);
    // Reads are never touched: only an applied write loses its reply.
    expect((await call(fake, "GET", `/api/v1/groups/${group.id}`)).status).toBe(200);
  });

  it("loseNextReplies loses exactly the next N applied writes, as resets when asked, then answers normally", async () => {
    const group = fake.org.groups.all().find((g) => g.type === "OKTA_GROUP")!;
    const users = fake.org.users.all().filter((u) => u.status === "ACTIVE" && !u.deleted && !fake.org.groups.isMember(group, u)).slice(0, 3);
    fake.setFaults({ loseNextReplies: 2, lostReplyKind: "reset" });
    // A refused write (404) is not applied, so it does not use up a lost reply.
    expect((await call(fake, "PUT", `/api/v1/groups/${group.id}/users/00u0000000000000000x`)).status).toBe(404);
    const outcomes = [];
    for (const user of users) outcomes.push(await call(fake, "PUT", `/api/v1/groups/${group.id}/users/${user.id}`).then((r) => r.status, (e: unknown) => (e as Error).name));
    expect(outcomes).toEqual(["TypeError", "TypeError", 204]);
    expect(users.every((u) => fake.org.groups.isMember(group, u))).toBe(true);
    expect(fake.faults().loseNextReplies).toBe(0);
    expect(fake.requestLog().slice(-3).map((e) => e.status)).toEqual([0, 0, 204]);
  });

  it("limits faults to the buckets named", async () => {
    fake.setFaults({ errorRate: 1, buckets: ["groups"] });
    expect((await call(fake, "GET", "/api/v1/groups")).status).toBeGreaterThanOrEqual(500);
    expect((await call(fake, "GET", "/api/v1/users")).status).toBe(200);
  });

  it("searchLagMs hides a new user from search (not from filter or get) and serves stale profiles", async () => {
    fake.setFaults({ searchLagMs: 60_000 });
    const login = `lagging.${Date.now()}@example.com`;
    const created = await call(fake, "POST", "/api/v1/users", { body: { profile: { firstName: "Lag", lastName: "Ging", login, email: login } } });
    const id = (created.body as { id: string }).id;
    const search = `/api/v1/users?search=${encodeURIComponent(`profile.login eq "${login}"`)}`;
    expect(await call(fake, "GET", search).then((r) => r.body)).toEqual([]);
    expect(await call(fake, "GET", `/api/v1/users?filter=${encodeURIComponent(`profile.login eq "${login}"`)}`).then((r) => (r.body as unknown[]).length)).toBe(1);
    expect((await call(fake, "GET", `/api/v1/users/${id}`)).status).toBe(200);
    fake.setFaults({ searchLagMs: 0 });
    expect(await call(fake, "GET", search).then((r) => (r.body as { id: string }[]).map((u) => u.id))).toEqual([id]);

    // A user that existed before the lag window is found, but as it was before the write.
    fake.setFaults({ searchLagMs: 60_000 });
    const old = fake.org.users.all().find((u) => u.status === "ACTIVE" && !u.deleted);
    const oldName = old?.profile["lastName"];
    await call(fake, "POST", `/api/v1/users/${old?.id}`, { body: { profile: { lastName: "Updated" } } });
    const stale = (await call(fake, "GET", `/api/v1/users?search=${encodeURIComponent(`id eq "${old?.id}"`)}`)).body as { profile: { lastName: string } }[];
    expect(stale.map((u) => u.profile.lastName)).toEqual([oldName]);
    expect(((await call(fake, "GET", `/api/v1/users/${old?.id}`)).body as { profile: { lastName: string } }).profile.lastName).toBe("Updated");
  });

  it("paused holds requests (they count as in flight) until resumed", async () => {
    fake.resetStats();
    fake.setFaults({ paused: true });
    const held = call(fake, "GET", "/api/v1/users?limit=1");
    while (fake.stats().inFlight < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(fake.stats().totals.calls).toBe(0);
    fake.setFaults({ paused: false });
    expect((await held).status).toBe(200);
    expect(fake.stats().totals.calls).toBe(1);
  });

  it("pauseWrites holds writes until resumed and answers reads meanwhile", async () => {
    const truth = await fake.groundTruth();
    const group = truth.groups.find((g) => g.type === "OKTA_GROUP")!;
    const user = truth.users.find((u) => u.status === "ACTIVE" && !group.memberIds.includes(u.id))!;
    const isMember = async () => (await fake.groundTruth()).groups.find((g) => g.id === group.id)!.memberIds.includes(user.id);
    fake.resetStats();
    fake.setFaults({ pauseWrites: true });
    const held = call(fake, "PUT", `/api/v1/groups/${group.id}/users/${user.id}`);
    while (fake.stats().inFlight < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await call(fake, "GET", "/api/v1/users?limit=1")).status).toBe(200);
    expect(await isMember()).toBe(false);
    fake.setFaults({ pauseWrites: false });
    expect((await held).status).toBe(204);
    expect(await isMember()).toBe(true);
  });

  it("is set and read over HTTP, validated field by field", async () => {
    const set = await call(fake, "POST", "/__sim/faults", { authorization: null, body: { latencyMs: 5, errorRate: 0.25, buckets: ["logs"] } });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ ...NO_FAULTS, latencyMs: 5, errorRate: 0.25, buckets: ["logs"] });
    expect((await call(fake, "GET", "/__sim/faults", { authorization: null })).body).toEqual(set.body);
    for (const [body, field] of [[{ errorRate: 2 }, "errorRate"], [{ latencyMs: -1 }, "latencyMs"], [{ paused: "yes" }, "paused"], [{ pauseWrites: 1 }, "pauseWrites"], [{ loseNextReplies: 1.5 }, "loseNextReplies"], [{ lostReplyKind: "timeout" }, "lostReplyKind"], [{ lostReplyRate: 2 }, "lostReplyRate"], [{ chaos: 1 }, "chaos"], ["{nope", "JSON"]] as const) {
      const res = await call(fake, "POST", "/__sim/faults", { authorization: null, body });
      expect(res.status).toBe(400);
      expect((res.body as { error: string }).error).toContain(field);
    }
    expect(fake.faults()).toMatchObject({ latencyMs: 5, errorRate: 0.25 });
    expect(() => fake.setFaults({ stormRate: -1 })).toThrow(/stormRate/);
  });

  it("never faults the simulator's own paths", async () => {
    fake.setFaults({ errorRate: 1 });
    expect((await call(fake, "GET", "/__sim/stats", { authorization: null })).status).toBe(200);
  });
});
