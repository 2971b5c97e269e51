import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Capability, type ConnectorMetadata } from "../../gen/c1/connector/v2/connector_pb.js";
import { type FakeOkta, type GroundTruth, startFakeOkta } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { failureOf, type ProvisioningConnector, startProvisioningConnector, writesIn } from "./support/provisioning-connector.js";

/**
 * The seed's capability table: what each admin level may provision, what GetMetadata advertises for
 * it, and that a call known to be refused is refused before any Okta write (no half-done change).
 * Write capability is never probed with a write: it comes from reads, or from the first real write.
 */
let fake: FakeOkta;
let truth: GroundTruth;

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 5 });
  truth = await fake.groundTruth();
}, 120_000);

afterAll(async () => {
  await fake?.close();
});

/** Capabilities per resource type, and the connector's, from GetMetadata. */
function capabilitiesOf(metadata: ConnectorMetadata | undefined) {
  const byType = Object.fromEntries((metadata?.capabilities?.resourceTypeCapabilities ?? []).map((c) => [c.resourceType!.id, c.capabilities]));
  return { byType, connector: metadata?.capabilities?.connectorCapabilities ?? [] };
}

const PROVISIONING_CAPS = [Capability.PROVISION, Capability.ACCOUNT_PROVISIONING, Capability.RESOURCE_DELETE, Capability.ACTIONS];

async function withConnector(token: string, run: (c: ProvisioningConnector) => Promise<void>, args: string[] = []) {
  const connector = await startProvisioningConnector(fake, { token, args });
  try {
    await run(connector);
  } finally {
    await connector.stop();
  }
}

/** A user outside a writable group, an app it lacks, and a role it does not hold. */
function targets() {
  const group = truth.groups.find((g) => g.type === "OKTA_GROUP" && g.memberIds.length > 0)!;
  const user = truth.users.find((u) => u.status === "ACTIVE" && !group.memberIds.includes(u.id) && !truth.roleAssignments.some((r) => r.assigneeId === u.id))!;
  const app = truth.apps.find((a) => a.status === "ACTIVE" && !a.users.some((x) => x.userId === user.id))!;
  return { group, user, app };
}

describe("read_only token", () => {
  it("attempts a Grant no read could rule out, gets PERMISSION_DENIED after Okta's 403, then stops advertising it", async () => {
    await withConnector(fake.tokens.read_only, async (connector) => {
      // No read tells a read-only admin from a Group Administrator, so group and app provisioning is
      // advertised as "unknown" until a write answers; roles and accounts are known missing.
      const before = await connector.clients.connector.getMetadata({});
      const { byType, connector: connectorCaps } = capabilitiesOf(before.metadata);
      expect(byType["group"]).toEqual(expect.arrayContaining([Capability.SYNC, Capability.PROVISION]));
      expect(byType["app"]).toContain(Capability.PROVISION);
      expect(byType["user"] ?? []).not.toContain(Capability.ACCOUNT_PROVISIONING);
      expect(byType["role"] ?? []).not.toContain(Capability.PROVISION);
      expect(connectorCaps).not.toContain(Capability.ACTIONS);
      expect(before.metadata?.profile?.["write_access"]).toMatchObject({ writeGroups: { status: "unknown" }, writeRoles: { status: "missing" } });

      const { group, user } = targets();
      const grant = async () =>
        failureOf(
          connector.clients.grantManager.grant({
            entitlement: await connector.entitlement("group", group.id, "member"),
            principal: await connector.resource("user", user.id),
          }),
        );
      const first = fake.requestLog().length;
      const failure = await grant();
      expect(failure.code).toBe(Code.PermissionDenied);
      expect(failure.rawMessage).toMatch(/Group Administrator/);
      expect(writesIn(fake.requestLog().slice(first)).map((e) => `${e.method} ${e.status}`)).toEqual(["PUT 403"]);

      // A refusal on one group says nothing of the next (a Group Administrator may be scoped), so Okta
      // decides the second attempt too; it refuses again and applies nothing.
      const second = fake.requestLog().length;
      const again = await grant();
      expect(again.code).toBe(Code.PermissionDenied);
      expect(again.rawMessage).toMatch(/Group Administrator/);
      expect(writesIn(fake.requestLog().slice(second)).map((e) => `${e.method} ${e.status}`)).toEqual(["PUT 403"]);
      expect((await fake.groundTruth()).groups.find((g) => g.id === group.id)!.memberIds).not.toContain(user.id);
      const after = capabilitiesOf((await connector.clients.connector.getMetadata({})).metadata);
      expect(after.byType["group"]).toEqual([Capability.SYNC, Capability.TARGETED_SYNC]);
      expect(after.byType["app"]).toContain(Capability.PROVISION);

      const lines = await connector.auditOf((e) => e.operation === "grant" && e.entitlementId === `group:${group.id}:member` && e.principal === `user:${user.id}`, 2);
      for (const line of lines) expect(line).toMatchObject({ operation: "grant", outcome: "failed", code: "permission_denied" });
    });
  });
});

