import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOkta, type GroundTruth, startFakeOkta } from "../fake-okta/index.js";
import { buildCliIfStale, runCli } from "../support/serve-process.js";
import { type ProvisioningConnector, startProvisioningConnector } from "./support/provisioning-connector.js";

/**
 * `okta-connector grant` and `revoke`, the commands a person uses to drive provisioning by hand (and
 * the demo's round trip): the real binary against a real `serve --provisioning`, with the result
 * checked in a paged ListGrants and in the simulated org.
 */
let fake: FakeOkta;
let truth: GroundTruth;
let connector: ProvisioningConnector;

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 51 });
  truth = await fake.groundTruth();
  connector = await startProvisioningConnector(fake, { token: fake.tokens.super_admin });
}, 120_000);

afterAll(async () => {
  await connector?.stop();
  await fake?.close();
});

describe("grant and revoke commands", () => {
  it("round trip: grant, the sync shows it, grant again, revoke, the sync no longer shows it, revoke again", async () => {
    const group = truth.groups.find((g) => g.type === "OKTA_GROUP" && g.memberIds.length > 0)!;
    const user = truth.users.find((u) => u.status === "ACTIVE" && !group.memberIds.includes(u.id))!;
    const entitlementId = `group:${group.id}:member`;
    const grantId = `${entitlementId}:user:${user.id}`;
    const base = ["--connector", connector.process.address];
    const listed = async () => (await connector.grants(await connector.resource("group", group.id))).map((g) => g.id);

    const granted = await runCli(["grant", ...base, "--entitlement", entitlementId, "--principal", `user:${user.id}`]);
    expect(granted).toMatchObject({ code: 0, stdout: `granted: ${grantId}\n` });
    expect(await listed()).toContain(grantId);
    expect((await fake.groundTruth()).groups.find((g) => g.id === group.id)!.memberIds).toContain(user.id);

    const again = await runCli(["grant", ...base, "--entitlement", entitlementId, "--principal", `user:${user.id}`, "--json"]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ outcome: "already_exists", grants: [grantId] });

    const revoked = await runCli(["revoke", ...base, "--grant", grantId]);
    expect(revoked).toMatchObject({ code: 0, stdout: `revoked: ${grantId}\n` });
    expect(await listed()).not.toContain(grantId);
    expect((await fake.groundTruth()).groups.find((g) => g.id === group.id)!.memberIds).not.toContain(user.id);

    const revokedAgain = await runCli(["revoke", ...base, "--grant", grantId, "--json"]);
    expect(JSON.parse(revokedAgain.stdout)).toEqual({ outcome: "already_revoked", grant: grantId });
  });

  it("exits 2 naming the flag for bad input, without calling the connector", async () => {
    const missing = await runCli(["grant", "--connector", connector.process.address, "--principal", "user:00u1"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^okta-connector: --entitlement: "" is not an entitlement id/);
    const badGrant = await runCli(["revoke", "--connector", connector.process.address, "--grant", "group:00g1:member"]);
    expect(badGrant.code).toBe(2);
    expect(badGrant.stderr).toMatch(/--grant: /);
    expect(await connector.auditOf((e) => e.principal === "user:00u1" || e.grantId === "group:00g1:member", 1)).toEqual([]);
  });

  it("exits 1 with the connector's reason when it refuses", async () => {
    const everyone = truth.groups.find((g) => g.type === "BUILT_IN")!;
    const result = await runCli(["grant", "--connector", connector.process.address, "--entitlement", `group:${everyone.id}:member`, "--principal", `user:${truth.users[0]!.id}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("BUILT_IN group and Okta manages its members");
  });
});
