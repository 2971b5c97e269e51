import { Code } from "@connectrpc/connect";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RateLimitDescriptionSchema } from "../../gen/c1/connector/v2/annotation_ratelimit_pb.js";
import { type FakeOkta, type GroundTruth, startFakeOkta } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { failureOf, type ProvisioningConnector, startProvisioningConnector } from "./support/provisioning-connector.js";

/**
 * Transient Okta failures during a grant are retried inside the connector (baton-sdk turns any error
 * from Grant into a permanent task failure), and a retried write still ends in exactly one
 * assignment. Only when the call's deadline leaves no room does it answer UNAVAILABLE, with the
 * RateLimitDescription baton's retryer reads. The faults are switched off by the test once the
 * request log shows the connector met them, so the outcome does not depend on chance.
 */
let fake: FakeOkta;
let truth: GroundTruth;
let connector: ProvisioningConnector;

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 31 });
  truth = await fake.groundTruth();
  connector = await startProvisioningConnector(fake, { token: fake.tokens.super_admin });
}, 120_000);

afterEach(() => fake.setFaults({ stormRate: 0, errorRate: 0, resetRate: 0, buckets: [] }));

afterAll(async () => {
  await connector?.stop();
  await fake?.close();
});

/** Waits until the request log shows `count` answers matching `match` after index `from`. */
async function seen(from: number, count: number, match: (e: { method: string; path: string; status: number }) => boolean): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (fake.requestLog().slice(from).filter(match).length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the connector did not meet the fault in time");
}

const usersWithoutRoles = () => truth.users.filter((u) => u.status === "ACTIVE" && !truth.roleAssignments.some((r) => r.assigneeId === u.id));

describe("transient failures during a grant", () => {
  it("a 429 storm on a role grant (its read of the user's roles, then a POST Okta does not dedupe) still ends in exactly one assignment", async () => {
    const user = usersWithoutRoles()[0]!;
    const entitlement = await connector.entitlement("role", "REPORT_ADMIN", "assigned");
    const principal = await connector.resource("user", user.id);
    const from = fake.requestLog().length;
    fake.setFaults({ stormRate: 1, buckets: ["other"] });
    const pending = connector.clients.grantManager.grant({ entitlement, principal });
    await seen(from, 3, (e) => e.path.startsWith(`/api/v1/users/${user.id}/roles`) && e.status === 429);
    fake.setFaults({ stormRate: 0 });
    const response = await pending;
    expect(response.grants.map((g) => g.id)).toEqual([`role:REPORT_ADMIN:assigned:user:${user.id}`]);
    const now = await fake.groundTruth();
    expect(now.roleAssignments.filter((r) => r.type === "REPORT_ADMIN" && r.assigneeId === user.id)).toHaveLength(1);
  });

  it("5xx answers and connection resets on an app assignment still end in exactly one direct assignment", async () => {
    const app = truth.apps.find((a) => a.status === "ACTIVE")!;
    const user = truth.users.find((u) => u.status === "ACTIVE" && !app.users.some((x) => x.userId === u.id))!;
    const entitlement = await connector.entitlement("app", app.id, "access");
    const principal = await connector.resource("user", user.id);
    const from = fake.requestLog().length;
    fake.setFaults({ errorRate: 0.5, resetRate: 0.5, buckets: ["other"] });
    const pending = connector.clients.grantManager.grant({ entitlement, principal });
    await seen(from, 3, (e) => e.path.startsWith(`/api/v1/apps/${app.id}/users`) && (e.status >= 500 || e.status === 0));
    fake.setFaults({ errorRate: 0, resetRate: 0 });
    await pending;
    const now = await fake.groundTruth();
    expect(now.apps.find((a) => a.id === app.id)!.users.filter((u) => u.userId === user.id)).toEqual([expect.objectContaining({ scope: "USER" })]);
    const [line] = await connector.auditOf((e) => e.operation === "grant" && e.entitlementId === entitlement.id && e.principal === `user:${user.id}`, 1);
    expect(line).toMatchObject({ outcome: "granted" });
    // The write that finally succeeded is the one whose request id the audit keeps.
    expect(line!.oktaCalls.filter((c) => c.method === "POST").at(-1)).toMatchObject({ status: 200, requestId: line!.oktaRequestId });
  });

  it("answers UNAVAILABLE with a RateLimitDescription when the storm outlasts the call's deadline, and changes nothing", async () => {
    const group = truth.groups.find((g) => g.type === "OKTA_GROUP" && g.memberIds.length > 0)!;
    const user = truth.users.find((u) => u.status === "ACTIVE" && !group.memberIds.includes(u.id))!;
    const entitlement = await connector.entitlement("group", group.id, "member");
    const principal = await connector.resource("user", user.id);
    fake.setFaults({ stormRate: 1, buckets: ["other"] });
    const failure = await failureOf(connector.clients.grantManager.grant({ entitlement, principal }, { timeoutMs: 4_000 }));
    expect(failure.code).toBe(Code.Unavailable);
    const [detail] = failure.findDetails(RateLimitDescriptionSchema);
    expect(detail?.remaining).toBe(0n);
    fake.setFaults({ stormRate: 0 });
    expect((await fake.groundTruth()).groups.find((g) => g.id === group.id)!.memberIds).not.toContain(user.id);
  });
});
