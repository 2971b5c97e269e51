import { afterEach, describe, expect, it } from "vitest";
import { startFakeOkta, type FakeOkta } from "./index.js";
import { call, sdkClient } from "./test-support.js";

const started: FakeOkta[] = [];
async function start(options: Parameters<typeof startFakeOkta>[0] = {}): Promise<FakeOkta> {
  const fake = await startFakeOkta({ seed: 5, users: 40, ...options });
  started.push(fake);
  return fake;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((fake) => fake.close()));
});

function expectOktaHeaders(headers: Headers): void {
  expect(headers.get("date")).toMatch(/GMT$/);
  expect(headers.get("x-okta-request-id")).toMatch(/^[A-Za-z0-9]{20,}$/);
  expect(headers.get("x-rate-limit-limit")).toMatch(/^\d+$/);
  expect(headers.get("x-rate-limit-remaining")).toMatch(/^\d+$/);
  expect(headers.get("x-rate-limit-reset")).toMatch(/^\d{10}$/);
}

describe("rate limits (okta-api.md §3)", () => {
  it("sends Date, X-Okta-Request-Id and the three X-Rate-Limit headers on every answer, success or error", async () => {
    const fake = await start();
    const userId = fake.org.users.all()[0]?.id ?? "";
    const groupId = fake.org.groups.all().find((g) => g.type === "OKTA_GROUP")?.id ?? "";
    const answers = [
      await call(fake, "GET", "/api/v1/users"),
      await call(fake, "PUT", `/api/v1/groups/${groupId}/users/${userId}`),
      await call(fake, "GET", "/api/v1/users", { authorization: null }),
      await call(fake, "GET", "/api/v1/users/00u000000000000nope"),
      await call(fake, "GET", "/api/v1/nothing-here"),
      await call(fake, "POST", "/api/v1/groups", { body: "{oops" }),
      await call(fake, "GET", "/api/v1/iam/roles", { level: "read_only" }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 204, 401, 404, 404, 400, 403]);
    for (const answer of answers) expectOktaHeaders(answer.headers);
  });

  it("counts each bucket at Okta's per-minute default", async () => {
    const fake = await start();
    const first = await call(fake, "GET", "/api/v1/users");
    const second = await call(fake, "GET", "/api/v1/users");
    const apps = await call(fake, "GET", "/api/v1/apps");
    const logs = await call(fake, "GET", "/api/v1/logs");
    expect([first.headers.get("x-rate-limit-limit"), first.headers.get("x-rate-limit-remaining")]).toEqual(["600", "599"]);
    expect(second.headers.get("x-rate-limit-remaining")).toBe("598");
    expect(apps.headers.get("x-rate-limit-limit")).toBe("100");
    expect(logs.headers.get("x-rate-limit-limit")).toBe("120");
  });

  it("answers 429 E0000047 with Remaining 0 and a future Reset once a bucket is spent", async () => {
    const fake = await start({ rateLimitOverrides: { "user-get": 2 } });
    const userId = fake.org.users.all()[0]?.id ?? "";
    const statuses = [];
    let last;
    for (let i = 0; i < 3; i++) {
      last = await call(fake, "GET", `/api/v1/users/${userId}`);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(last?.body).toMatchObject({ errorCode: "E0000047", errorCauses: [] });
    expect(last?.headers.get("x-rate-limit-limit")).toBe("2");
    expect(last?.headers.get("x-rate-limit-remaining")).toBe("0");
    expect(Number(last?.headers.get("x-rate-limit-reset"))).toBeGreaterThanOrEqual(Math.floor(Date.parse(last?.headers.get("date") ?? "") / 1000));
    // Other buckets are untouched.
    expect((await call(fake, "GET", "/api/v1/users")).status).toBe(200);
    const stats = fake.stats();
    expect(stats.buckets["user-get"]).toMatchObject({ calls: 3, throttled: 1 });
    expect(fake.org.log.events().some((e) => e.eventType === "system.org.rate_limit.violation")).toBe(true);
  });

  it("counts but never refuses when rate limits are off", async () => {
    const fake = await start({ rateLimits: false, rateLimitOverrides: { users: 1 } });
    const answers = [await call(fake, "GET", "/api/v1/users"), await call(fake, "GET", "/api/v1/users")];
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers[1]?.headers.get("x-rate-limit-remaining")).toBe("0");
  });

  it("has the SDK retry a 429, waiting Reset − Date + 1 s (about a second for a storm)", async () => {
    const fake = await start();
    const client = sdkClient(fake);
    const user = fake.org.users.all()[1];
    fake.setFaults({ stormRate: 1, buckets: ["user-get"] });
    const backoffs: number[] = [];
    // The storm ends as soon as the SDK decides to back off, so its first retry succeeds.
    client.requestExecutor.on("backoff", (_request: unknown, _response: unknown, _requestId: unknown, delayMs: number) => {
      backoffs.push(delayMs);
      fake.setFaults({ stormRate: 0 });
    });
    const fetched = await client.userApi.getUser({ userId: user?.id ?? "" });
    expect(fetched.id).toBe(user?.id);
    expect(backoffs).toHaveLength(1);
    expect(backoffs[0]).toBeGreaterThan(0);
    expect(backoffs[0]).toBeLessThanOrEqual(2000);
    expect(fake.stats().buckets["user-get"]).toMatchObject({ calls: 2, throttled: 1 });
    expect(fake.requestLog().map((e) => e.status)).toEqual([429, 200]);
  });

  it("answers the request over the concurrency limit with a 429 whose Limit is 0", async () => {
    const fake = await start({ concurrencyLimit: 2, faults: { paused: true } });
    const held = [call(fake, "GET", "/api/v1/users"), call(fake, "GET", "/api/v1/groups")];
    while (fake.stats().inFlight < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const over = await call(fake, "GET", "/api/v1/apps");
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ errorCode: "E0000047" });
    expect([over.headers.get("x-rate-limit-limit"), over.headers.get("x-rate-limit-remaining")]).toEqual(["0", "0"]);
    fake.setFaults({ paused: false });
    expect((await Promise.all(held)).map((a) => a.status)).toEqual([200, 200]);
    expect(fake.org.log.events().filter((e) => e.eventType === "core.concurrency.org.limit.violation")).toHaveLength(1);
  });

  it("compresses the minute with rateScale, so a spent bucket recovers within the scaled window", async () => {
    const fake = await start({ rateScale: 60, rateLimitOverrides: { groups: 1 } });
    expect((await call(fake, "GET", "/api/v1/groups")).status).toBe(200);
    const refused = await call(fake, "GET", "/api/v1/groups");
    expect(refused.status).toBe(429);
    const waitMs = Number(refused.headers.get("x-rate-limit-reset")) * 1000 - Date.now() + 50;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, waitMs)));
    expect((await call(fake, "GET", "/api/v1/groups")).status).toBe(200);
  });
});

