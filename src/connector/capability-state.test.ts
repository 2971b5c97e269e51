import { describe, expect, it } from "vitest";
import { OktaError, type OktaClient, type OktaRequest, type OktaResponse } from "../okta/index.js";
import { createCapabilityState } from "./capability-state.js";
import { createWriteCapabilityLearner } from "./write-capability-learner.js";

/**
 * An OktaClient over a table of answers, the way a read-only SSWS token sees an org: users readable,
 * roles refused, and every write answered by `writes`. Records what was sent.
 */
function tableClient(writes: (call: OktaRequest) => number): OktaClient & { sent: string[] } {
  const sent: string[] = [];
  const headers = { get: () => null };
  return {
    sent,
    orgUrl: "https://example.okta.com",
    authKind: "ssws",
    stats: () => ({ calls: sent.length, byBucket: {}, retries: 0, rateLimited: 0, paced: 0 }),
    grantedScopes: () => undefined,
    async request<T>(call: OktaRequest): Promise<OktaResponse<T>> {
      const method = call.method ?? "GET";
      sent.push(`${method} ${call.path}`);
      const status = method === "GET" ? (call.path === "/api/v1/iam/assignees/users" ? 403 : 200) : writes(call);
      if (status >= 400) {
        const errorCode = status === 403 ? "E0000006" : "E0000009";
        throw new OktaError({ kind: status === 403 ? "forbidden" : "unavailable", message: `HTTP ${status}`, status, errorCode });
      }
      return { status, headers, body: (method === "GET" ? [{ id: "00u1abcdefghijklmno" }] : undefined) as T };
    },
  };
}

const ctx = { signal: new AbortController().signal };
const MEMBER_PUT: OktaRequest = { method: "PUT", path: "/api/v1/groups/00g1abcdefghijklmno/users/00u1abcdefghijklmno" };
const ASSIGN_POST: OktaRequest = { method: "POST", path: "/api/v1/apps/0oa1abcdefghijklmno/users" };

describe("createCapabilityState with the write learner", () => {
  it("probes with GETs only and leaves group and app writes unknown", async () => {
    const okta = tableClient(() => 204);
    const caps = await createCapabilityState(okta).get(ctx);
    expect(okta.sent).toEqual(["GET /api/v1/users", "GET /api/v1/iam/assignees/users"]);
    expect(caps.unknown).toEqual(["writeGroups", "writeApps"]);
  });

  it("remembers a 403 E0000006 on a real write as missing, and a 2xx as granted", async () => {
    const okta = tableClient((call) => (call.path.startsWith("/api/v1/groups/") ? 403 : 200));
    const state = createCapabilityState(okta);
    const writer = createWriteCapabilityLearner(okta, state);
    await expect(writer.request(MEMBER_PUT)).rejects.toMatchObject({ status: 403 });
    await writer.request(ASSIGN_POST);
    const caps = await state.get(ctx);
    expect(caps.writeGroups).toMatchObject({ status: "missing", requiredRole: "Group Administrator", reason: `Okta refused PUT ${MEMBER_PUT.path} with HTTP 403 E0000006` });
    expect(caps.writeApps).toMatchObject({ status: "granted" });
    expect(caps.missing).toContain("writeGroups");
    expect(caps.unknown).toEqual([]);
  });

  it("learns nothing from an answer that proves nothing (a 500), nor from reads", async () => {
    const okta = tableClient(() => 500);
    const state = createCapabilityState(okta);
    const writer = createWriteCapabilityLearner(okta, state);
    await expect(writer.request(MEMBER_PUT)).rejects.toMatchObject({ status: 500 });
    await writer.request({ path: "/api/v1/groups/00g1abcdefghijklmno/users" });
    expect((await state.get(ctx)).unknown).toEqual(["writeGroups", "writeApps"]);
  });

  it("forgets a learnt verdict after the probe's TTL, so a role granted later is noticed", async () => {
    let now = 1_000_000;
    const okta = tableClient(() => 403);
    const state = createCapabilityState(okta, () => now);
    await expect(createWriteCapabilityLearner(okta, state).request(MEMBER_PUT)).rejects.toMatchObject({ status: 403 });
    expect((await state.get(ctx)).writeGroups.status).toBe("missing");
    now += 5 * 60 * 1000 + 1;
    expect((await state.get(ctx)).writeGroups.status).toBe("unknown");
  });
});
