import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Grant } from "../../gen/c1/connector/v2/grant_pb.js";
import { NO_FAULTS } from "../fake-okta/http/faults.js";
import { type FakeOkta, type GroundTruth, startFakeOkta } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { difference, directAccessOf } from "./support/org-access.js";
import { type ProvisioningConnector, startProvisioningConnector, writesIn } from "./support/provisioning-connector.js";

/**
 * Five identical Grants sent at once, then five identical Revokes, over real gRPC to the real serve
 * process: the connector makes one Okta write for each five, every caller gets the grant, and each
 * call writes its own audit line saying whether its run wrote or it shared another's write. Okta's
 * answers are held back 50 ms so that all five are surely in flight together.
 */
const CALLERS = 5;
let fake: FakeOkta;
let truth: GroundTruth;
let connector: ProvisioningConnector;

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 73 });
  truth = await fake.groundTruth();
  connector = await startProvisioningConnector(fake, { token: fake.tokens.super_admin });
}, 120_000);

afterEach(() => fake.setFaults({ ...NO_FAULTS }));

afterAll(async () => {
  await connector?.stop();
  await fake?.close();
});

describe("identical provisioning calls in flight", () => {
  const active = () => truth.users.filter((u) => u.status === "ACTIVE");
  it.each([
    // A membership PUT is idempotent, so only the write count shows the racing; a role POST is not.
    ["group membership", () => {
      const group = truth.groups.find((g) => g.type === "OKTA_GROUP" && g.memberIds.length > 0)!;
      const user = active().find((u) => !group.memberIds.includes(u.id))!;
      return { type: "group", id: group.id, slug: "member", userId: user.id, key: `group:${group.id}:member:${user.id}` };
    }],
    ["standard role", () => {
      const user = active().find((u) => !truth.roleAssignments.some((r) => r.assigneeId === u.id))!;
      return { type: "role", id: "REPORT_ADMIN", slug: "assigned", userId: user.id, key: `role:REPORT_ADMIN:${user.id}` };
    }],
  ] as const)("%s: 5 identical Grants make 1 Okta write and 1 change; 5 identical Revokes make 1 write and undo it", async (_name, target) => {
    const t = target();
    const entitlement = await connector.entitlement(t.type, t.id, t.slug);
    const principal = await connector.resource("user", t.userId);
    const before = directAccessOf(await fake.groundTruth());
    const isThis = (op: string) => (e: { operation: string; entitlementId?: string | undefined; principal?: string | undefined }) =>
      e.operation === op && e.entitlementId === entitlement.id && e.principal === `user:${t.userId}`;
    fake.setFaults({ latencyMs: 50 });

    let from = fake.requestLog().length;
    const granted = await Promise.all(Array.from({ length: CALLERS }, () => connector.clients.grantManager.grant({ entitlement, principal })));
    expect(writesIn(fake.requestLog().slice(from)), "Okta writes for 5 identical Grants").toHaveLength(1);
    expect(difference(directAccessOf(await fake.groundTruth()), before)).toEqual({ added: [t.key], removed: [] });
    for (const response of granted) {
      expect(response.grants.map((g) => g.id)).toEqual([granted[0]!.grants[0]!.id]);
      expect(response.annotations, "the access was not there before: no GrantAlreadyExists").toEqual([]);
    }
    const grantLines = await connector.auditOf(isThis("grant"), CALLERS);
    expect(grantLines.map((l) => l.outcome).sort()).toEqual(["granted", ...Array<string>(CALLERS - 1).fill("granted_shared")]);
    // Only the run that wrote made Okta calls; the others' lines say they made none.
    expect(grantLines.filter((l) => l.oktaCalls.length > 0).map((l) => l.outcome)).toEqual(["granted"]);

    from = fake.requestLog().length;
    const revoked = await Promise.all(Array.from({ length: CALLERS }, () => connector.clients.grantManager.revoke({ grant: granted[0]!.grants[0] as Grant })));
    expect(writesIn(fake.requestLog().slice(from)), "Okta writes for 5 identical Revokes").toHaveLength(1);
    expect(difference(directAccessOf(await fake.groundTruth()), before)).toEqual({ added: [], removed: [] });
    for (const response of revoked) expect(response.annotations).toEqual([]);
    const revokeLines = await connector.auditOf(isThis("revoke"), CALLERS);
    expect(revokeLines.map((l) => l.outcome).sort()).toEqual(["revoked", ...Array<string>(CALLERS - 1).fill("revoked_shared")]);
  }, 60_000);
});
