import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { EntitlementSchema } from "../../gen/c1/connector/v2/entitlement_pb.js";
import { type FakeOkta, type GroundTruth, startFakeOkta } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { failureOf, type ProvisioningConnector, startProvisioningConnector, writesIn } from "./support/provisioning-connector.js";

/**
 * What provisioning must refuse, and how: groups whose members Okta manages, access a user holds only
 * through a group, principals of the wrong type, and ids that are unknown or try to steer the Okta
 * URL. The simulator's request log proves no refused call changed anything or reached a path it
 * should not.
 */
let fake: FakeOkta;
let truth: GroundTruth;
let connector: ProvisioningConnector;

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 21 });
  truth = await fake.groundTruth();
  connector = await startProvisioningConnector(fake, { token: fake.tokens.super_admin, args: ["--sync-custom-roles"] });
}, 120_000);

afterAll(async () => {
  await connector?.stop();
  await fake?.close();
});

type EntitlementInit = MessageInitShape<typeof EntitlementSchema>;

const activeUser = () => truth.users.find((u) => u.status === "ACTIVE")!;

/** Runs `call` and returns its failure and the requests it sent. */
async function refused(call: () => Promise<unknown>) {
  const before = fake.requestLog().length;
  const failure = await failureOf(call());
  return { failure, requests: fake.requestLog().slice(before) };
}

describe("groups whose members Okta manages", () => {
  it.each(["APP_GROUP", "BUILT_IN"] as const)("refuses a %s membership grant and revoke with FAILED_PRECONDITION saying Okta manages it", async (type) => {
    const group = truth.groups.find((g) => g.type === type && g.memberIds.length > 0)!;
    const entitlement = await connector.entitlement("group", group.id, "member");
    const outsider = truth.users.find((u) => u.status === "ACTIVE" && !group.memberIds.includes(u.id));
    const member = await connector.resource("user", group.memberIds.find((id) => truth.users.find((u) => u.id === id)?.status === "ACTIVE")!);

    const calls = [
      ...(outsider ? [() => connector.clients.grantManager.grant({ entitlement, principal: { id: { resourceType: "user", resource: outsider.id } } })] : []),
      () => connector.clients.grantManager.revoke({ grant: { id: `${entitlement.id}:user:${member.id!.resource}`, entitlement, principal: member } }),
    ];
    for (const call of calls) {
      const { failure, requests } = await refused(call);
      expect(failure.code).toBe(Code.FailedPrecondition);
      expect(failure.rawMessage).toContain(`is a ${type} group and Okta manages its members`);
      expect(writesIn(requests)).toEqual([]);
    }
    expect((await fake.groundTruth()).groups.find((g) => g.id === group.id)!.memberIds).toEqual(group.memberIds);
  });
});

describe("access held only through a group", () => {
  it("refuses to revoke a group-derived app user, naming the group(s) to change (Okta would answer E0000046)", async () => {
    const app = truth.apps.find((a) => a.users.some((u) => u.scope === "GROUP"))!;
    const appUser = app.users.find((u) => u.scope === "GROUP")!;
    const entitlement = await connector.entitlement("app", app.id, "access");
    const principal = await connector.resource("user", appUser.userId);
    const { failure, requests } = await refused(() =>
      connector.clients.grantManager.revoke({ grant: { id: `${entitlement.id}:user:${appUser.userId}`, entitlement, principal } }),
    );
    expect(failure.code).toBe(Code.FailedPrecondition);
    expect(appUser.groupIds.length).toBeGreaterThan(0);
    for (const groupId of appUser.groupIds) expect(failure.rawMessage).toContain(groupId);
    expect(failure.rawMessage).toMatch(/only through group/);
    expect(writesIn(requests)).toEqual([]);
    expect((await fake.groundTruth()).apps.find((a) => a.id === app.id)!.users.find((u) => u.userId === appUser.userId)?.scope).toBe("GROUP");
  });

  it("refuses to revoke a role a user holds only through a group, naming the group", async () => {
    const viaGroup = truth.roleAssignments.find((r) => {
      if (r.assigneeType !== "GROUP") return false;
      const members = truth.groups.find((g) => g.id === r.assigneeId)?.memberIds ?? [];
      return members.some((m) => !truth.roleAssignments.some((x) => x.assigneeId === m && x.type === r.type));
    })!;
    const group = truth.groups.find((g) => g.id === viaGroup.assigneeId)!;
    const userId = group.memberIds.find((m) => !truth.roleAssignments.some((x) => x.assigneeId === m && x.type === viaGroup.type))!;
    const entitlement = await connector.entitlement("role", viaGroup.type, "assigned");
    const { failure, requests } = await refused(() =>
      connector.clients.grantManager.revoke({
        grant: { id: `${entitlement.id}:user:${userId}`, entitlement, principal: { id: { resourceType: "user", resource: userId } } },
      }),
    );
    expect(failure.code).toBe(Code.FailedPrecondition);
    expect(failure.rawMessage).toContain(group.id);
    expect(writesIn(requests)).toEqual([]);
  });
});

