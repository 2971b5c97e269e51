import { Code } from "@connectrpc/connect";
import { anyIs } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GrantAlreadyExistsSchema, GrantAlreadyRevokedSchema } from "../../gen/c1/connector/v2/annotation_grant_pb.js";
import { type FakeOkta, type GroundTruth, type RequestLogEntry, startFakeOkta } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { failureOf, type ProvisioningConnector, startProvisioningConnector, writesIn } from "./support/provisioning-connector.js";

/**
 * Admin roles granted to and revoked from OAuth service apps through the real gRPC client, as for
 * users and groups: a standard role (`role:{type}:assigned`) and a custom role on a resource set
 * (`resourceset-binding:{set}:{role}:member`). Each call makes at most one Okta write, answers
 * "already" only when it was so before the call, and the simulated org's state is read after each.
 */
let fake: FakeOkta;
let truth: GroundTruth;
let connector: ProvisioningConnector;

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 31 });
  truth = await fake.groundTruth();
  connector = await startProvisioningConnector(fake, { token: fake.tokens.super_admin, args: ["--sync-custom-roles"] });
}, 120_000);

afterAll(async () => {
  await connector?.stop();
  await fake?.close();
});

const serviceApps = () => truth.apps.filter((a) => a.applicationType === "service");
/** A service app holding no role at all: the case only listing every service app makes grantable. */
const roleless = () => serviceApps().find((a) => !truth.roleAssignments.some((r) => r.assigneeId === a.clientId) && !truth.bindings.some((b) => b.members.some((m) => m.assigneeId === a.clientId)))!;

async function withRequests<T>(call: () => Promise<T>): Promise<{ result: T; requests: RequestLogEntry[] }> {
  const before = fake.requestLog().length;
  const result = await call();
  return { result, requests: fake.requestLog().slice(before) };
}

/** Writes, client role writes included (writesIn leaves out every /oauth2/ path, for the token POST). */
const writes = (requests: readonly RequestLogEntry[]) => [...writesIn(requests), ...requests.filter((e) => e.method !== "GET" && e.path.startsWith("/oauth2/v1/clients/"))];
const clientWrites = (requests: readonly RequestLogEntry[]) => writes(requests).map((r) => `${r.method} ${r.path.replace(/\/roles\/[^/?]+/, "/roles/{id}")}`);

