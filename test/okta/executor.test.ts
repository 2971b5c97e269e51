import { afterEach, describe, expect, it } from "vitest";
import { createOktaClient, isOktaError, type OktaClient, type OktaClientOptions, type OktaError } from "../../src/okta/index.js";
import { oktaError, rateHeaders, recordingLogger, sendJson, startScriptedOkta, type ScriptedHandler, type ScriptedOkta } from "./support/scripted-okta.js";

const TOKEN = "00secretSSWStokenValue_for_tests";
// Small waits keep the suite fast; the production defaults are tested in src/okta/retry.test.ts.
const FAST: Partial<OktaClientOptions> = {
  maxRetries: 3,
  requestTimeoutMs: 2_000,
  retryDelay: { baseMs: 5, capMs: 40, resetSafetyMs: 10, resetJitterMs: 10 },
  pacing: { resetSafetyMs: 20 },
};

let server: ScriptedOkta | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(handler: ScriptedHandler, options: Partial<OktaClientOptions> = {}): Promise<{ client: OktaClient; server: ScriptedOkta }> {
  server = await startScriptedOkta(handler);
  const client = createOktaClient({ orgUrl: server.url, auth: { kind: "ssws", token: TOKEN }, ...FAST, ...options });
  return { client, server };
}

async function rejection(promise: Promise<unknown>): Promise<OktaError> {
  try {
    await promise;
  } catch (error) {
    if (isOktaError(error)) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

const users = [{ id: "00u1", status: "ACTIVE", profile: { login: "a@example.com" } }];

describe("executor retries", () => {
  it.each([500, 502, 503, 504])("retries a %i and returns the answer that follows", async (status) => {
    const { client, server } = await start((_req, res, { index }) =>
      index === 0 ? sendJson(res, status, oktaError("E0000009", "Internal Server Error")) : sendJson(res, 200, users),
    );
    const response = await client.request({ path: "/api/v1/users" });
    expect(response.body).toEqual(users);
    expect(server.requests).toHaveLength(2);
    expect(client.stats()).toEqual({ calls: 2, byBucket: { "/api/v1/users": 2 }, retries: 1, rateLimited: 0, paced: 0 });
  });

  it("gives up on a lasting 503 with kind unavailable after maxRetries + 1 calls", async () => {
    const { client, server } = await start((_req, res) => sendJson(res, 503, oktaError("E0000009", "Service Unavailable")));
    const error = await rejection(client.request({ path: "/api/v1/groups" }));
    expect(error).toMatchObject({ kind: "unavailable", status: 503, errorCode: "E0000009" });
    expect(error.message).toContain("gave up after 4 attempts");
    expect(server.requests).toHaveLength(4);
    expect(client.stats().retries).toBe(3);
  });

  it("does not retry a 404 and maps it to not-found with the request id", async () => {
    const { client, server } = await start((_req, res) =>
      sendJson(res, 404, oktaError("E0000007", "Not found: Resource not found: 00uX (User)"), { "X-Okta-Request-Id": "reqNF" }),
    );
    const error = await rejection(client.request({ path: "/api/v1/users/00uX" }));
    expect(error).toMatchObject({ kind: "not-found", status: 404, errorCode: "E0000007", requestId: "reqNF" });
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    [401, "E0000011", "unauthenticated"],
    [403, "E0000006", "forbidden"],
    [400, "E0000001", "invalid"],
    [409, "E0000090", "conflict"],
  ] as const)("does not retry a %i %s (%s)", async (status, code, kind) => {
    const { client, server } = await start((_req, res) => sendJson(res, status, oktaError(code, "x")));
    expect(await rejection(client.request({ path: "/api/v1/users" }))).toMatchObject({ kind, status, errorCode: code });
    expect(server.requests).toHaveLength(1);
  });

  it("retries a connection reset before any answer", async () => {
    const { client, server } = await start((req, res, { index }) => (index === 0 ? req.socket.destroy() : sendJson(res, 200, users)));
    expect((await client.request({ path: "/api/v1/users" })).body).toEqual(users);
    expect(server.requests).toHaveLength(2);
  });

  it("retries a chunked body cut short by a connection reset", async () => {
    const { client, server } = await start((_req, res, { index }) => {
      if (index > 0) return sendJson(res, 200, users);
      res.writeHead(200, { "Content-Type": "application/json" });
      res.write('[{"id":"00u1","sta');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    expect((await client.request({ path: "/api/v1/users" })).body).toEqual(users);
    expect(server.requests).toHaveLength(2);
  });

  it("retries a Content-Length body cut short, which node-fetch 2 leaves pending until the attempt timeout", async () => {
    const { client, server } = await start(
      (_req, res, { index }) => {
        if (index > 0) return sendJson(res, 200, users);
        res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "5000" });
        res.write('[{"id":"00u1","sta');
        setTimeout(() => res.socket?.destroy(), 20);
      },
      { requestTimeoutMs: 300 },
    );
    expect((await client.request({ path: "/api/v1/users" })).body).toEqual(users);
    expect(server.requests).toHaveLength(2);
  });

  it("retries a 200 whose JSON body is malformed", async () => {
    const { client, server } = await start((_req, res, { index }) => {
      if (index > 0) return sendJson(res, 200, users);
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end('[{"id":"00u1"');
    });
    expect((await client.request({ path: "/api/v1/users" })).body).toEqual(users);
    expect(server.requests).toHaveLength(2);
  });

  it("times out a stalled answer and retries it", async () => {
    const { client, server } = await start(
      (_req, res, { index }) => {
        if (index > 0) sendJson(res, 200, users);
        // The first request is never answered.
      },
      { requestTimeoutMs: 200 },
    );
    expect((await client.request({ path: "/api/v1/users" })).body).toEqual(users);
    expect(server.requests).toHaveLength(2);
  });

  it("gives up on lasting timeouts with kind unavailable", async () => {
    const { client, server } = await start(() => undefined, { requestTimeoutMs: 100, maxRetries: 1 });
    const error = await rejection(client.request({ path: "/api/v1/users" }));
    expect(error.kind).toBe("unavailable");
    expect(error.message).toMatch(/ETIMEDOUT.*gave up after 2 attempts/);
    expect(server.requests).toHaveLength(2);
  });
});

describe("executor and 429", () => {
  it("waits until X-Rate-Limit-Reset measured against the server's Date, not the local clock", async () => {
    for (const skewMs of [3_600_000, -3_600_000]) {
      // The server's clock is an hour ahead (then behind); its bucket resets 1 s after its Date.
      const serverNow = Date.now() + skewMs;
      const { lines, logger } = recordingLogger();
      const { client } = await start(
        (_req, res, { index }) => {
          const headers = rateHeaders({ limit: 600, remaining: 0, resetEpochSeconds: Math.floor(serverNow / 1000) + 1, dateMs: serverNow });
          return index === 0 ? sendJson(res, 429, oktaError("E0000047", "API call exceeded rate limit due to too many requests."), headers) : sendJson(res, 200, users);
        },
        { logger },
      );
      expect((await client.request({ path: "/api/v1/users" })).body).toEqual(users);
      const retry = lines.find((line) => line.msg === "retrying Okta call");
      // Reset − Date is 1000 ms (Date truncates to the second), plus 10 ms safety and < 10 ms jitter.
      expect(retry?.obj).toMatchObject({ status: 429, attempt: 1 });
      const delayMs = (retry?.obj as { delayMs: number }).delayMs;
      expect(delayMs).toBeGreaterThanOrEqual(1_010);
      expect(delayMs).toBeLessThan(2_020);
      expect(client.stats()).toMatchObject({ calls: 2, retries: 1, rateLimited: 1 });
      await server?.close();
      server = undefined;
    }
  });

  it("tags the retry with X-Okta-Retry-For and X-Okta-Retry-Count", async () => {
    const { client, server } = await start((_req, res, { index }) => {
      const now = Date.now();
      const headers = { ...rateHeaders({ limit: 600, remaining: 0, resetEpochSeconds: Math.floor(now / 1000), dateMs: now }), "X-Okta-Request-Id": "req429" };
      return index === 0 ? sendJson(res, 429, oktaError("E0000047", "rate"), headers) : sendJson(res, 200, users);
    });
    await client.request({ path: "/api/v1/users" });
    expect(server.requests[1]?.headers["x-okta-retry-for"]).toBe("req429");
    expect(server.requests[1]?.headers["x-okta-retry-count"]).toBe("1");
  });

  it("gives up with kind rate-limited carrying limit, remaining and resetAt", async () => {
    const { client, server } = await start(
      (_req, res) => {
        const now = Date.now();
        sendJson(res, 429, oktaError("E0000047", "API call exceeded rate limit due to too many requests."), rateHeaders({
          limit: 600,
          remaining: 0,
          resetEpochSeconds: Math.floor(now / 1000),
          dateMs: now,
        }));
      },
      { maxRetries: 2 },
    );
    const error = await rejection(client.request({ path: "/api/v1/users" }));
    expect(error).toMatchObject({ kind: "rate-limited", status: 429, errorCode: "E0000047" });
    expect(error.rateLimit).toMatchObject({ limit: 600, remaining: 0 });
    expect(error.rateLimit?.resetAt).toBeInstanceOf(Date);
    expect(server.requests).toHaveLength(3);
    expect(client.stats()).toMatchObject({ calls: 3, rateLimited: 3, retries: 2 });
  });

  it("fails at once when the reset lies beyond the caller's deadline", async () => {
    const { client, server } = await start((_req, res) => {
      const now = Date.now();
      sendJson(res, 429, oktaError("E0000047", "rate"), rateHeaders({ limit: 600, remaining: 0, resetEpochSeconds: Math.floor(now / 1000) + 30, dateMs: now }));
    });
    const error = await rejection(client.request({ path: "/api/v1/users", deadlineMs: Date.now() + 5_000 }));
    expect(error).toMatchObject({ kind: "rate-limited" });
    expect(error.message).toMatch(/would pass the caller's deadline/);
    expect(error.rateLimit).toMatchObject({ limit: 600, remaining: 0 });
    expect(server.requests).toHaveLength(1);
  });

  it("fails at once when the reset wait exceeds maxWaitMs", async () => {
    const { client, server } = await start(
      (_req, res) => {
        const now = Date.now();
        sendJson(res, 429, oktaError("E0000047", "rate"), rateHeaders({ limit: 600, remaining: 0, resetEpochSeconds: Math.floor(now / 1000) + 30, dateMs: now }));
      },
      { maxWaitMs: 1_000 },
    );
    expect(await rejection(client.request({ path: "/api/v1/users" }))).toMatchObject({ kind: "rate-limited" });
    expect(server.requests).toHaveLength(1);
  });

  it("backs off on a concurrency 429 (Limit 0) instead of trusting its estimated reset", async () => {
    const { lines, logger } = recordingLogger();
    const { client, server } = await start(
      (_req, res, { index }) => {
        const now = Date.now();
        const headers = rateHeaders({ limit: 0, remaining: 0, resetEpochSeconds: Math.floor(now / 1000) + 60, dateMs: now });
        return index < 2 ? sendJson(res, 429, oktaError("E0000047", "concurrency"), headers) : sendJson(res, 200, users);
      },
      { logger },
    );
    expect((await client.request({ path: "/api/v1/users" })).body).toEqual(users);
    expect(server.requests).toHaveLength(3);
    const delays = lines.filter((line) => line.msg === "retrying Okta call").map((line) => (line.obj as { delayMs: number }).delayMs);
    // Backoff steps of 5 and 10 ms with equal jitter, nowhere near the 60 s "reset".
    expect(delays).toHaveLength(2);
    expect(delays.every((delay) => delay < 40)).toBe(true);
  });
});

describe("executor and cancellation", () => {
  it("stops a retry wait at once when the caller aborts", async () => {
    let answered!: () => void;
    const firstAnswer = new Promise<void>((resolve) => (answered = resolve));
    const { client, server } = await start(
      (_req, res) => {
        sendJson(res, 503, oktaError("E0000009", "unavailable"));
        answered();
      },
      { retryDelay: { baseMs: 60_000, capMs: 60_000 } },
    );
    const controller = new AbortController();
    const call = client.request({ path: "/api/v1/users", signal: controller.signal });
    await firstAnswer;
    controller.abort(new Error("stream cancelled"));
    const error = await rejection(call);
    expect(error.kind).toBe("cancelled");
    expect(server.requests).toHaveLength(1);
  });

  it("aborts the request in flight, closing its connection", async () => {
    let received!: () => void;
    const requestReceived = new Promise<void>((resolve) => (received = resolve));
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    const { client, server } = await start((req) => {
      req.socket.on("close", () => closed());
      received();
    });
    const controller = new AbortController();
    const call = client.request({ path: "/api/v1/users", signal: controller.signal });
    await requestReceived;
    controller.abort();
    expect((await rejection(call)).kind).toBe("cancelled");
    await connectionClosed;
    expect(server.requests).toHaveLength(1);
  });

  it("sends nothing when the signal is already aborted", async () => {
    const { client, server } = await start((_req, res) => sendJson(res, 200, users));
    const error = await rejection(client.request({ path: "/api/v1/users", signal: AbortSignal.abort() }));
    expect(error.kind).toBe("cancelled");
    expect(server.requests).toHaveLength(0);
    expect(client.stats().calls).toBe(0);
  });
});

describe("executor pacing", () => {
  it("spreads calls from X-Rate-Limit-Remaining so that a burst over the limit meets no 429", async () => {
    // A strict bucket: 8 calls per one-second window, answered with Okta's headers; call 9 gets 429.
    const LIMIT = 8;
    const windows = new Map<number, number>();
    let tooMany = 0;
    const { client } = await start((_req, res) => {
      const now = Date.now();
      const window = Math.floor(now / 1000);
      const used = (windows.get(window) ?? 0) + 1;
      windows.set(window, used);
      const headers = rateHeaders({ limit: LIMIT, remaining: Math.max(0, LIMIT - used), resetEpochSeconds: window + 1, dateMs: now });
      if (used > LIMIT) {
        tooMany++;
        return sendJson(res, 429, oktaError("E0000047", "rate"), headers);
      }
      sendJson(res, 200, users, headers);
    });
    const CALLS = 24;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < CALLS) {
        next++;
        await client.request({ path: "/api/v1/users" });
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    expect(tooMany).toBe(0);
    expect(client.stats()).toMatchObject({ calls: CALLS, rateLimited: 0, retries: 0 });
    expect(client.stats().paced).toBeGreaterThan(0);
    expect(Math.max(...windows.values())).toBeLessThanOrEqual(LIMIT);
  });

  it("holds a call that leaves half the bucket to others until the next window, while ordinary calls still go", async () => {
    // 20 calls per one-second window; background calls (leaveForOthers 0.5) may use only the first 10.
    const LIMIT = 20;
    const windows = new Map<number, { background: number; ordinary: number }>();
    const { client } = await start((req, res) => {
      const now = Date.now();
      const window = Math.floor(now / 1000);
      const counts = windows.get(window) ?? { background: 0, ordinary: 0 };
      if ((req.url ?? "").includes("/factors")) counts.background++;
      else counts.ordinary++;
      windows.set(window, counts);
      const used = counts.background + counts.ordinary;
      sendJson(res, used > LIMIT ? 429 : 200, used > LIMIT ? oktaError("E0000047", "rate") : [], rateHeaders({ limit: LIMIT, remaining: Math.max(0, LIMIT - used), resetEpochSeconds: window + 1, dateMs: now }));
    });
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < 30) {
        next++;
        await client.request({ path: "/api/v1/users/00u1/factors", leaveForOthers: 0.5 });
      }
    };
    const background = Promise.all([worker(), worker()]);
    // Once the background calls reach their share, an ordinary call goes at once, in the same window.
    while ([...windows.values()].every((w) => w.background < 10)) await new Promise((r) => setTimeout(r, 5));
    const before = Date.now();
    await client.request({ path: "/api/v1/groups" });
    expect(Date.now() - before).toBeLessThan(500);
    await background;
    expect(client.stats().rateLimited).toBe(0);
    // The share is judged on the answers' Remaining, so calls in flight may pass it by one per worker.
    expect(Math.max(...[...windows.values()].map((w) => w.background))).toBeLessThanOrEqual(10 + 2);
    expect([...windows.values()].filter((w) => w.background > 0).length).toBeGreaterThanOrEqual(3);
  });
});

describe("executor headroom (what a sync's look-ahead asks before starting early work)", () => {
  it("has room while nothing is known, none once a bucket is down to its reserve, and room again after the reset", async () => {
    let remaining = 100;
    const { client } = await start((_req, res) => {
      const now = Date.now();
      sendJson(res, 200, users, rateHeaders({ limit: 100, remaining, resetEpochSeconds: Math.floor(now / 1000) + 2, dateMs: now }));
    });
    expect(client.headroom?.()).toBe(true);
    await client.request({ path: "/api/v1/users" });
    expect(client.headroom?.()).toBe(true);
    // 10% of the limit is the reserve below which calls are spread: a call now would wait.
    remaining = 5;
    await client.request({ path: "/api/v1/users" });
    expect(client.headroom?.()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 3_100));
    expect(client.headroom?.()).toBe(true);
  });

  it("has none while as many calls are out as Okta's concurrency 429s allow, and room once they end", async () => {
    const held: (() => void)[] = [];
    const { client } = await start((_req, res, { index }) => {
      const now = Date.now();
      // The first answer is Okta's concurrency refusal; every later one waits until released.
      if (index === 0) return sendJson(res, 429, oktaError("E0000047", "concurrency"), rateHeaders({ limit: 0, remaining: 0, resetEpochSeconds: Math.floor(now / 1000) + 60, dateMs: now }));
      held.push(() => sendJson(res, 200, users));
    });
    const first = client.request({ path: "/api/v1/users" });
    // After the concurrency 429 the cap is one call: its retry is out, so there is no room.
    await waitFor(() => held.length === 1);
    expect(client.headroom?.()).toBe(false);
    held.shift()!();
    await first;
    expect(client.headroom?.()).toBe(true);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}