describe("requests the connector cannot route or accept", () => {
  it("grants group membership to users only (INVALID_ARGUMENT naming the field)", async () => {
    const group = truth.groups.find((g) => g.type === "OKTA_GROUP")!;
    const other = truth.groups.find((g) => g.type === "OKTA_GROUP" && g.id !== group.id)!;
    const { failure, requests } = await refused(async () =>
      connector.clients.grantManager.grant({ entitlement: await connector.entitlement("group", group.id, "member"), principal: await connector.resource("group", other.id) }),
    );
    expect(failure.code).toBe(Code.InvalidArgument);
    expect(failure.rawMessage).toMatch(/^principal\.id\.resource_type: "group"/);
    expect(writesIn(requests)).toEqual([]);
  });

  it.each([
    ["an unknown resource type", "printer", Code.NotFound],
    ["a type that has no grants (user)", "user", Code.Unimplemented],
  ])("answers an entitlement on %s with the right code", async (_name, type, code) => {
    const entitlement: EntitlementInit = { id: `${type}:x1:member`, slug: "member", resource: { id: { resourceType: type, resource: "x1" } } };
    const { failure } = await refused(() => connector.clients.grantManager.grant({ entitlement, principal: { id: { resourceType: "user", resource: activeUser().id } } }));
    expect(failure.code).toBe(code);
  });

  it("answers an entitlement id the resource does not have with NOT_FOUND", async () => {
    const group = truth.groups.find((g) => g.type === "OKTA_GROUP")!;
    const entitlement = { ...(await connector.entitlement("group", group.id, "member")), id: `group:${group.id}:owner`, slug: "owner" };
    const { failure, requests } = await refused(() => connector.clients.grantManager.grant({ entitlement, principal: { id: { resourceType: "user", resource: activeUser().id } } }));
    expect(failure.code).toBe(Code.NotFound);
    expect(failure.rawMessage).toContain(`group:${group.id}:member`);
    expect(writesIn(requests)).toEqual([]);
  });
});