describe("request accounting", () => {
  it("counts calls, 429s and bytes per bucket and per route, over HTTP and in process, and resets", async () => {
    const fake = await start({ rateLimitOverrides: { apps: 1 } });
    const users = await call(fake, "GET", "/api/v1/users?limit=5");
    await call(fake, "GET", "/api/v1/apps");
    await call(fake, "GET", "/api/v1/apps");
    const overHttp = (await call(fake, "GET", "/__sim/stats", { authorization: null })).body as ReturnType<FakeOkta["stats"]>;
    expect(overHttp.buckets["users"]).toEqual({ calls: 1, throttled: 0, bytes: Buffer.byteLength(users.text), statuses: { "200": 1 } });
    expect(overHttp.buckets["apps"]).toMatchObject({ calls: 2, throttled: 1, statuses: { "200": 1, "429": 1 } });
    expect(overHttp.routes["GET /api/v1/apps"]?.calls).toBe(2);
    expect(overHttp.totals.calls).toBe(3);
    expect(fake.stats().buckets).toEqual(overHttp.buckets);
    // Simulator paths are not Okta calls and are never counted.
    expect((await call(fake, "POST", "/__sim/stats/reset", { authorization: null })).status).toBe(204);
    expect(fake.stats().totals.calls).toBe(0);
    await call(fake, "GET", "/api/v1/users");
    fake.resetStats();
    expect(fake.stats()).toMatchObject({ totals: { calls: 0 }, buckets: {} });
  });

  it("keeps a request log with method, path, status, bucket and credential level", async () => {
    const fake = await start();
    await call(fake, "GET", "/api/v1/users?limit=1", { level: "read_only" });
    await call(fake, "GET", "/api/v1/users", { authorization: "SSWS nope" });
    expect(fake.requestLog()).toEqual([
      { method: "GET", path: "/api/v1/users?limit=1", status: 200, bucket: "users", level: "read_only" },
      { method: "GET", path: "/api/v1/users", status: 401, bucket: "users", level: null },
    ]);
  });
});