describe("roles of OAuth service apps, through Grant and Revoke", { timeout: 120_000 }, () => {
  it("a standard role: grant (one POST to the client's roles), list, re-grant (already), revoke (one DELETE), re-revoke (already)", async () => {
    const app = roleless();
    const clientId = app.clientId!;
    const entitlement = await connector.entitlement("role", "HELP_DESK_ADMIN", "assigned");
    const principal = await connector.resource("service-app", clientId);
    const grantId = `role:HELP_DESK_ADMIN:assigned:service-app:${clientId}`;
    const holds = async () => (await fake.groundTruth()).roleAssignments.some((r) => r.type === "HELP_DESK_ADMIN" && r.assigneeType === "CLIENT" && r.assigneeId === clientId);
    expect(await holds()).toBe(false);

    const granted = await withRequests(() => connector.clients.grantManager.grant({ entitlement, principal }));
    expect(granted.result.grants.map((g) => g.id)).toEqual([grantId]);
    expect(granted.result.annotations.some((a) => anyIs(a, GrantAlreadyExistsSchema))).toBe(false);
    expect(clientWrites(granted.requests)).toEqual([`POST /oauth2/v1/clients/${clientId}/roles`]);
    expect(await holds()).toBe(true);
    expect((await connector.grants(entitlement.resource!)).map((g) => g.id)).toContain(grantId);

    const again = await withRequests(() => connector.clients.grantManager.grant({ entitlement, principal }));
    expect(again.result.annotations.some((a) => anyIs(a, GrantAlreadyExistsSchema))).toBe(true);
    expect(clientWrites(again.requests)).toEqual([]);

    const stored = { ...granted.result.grants[0]!, entitlement, principal };
    const revoked = await withRequests(() => connector.clients.grantManager.revoke({ grant: stored }));
    expect(revoked.result.annotations.some((a) => anyIs(a, GrantAlreadyRevokedSchema))).toBe(false);
    expect(clientWrites(revoked.requests)).toEqual([`DELETE /oauth2/v1/clients/${clientId}/roles/{id}`]);
    expect(await holds()).toBe(false);
    expect((await connector.grants(entitlement.resource!)).map((g) => g.id)).not.toContain(grantId);

    const revokedAgain = await withRequests(() => connector.clients.grantManager.revoke({ grant: stored }));
    expect(revokedAgain.result.annotations.some((a) => anyIs(a, GrantAlreadyRevokedSchema))).toBe(true);
    expect(clientWrites(revokedAgain.requests)).toEqual([]);

    const audit = await connector.auditOf((e) => e.entitlementId === entitlement.id && e.principal === `service-app:${clientId}`, 4);
    expect(audit.map((e) => [e.operation, e.outcome])).toEqual([
      ["grant", "granted"],
      ["grant", "already_exists"],
      ["revoke", "revoked"],
      ["revoke", "already_revoked"],
    ]);
  });

  it("revoking a role the service app holds from the seeded org removes only that assignment", async () => {
    const holder = truth.roleAssignments.find((r) => r.assigneeType === "CLIENT" && r.type === "REPORT_ADMIN")!;
    const entitlement = await connector.entitlement("role", "REPORT_ADMIN", "assigned");
    const listed = (await connector.grants(entitlement.resource!)).find((g) => g.id === `role:REPORT_ADMIN:assigned:service-app:${holder.assigneeId}`)!;
    expect(listed).toBeDefined();
    const principal = await connector.resource("service-app", holder.assigneeId);
    const before = (await fake.groundTruth()).roleAssignments.filter((r) => r.assigneeId === holder.assigneeId).map((r) => r.type).sort();
    await connector.clients.grantManager.revoke({ grant: { ...listed, entitlement, principal } });
    const after = (await fake.groundTruth()).roleAssignments.filter((r) => r.assigneeId === holder.assigneeId).map((r) => r.type).sort();
    expect(after).toEqual(before.filter((t) => t !== "REPORT_ADMIN"));
  });

  it("a custom role on a resource set: the grant is a binding member naming the client, and the revoke removes it", async () => {
    const app = roleless();
    const clientId = app.clientId!;
    const binding = truth.bindings.find((b) => !b.members.some((m) => m.assigneeId === clientId))!;
    const entitlement = await connector.entitlement("resourceset-binding", `${binding.resourceSetId}:${binding.roleId}`, "member");
    const principal = await connector.resource("service-app", clientId);
    const member = async () =>
      (await fake.groundTruth()).bindings.find((b) => b.resourceSetId === binding.resourceSetId && b.roleId === binding.roleId)?.members.find((m) => m.assigneeId === clientId);

    const granted = await withRequests(() => connector.clients.grantManager.grant({ entitlement, principal }));
    expect(granted.result.grants.map((g) => g.id)).toEqual([`${entitlement.id}:service-app:${clientId}`]);
    expect(clientWrites(granted.requests)).toEqual([`POST /oauth2/v1/clients/${clientId}/roles`]);
    expect((await member())?.assigneeType).toBe("CLIENT");
    const customRole = await connector.entitlement("custom-role", binding.roleId, "assigned");
    expect((await connector.grants(customRole.resource!)).map((g) => g.id)).toContain(`custom-role:${binding.roleId}:assigned:service-app:${clientId}`);

    await connector.clients.grantManager.revoke({ grant: { ...granted.result.grants[0]!, entitlement, principal } });
    expect(await member()).toBeUndefined();
  });
});

