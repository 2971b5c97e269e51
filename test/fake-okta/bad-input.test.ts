import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOkta, type FakeOkta } from "./index.js";
import { call } from "./test-support.js";

describe("bad input", () => {
  let fake: FakeOkta;
  let internalErrors: unknown[];
  let userId: string;
  let groupId: string;
  let appId: string;

  beforeAll(async () => {
    internalErrors = [];
    fake = await startFakeOkta({ seed: 31, users: 40, onInternalError: (error) => internalErrors.push(error) });
    const truth = await fake.groundTruth();
    userId = truth.users[0]?.id ?? "";
    groupId = truth.groups.find((g) => g.type === "OKTA_GROUP")?.id ?? "";
    appId = truth.apps[0]?.id ?? "";
  });
  afterAll(async () => {
    await fake?.close();
    // Every case below is an expected answer: none may reach the catch-all 500.
    expect(internalErrors).toEqual([]);
  });

  const code = (body: unknown): string | undefined => (body as { errorCode?: string } | undefined)?.errorCode;

  it("answers 404 E0000007 for unknown ids, naming the id", async () => {
    const nope = "00u0000000000000nope";
    const paths = [
      ["GET", `/api/v1/users/${nope}`], ["POST", `/api/v1/users/${nope}/lifecycle/suspend`], ["DELETE", `/api/v1/users/${nope}`],
      ["GET", "/api/v1/groups/00g0000000000000nope"], ["GET", "/api/v1/groups/00g0000000000000nope/users"],
      ["PUT", `/api/v1/groups/${groupId}/users/${nope}`], ["GET", "/api/v1/apps/0oa0000000000000nope"],
      ["GET", `/api/v1/apps/${appId}/users/${nope}`], ["GET", `/api/v1/apps/${appId}/groups/00g0000000000000nope`],
      ["GET", `/api/v1/users/${userId}/roles/ra10000000000000nope`], ["GET", "/api/v1/iam/roles/cr00000000000000nope"],
      ["GET", "/api/v1/iam/resource-sets/iam0000000000000nope/bindings"],
    ];
    for (const [method, path] of paths) {
      const res = await call(fake, method as string, path as string);
      expect([res.status, code(res.body)], `${method} ${path}`).toEqual([404, "E0000007"]);
      expect((res.body as { errorSummary: string }).errorSummary).toMatch(/^Not found: Resource not found: \S+ \(\w+\)$/);
    }
  });

  it("answers 400 E0000003 for malformed or missing JSON bodies", async () => {
    for (const [method, path, body] of [
      ["POST", "/api/v1/groups", "{not json"], ["POST", "/api/v1/users", "[1,2"], ["POST", "/api/v1/users", ""],
      ["POST", `/api/v1/apps/${appId}/users`, "\"just a string\""], ["PUT", `/api/v1/groups/${groupId}`, "null"],
    ] as const) {
      const res = await call(fake, method, path, { body });
      expect([res.status, code(res.body)], `${method} ${path} ${body}`).toEqual([400, "E0000003"]);
    }
  });

  it("answers 400 for a limit that is not a positive integer, and clamps one above the maximum", async () => {
    for (const limit of ["abc", "0", "-3", "1.5", "10e2"]) {
      const res = await call(fake, "GET", `/api/v1/users?limit=${limit}`);
      expect([res.status, code(res.body)], limit).toEqual([400, "E0000001"]);
    }
    const clamped = await call(fake, "GET", "/api/v1/users?search=status%20pr&limit=5000");
    expect((clamped.body as unknown[]).length).toBe(40);
    expect((await call(fake, "GET", "/api/v1/apps?limit=-1")).status).toBe(200);
  });

  it("answers 400 E0000031 for filters that do not parse or use what the endpoint cannot filter on", async () => {
    for (const query of ["filter=status%20eq%20ACTIVE", "search=(status%20eq%20%22A%22", "filter=profile.department%20eq%20%22IT%22", "filter=status%20co%20%22ACT%22", "search=a&filter=b"]) {
      const res = await call(fake, "GET", `/api/v1/users?${query}`);
      expect(res.status, query).toBe(400);
      expect(["E0000031", "E0000033"]).toContain(code(res.body));
    }
    expect(code((await call(fake, "GET", "/api/v1/groups?filter=profile.name%20eq%20%22x%22")).body)).toBe("E0000031");
    expect(code((await call(fake, "GET", "/api/v1/logs?filter=published%20gt%20%222020%22")).body)).toBe("E0000053");
    expect(code((await call(fake, "GET", "/api/v1/logs?since=yesterday")).body)).toBe("E0000001");
  });

  it("answers 400 for a cursor the org never issued", async () => {
    expect(code((await call(fake, "GET", "/api/v1/users?after=00unotacursor")).body)).toBe("E0000001");
    expect(code((await call(fake, "GET", "/api/v1/logs?after=zzz")).body)).toBe("E0000001");
  });

  it("answers 404 E0000008 for unknown paths and 405 E0000022 for unsupported methods", async () => {
    expect([404, "E0000008"]).toEqual([(await call(fake, "GET", "/api/v1/nothing")).status, code((await call(fake, "GET", "/api/v1/nothing")).body)]);
    const wrong = await call(fake, "PATCH", "/api/v1/users");
    expect([wrong.status, code(wrong.body)]).toEqual([405, "E0000022"]);
  });

  it("answers 400 E0000001 with a cause per field for invalid writes", async () => {
    const noLogin = await call(fake, "POST", "/api/v1/users", { body: { profile: { firstName: "A" } } });
    expect([noLogin.status, code(noLogin.body)]).toEqual([400, "E0000001"]);
    expect((noLogin.body as { errorCauses: { errorSummary: string }[] }).errorCauses.map((c) => c.errorSummary)).toEqual(["login: The field cannot be left blank"]);
    const badRole = await call(fake, "POST", `/api/v1/users/${userId}/roles`, { body: { type: "KING_OF_OKTA" } });
    expect([badRole.status, code(badRole.body)]).toEqual([400, "E0000001"]);
    const noGroupName = await call(fake, "POST", "/api/v1/groups", { body: { profile: { description: "x" } } });
    expect([noGroupName.status, code(noGroupName.body)]).toEqual([400, "E0000001"]);
  });

  it("survives garbage: odd encodings, huge bodies, raw bytes on the socket, and keeps answering", async () => {
    const odd = ["/api/v1/users/%ZZ", "/api/v1/users/%00", "/api/v1//users", "/api/v1/users?limit=%", "/api/v1/groups/..%2F..%2Fetc", `/api/v1/users/${"x".repeat(5000)}`, "/api/v1/users?search=" + "(".repeat(2000)];
    for (const path of odd) {
      const res = await call(fake, "GET", path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
    const huge = await call(fake, "POST", "/api/v1/groups", { body: JSON.stringify({ profile: { name: "x".repeat(2 << 20) } }) });
    expect(huge.status).toBe(400);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(new URL(fake.url).port), "127.0.0.1", () => socket.end("\u0000\u0001GARBAGE / HTTP/9.9\r\n\r\n"));
      socket.on("data", () => {});
      socket.on("close", () => resolve());
      socket.on("error", () => resolve());
    });
    expect((await call(fake, "GET", "/api/v1/users?limit=1")).status).toBe(200);
  });
});