describe("app_group_admin token", () => {
  it("advertises and performs group and app provisioning, and refuses roles naming Super Administrator", async () => {
    await withConnector(fake.tokens.app_group_admin, async (connector) => {
      const { byType, connector: connectorCaps } = capabilitiesOf((await connector.clients.connector.getMetadata({})).metadata);
      expect(byType["group"]).toContain(Capability.PROVISION);
      expect(byType["app"]).toContain(Capability.PROVISION);
      expect(byType["role"] ?? []).not.toContain(Capability.PROVISION);
      expect(byType["user"] ?? []).not.toContain(Capability.ACCOUNT_PROVISIONING);
      expect(connectorCaps).not.toContain(Capability.ACTIONS);

      const { group, user, app } = targets();
      const principal = await connector.resource("user", user.id);
      await connector.clients.grantManager.grant({ entitlement: await connector.entitlement("group", group.id, "member"), principal });
      await connector.clients.grantManager.grant({ entitlement: await connector.entitlement("app", app.id, "access"), principal });
      const now = await fake.groundTruth();
      expect(now.groups.find((g) => g.id === group.id)!.memberIds).toContain(user.id);
      expect(now.apps.find((a) => a.id === app.id)!.users.find((u) => u.userId === user.id)?.scope).toBe("USER");

      // Roles are not listed with this token, so the request is built as an engine holding an older sync would.
      const before = fake.requestLog().length;
      const failure = await failureOf(
        connector.clients.grantManager.grant({
          entitlement: { id: "role:REPORT_ADMIN:assigned", slug: "assigned", resource: { id: { resourceType: "role", resource: "REPORT_ADMIN" } } },
          principal,
        }),
      );
      expect(failure.code).toBe(Code.PermissionDenied);
      expect(failure.rawMessage).toMatch(/Super Administrator/);
      expect(writesIn(fake.requestLog().slice(before))).toEqual([]);
    });
  });
});

describe("super_admin token", () => {
  it("advertises provisioning on every type it can change, account provisioning on users and actions", async () => {
    await withConnector(
      fake.tokens.super_admin,
      async (connector) => {
        const metadata = (await connector.clients.connector.getMetadata({})).metadata;
        const { byType, connector: connectorCaps } = capabilitiesOf(metadata);
        for (const type of ["group", "app", "role", "resourceset-binding"]) expect(byType[type], type).toContain(Capability.PROVISION);
        expect(byType["user"]).toEqual(expect.arrayContaining([Capability.ACCOUNT_PROVISIONING, Capability.RESOURCE_DELETE]));
        expect(connectorCaps).toEqual(expect.arrayContaining([Capability.PROVISION, Capability.ACCOUNT_PROVISIONING, Capability.RESOURCE_DELETE, Capability.ACTIONS]));
        expect(Object.keys(metadata?.accountCreationSchema?.fieldMap ?? {}).sort()).toEqual(
          ["additionalAttributes", "create_inactive", "email", "first_name", "last_name", "login", "password_change_on_login_required", "provider_type", "send_activation_email"],
        );
        const details = metadata?.capabilities?.credentialDetails?.capabilityAccountProvisioning;
        expect(details?.supportedCredentialOptions).toEqual([1, 2]);
        expect(details?.preferredCredentialOption).toBe(1);
      },
      ["--sync-custom-roles"],
    );
  });
});

describe("provisioning off", () => {
  it("advertises nothing and answers every provisioning RPC with FAILED_PRECONDITION naming --provisioning", async () => {
    const connector = await startProvisioningConnector(fake, { token: fake.tokens.super_admin, provisioning: false });
    try {
      const { byType, connector: connectorCaps } = capabilitiesOf((await connector.clients.connector.getMetadata({})).metadata);
      for (const caps of [...Object.values(byType), connectorCaps]) for (const cap of PROVISIONING_CAPS) expect(caps).not.toContain(cap);
      const { group, user } = targets();
      const entitlement = await connector.entitlement("group", group.id, "member");
      const principal = await connector.resource("user", user.id);
      const before = fake.requestLog().length;
      const calls = [
        () => connector.clients.grantManager.grant({ entitlement, principal }),
        () => connector.clients.grantManager.revoke({ grant: { id: `${entitlement.id}:user:${user.id}`, entitlement, principal } }),
        () => connector.accounts.createAccount({ accountInfo: { profile: { first_name: "A", last_name: "B", email: "a@b.example" } } }),
        () => connector.deleter.deleteResourceV2({ resourceId: { resourceType: "user", resource: user.id } }),
        () => connector.manager.deleteResource({ resourceId: { resourceType: "user", resource: user.id } }),
        () => connector.actions.invokeAction({ name: "disable_user", args: { user_id: user.id } }),
      ];
      for (const call of calls) {
        const failure = await failureOf(call());
        expect(failure.code).toBe(Code.FailedPrecondition);
        expect(failure.rawMessage).toContain("--provisioning");
      }
      expect((await connector.actions.listActionSchemas({})).schemas).toEqual([]);
      expect(writesIn(fake.requestLog().slice(before))).toEqual([]);
    } finally {
      await connector.stop();
    }
  });
});