describe("when Okta's reply to the client role write is lost", { timeout: 120_000 }, () => {
  it.each(["502", "reset"] as const)("reply lost as %s: Grant answers granted (not already) and Revoke revoked, each with one effect", async (kind) => {
    const app = serviceApps().filter((a) => !truth.roleAssignments.some((r) => r.assigneeId === a.clientId && r.type === "API_ACCESS_MANAGEMENT_ADMIN"))[kind === "502" ? 0 : 1]!;
    const clientId = app.clientId!;
    const entitlement = await connector.entitlement("role", "API_ACCESS_MANAGEMENT_ADMIN", "assigned");
    const principal = await connector.resource("service-app", clientId);
    const held = async () => (await fake.groundTruth()).roleAssignments.filter((r) => r.type === "API_ACCESS_MANAGEMENT_ADMIN" && r.assigneeId === clientId).length;
    /** Loses the reply of the next write (the write is applied, then answered 502 or reset). */
    const lostOnce = async <T>(call: () => Promise<T>) => {
      fake.setFaults({ loseNextReplies: 1, lostReplyKind: kind });
      try {
        const done = await withRequests(call);
        expect(fake.faults().loseNextReplies, "the write's reply was lost").toBe(0);
        return done;
      } finally {
        fake.setFaults({ loseNextReplies: 0 });
      }
    };

    const granted = await lostOnce(() => connector.clients.grantManager.grant({ entitlement, principal }));
    expect(granted.result.annotations, "no GrantAlreadyExists: this call made the grant").toEqual([]);
    expect(await held()).toBe(1);
    const revoked = await lostOnce(() => connector.clients.grantManager.revoke({ grant: { ...granted.result.grants[0]!, entitlement, principal } }));
    expect(revoked.result.annotations, "no GrantAlreadyRevoked: this call removed it").toEqual([]);
    expect(await held()).toBe(0);
  });
});

describe("bad input naming the field", { timeout: 120_000 }, () => {
  it("a client id that could steer the URL: INVALID_ARGUMENT naming principal.id.resource, and no Okta call", async () => {
    const entitlement = await connector.entitlement("role", "HELP_DESK_ADMIN", "assigned");
    const before = fake.requestLog().length;
    const failure = await failureOf(connector.clients.grantManager.grant({ entitlement, principal: { id: { resourceType: "service-app", resource: "0oa1/../../users" } } }));
    expect(failure.code).toBe(Code.InvalidArgument);
    expect(failure.rawMessage).toMatch(/^principal\.id\.resource/);
    expect(fake.requestLog().slice(before)).toEqual([]);
  });

  it("a client id Okta does not know: NOT_FOUND naming principal.id.resource, and no write", async () => {
    const entitlement = await connector.entitlement("role", "HELP_DESK_ADMIN", "assigned");
    const before = fake.requestLog().length;
    const failure = await failureOf(connector.clients.grantManager.grant({ entitlement, principal: { id: { resourceType: "service-app", resource: "0oanosuchclient00000" } } }));
    expect(failure.code).toBe(Code.NotFound);
    expect(failure.rawMessage).toContain("principal.id.resource");
    expect(writes(fake.requestLog().slice(before))).toEqual([]);
  });

  it("a service app as the principal of app access: INVALID_ARGUMENT naming principal.id.resource_type", async () => {
    const app = truth.apps.find((a) => a.status === "ACTIVE" && a.applicationType !== "service")!;
    const entitlement = await connector.entitlement("app", app.id, "access");
    const failure = await failureOf(connector.clients.grantManager.grant({ entitlement, principal: { id: { resourceType: "service-app", resource: roleless().clientId! } } }));
    expect(failure.code).toBe(Code.InvalidArgument);
    expect(failure.rawMessage).toMatch(/^principal\.id\.resource_type: "service-app" cannot hold this entitlement/);
  });

  it("a revoke whose grant id names another principal: INVALID_ARGUMENT naming grant.id", async () => {
    const holder = truth.roleAssignments.find((r) => r.assigneeType === "CLIENT" && r.type === "SUPER_ADMIN")!;
    const entitlement = await connector.entitlement("role", "SUPER_ADMIN", "assigned");
    const principal = await connector.resource("service-app", holder.assigneeId);
    const before = fake.requestLog().length;
    const failure = await failureOf(connector.clients.grantManager.revoke({ grant: { id: `${entitlement.id}:service-app:0oaother`, entitlement, principal } }));
    expect(failure.code).toBe(Code.InvalidArgument);
    expect(failure.rawMessage).toMatch(/^grant\.id: /);
    expect(writes(fake.requestLog().slice(before))).toEqual([]);
  });
});