describe("bad ids", () => {
  // Ids that try to steer the Okta URL: path separators, traversal, encoded separators, a query, a fragment.
  const hostile = ["00g1/../../users", "..", "00g1%2F..%2Fusers", "00g1?limit=1", "00g1#x", "00g1 x", "a".repeat(65)];
  const entitlementOn = (type: string, id: string, slug: string): EntitlementInit => ({
    id: `${type}:${id}:${slug}`,
    slug,
    resource: { id: { resourceType: type, resource: id }, displayName: id },
  });

  /** Every Okta path a provisioning call may reach: ids are alphanumeric, the rest is fixed. */
  const ALLOWED = /^\/api\/v1\/(groups|users|apps)(\/[A-Za-z0-9]+)?(\/(users|groups|roles)(\/[A-Za-z0-9]+)?)?(\?[A-Za-z0-9=&%._-]*)?$|^\/api\/v1\/iam\/assignees\/users\?limit=1$/;

  it.each(hostile)("refuses %j in the entitlement's resource id or the principal id with INVALID_ARGUMENT, before any Okta call on it", async (bad) => {
    const user = activeUser();
    const group = truth.groups.find((g) => g.type === "OKTA_GROUP")!;
    const app = truth.apps[0]!;
    const cases = [
      { entitlement: entitlementOn("group", bad, "member"), principal: user.id, field: "entitlement.resource.id.resource" },
      { entitlement: entitlementOn("app", bad, "access"), principal: user.id, field: "entitlement.resource.id.resource" },
      { entitlement: entitlementOn("role", bad, "assigned"), principal: user.id, field: "entitlement.resource.id.resource" },
      { entitlement: entitlementOn("resourceset-binding", `iam1:${bad}`, "member"), principal: user.id, field: "entitlement.resource.id.resource" },
      { entitlement: await connector.entitlement("group", group.id, "member"), principal: bad, field: "principal.id.resource" },
      { entitlement: await connector.entitlement("app", app.id, "access"), principal: bad, field: "principal.id.resource" },
    ];
    for (const c of cases) {
      const { failure, requests } = await refused(() => connector.clients.grantManager.grant({ entitlement: c.entitlement, principal: { id: { resourceType: "user", resource: c.principal } } }));
      expect(failure.code, `${c.field} of ${c.entitlement.id}`).toBe(Code.InvalidArgument);
      expect(failure.rawMessage).toContain(c.field);
      for (const r of requests) expect(r.path, "an Okta call carried the hostile id").toMatch(ALLOWED);
      expect(writesIn(requests)).toEqual([]);
    }
    const revoke = await refused(() =>
      connector.clients.grantManager.revoke({
        grant: { id: `group:${bad}:member:user:${user.id}`, entitlement: entitlementOn("group", bad, "member"), principal: { id: { resourceType: "user", resource: user.id } } },
      }),
    );
    expect(revoke.failure.code).toBe(Code.InvalidArgument);
    expect(revoke.failure.rawMessage).toContain("grant.entitlement.resource.id.resource");
    expect(writesIn(revoke.requests)).toEqual([]);
  });

  it.each([
    ["group", "member", "00gUnknownGroup000001"],
    ["app", "access", "0oaUnknownApp00000001"],
  ])("answers a well-formed but unknown %s with NOT_FOUND and changes nothing", async (type, slug, id) => {
    const { failure, requests } = await refused(() =>
      connector.clients.grantManager.grant({ entitlement: entitlementOn(type, id, slug), principal: { id: { resourceType: "user", resource: activeUser().id } } }),
    );
    expect(failure.code).toBe(Code.NotFound);
    for (const r of requests) expect(r.path).toMatch(ALLOWED);
    expect(requests.filter((r) => r.method !== "GET" && r.status < 400 && !r.path.includes("connectorcapabilityprobe"))).toEqual([]);
  });

  it("answers an unknown user principal with NOT_FOUND", async () => {
    const group = truth.groups.find((g) => g.type === "OKTA_GROUP")!;
    const { failure } = await refused(async () =>
      connector.clients.grantManager.grant({ entitlement: await connector.entitlement("group", group.id, "member"), principal: { id: { resourceType: "user", resource: "00uUnknownUser0000001" } } }),
    );
    expect(failure.code).toBe(Code.NotFound);
  });

  it("refuses a grant id that disagrees with its entitlement and principal", async () => {
    const group = truth.groups.find((g) => g.type === "OKTA_GROUP")!;
    const entitlement = await connector.entitlement("group", group.id, "member");
    const { failure, requests } = await refused(() =>
      connector.clients.grantManager.revoke({ grant: { id: `${entitlement.id}:user:00uSomeoneElse000001`, entitlement, principal: { id: { resourceType: "user", resource: activeUser().id } } } }),
    );
    expect(failure.code).toBe(Code.InvalidArgument);
    expect(failure.rawMessage).toMatch(/^grant\.id:/);
    expect(writesIn(requests)).toEqual([]);
  });

  it.each([
    ["no entitlement", {}, "entitlement: is required"],
    ["an entitlement without its resource", { entitlement: { id: "group:00g1:member" } }, "entitlement.resource: is required"],
    ["no principal", { entitlement: entitlementOn("group", "00g1", "member") }, "principal: is required"],
  ])("refuses a request with %s (INVALID_ARGUMENT naming the field)", async (_name, request, message) => {
    const { failure } = await refused(() => connector.clients.grantManager.grant(request as never));
    expect(failure.code).toBe(Code.InvalidArgument);
    expect(failure.rawMessage).toBe(message);
  });
});
