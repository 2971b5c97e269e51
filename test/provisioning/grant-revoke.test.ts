import { anyIs } from "@bufbuild/protobuf/wkt";
import type { Any } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GrantAlreadyExistsSchema, GrantAlreadyRevokedSchema } from "../../gen/c1/connector/v2/annotation_grant_pb.js";
import { type FakeOkta, type GroundTruth, startFakeOkta } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { type ProvisioningConnector, startProvisioningConnector } from "./support/provisioning-connector.js";

/**
 * Every provisioning path, end to end: the real `serve --provisioning` process on the simulated org.
 * A grant must show up in the next paged ListGrants exactly as the Grant returned it (same id, same
 * annotations) and in Okta; a repeat must succeed with GrantAlreadyExists; a revoke must remove it
 * from both; a repeat revoke must succeed with GrantAlreadyRevoked; each call writes one audit line.
 */
let fake: FakeOkta;
let truth: GroundTruth;
let connector: ProvisioningConnector;

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 11 });
  truth = await fake.groundTruth();
  connector = await startProvisioningConnector(fake, { token: fake.tokens.super_admin, args: ["--sync-custom-roles"] });
}, 120_000);

afterAll(async () => {
  await connector?.stop();
  await fake?.close();
});

interface Path {
  readonly name: string;
  readonly type: string;
  readonly id: string;
  readonly slug: string;
  readonly principal: { readonly type: "user" | "group"; readonly id: string };
  /** Whether Okta (the simulator's ground truth) holds the access now. */
  readonly inOkta: (now: GroundTruth) => boolean;
}

function paths(): Path[] {
  const active = truth.users.filter((u) => u.status === "ACTIVE");
  const okta = truth.groups.filter((g) => g.type === "OKTA_GROUP");
  const group = okta.find((g) => g.memberIds.length > 0)!;
  const outsider = active.find((u) => !group.memberIds.includes(u.id))!;
  const app = truth.apps.find((a) => a.status === "ACTIVE" && a.groups.length > 0)!;
  const appOutsider = active.find((u) => !app.users.some((x) => x.userId === u.id))!;
  const unassignedGroup = okta.find((g) => !app.groups.some((x) => x.groupId === g.id))!;
  const roleUser = active.find((u) => !truth.roleAssignments.some((r) => r.assigneeId === u.id && r.type === "REPORT_ADMIN"))!;
  const roleGroup = okta.find((g) => !truth.roleAssignments.some((r) => r.assigneeId === g.id && r.type === "HELP_DESK_ADMIN"))!;
  const binding = truth.bindings[0]!;
  const bindingUser = active.find((u) => !binding.members.some((m) => m.assigneeId === u.id))!;
  const bindingGroup = okta.find((g) => !binding.members.some((m) => m.assigneeId === g.id))!;
  const bindingHolds = (now: GroundTruth, id: string) =>
    now.bindings.some((b) => b.resourceSetId === binding.resourceSetId && b.roleId === binding.roleId && b.members.some((m) => m.assigneeId === id));
  return [
    {
      name: "group membership (user)",
      type: "group", id: group.id, slug: "member", principal: { type: "user", id: outsider.id },
      inOkta: (now) => now.groups.find((g) => g.id === group.id)!.memberIds.includes(outsider.id),
    },
    {
      name: "app assignment (user)",
      type: "app", id: app.id, slug: "access", principal: { type: "user", id: appOutsider.id },
      inOkta: (now) => now.apps.find((a) => a.id === app.id)!.users.some((u) => u.userId === appOutsider.id && u.scope === "USER"),
    },
    {
      name: "app assignment (group)",
      type: "app", id: app.id, slug: "access", principal: { type: "group", id: unassignedGroup.id },
      inOkta: (now) => now.apps.find((a) => a.id === app.id)!.groups.some((g) => g.groupId === unassignedGroup.id),
    },
    {
      name: "standard role (user)",
      type: "role", id: "REPORT_ADMIN", slug: "assigned", principal: { type: "user", id: roleUser.id },
      inOkta: (now) => now.roleAssignments.some((r) => r.type === "REPORT_ADMIN" && r.assigneeType === "USER" && r.assigneeId === roleUser.id),
    },
    {
      name: "standard role (group)",
      type: "role", id: "HELP_DESK_ADMIN", slug: "assigned", principal: { type: "group", id: roleGroup.id },
      inOkta: (now) => now.roleAssignments.some((r) => r.type === "HELP_DESK_ADMIN" && r.assigneeType === "GROUP" && r.assigneeId === roleGroup.id),
    },
    {
      name: "custom role through a resource-set binding (user)",
      type: "resourceset-binding", id: `${binding.resourceSetId}:${binding.roleId}`, slug: "member", principal: { type: "user", id: bindingUser.id },
      inOkta: (now) => bindingHolds(now, bindingUser.id),
    },
    {
      name: "custom role through a resource-set binding (group)",
      type: "resourceset-binding", id: `${binding.resourceSetId}:${binding.roleId}`, slug: "member", principal: { type: "group", id: bindingGroup.id },
      inOkta: (now) => bindingHolds(now, bindingGroup.id),
    },
  ];
}

const annotationBytes = (annotations: readonly Any[]) => annotations.map((a) => `${a.typeUrl}=${Buffer.from(a.value).toString("hex")}`);

describe("Grant and Revoke on every path", () => {
  const names = [
    "group membership (user)",
    "app assignment (user)",
    "app assignment (group)",
    "standard role (user)",
    "standard role (group)",
    "custom role through a resource-set binding (user)",
    "custom role through a resource-set binding (group)",
  ];
  it.each(names)("%s: grant, list, re-grant, revoke, list, re-revoke", async (name) => {
    const path = paths().find((p) => p.name === name)!;
    const entitlement = await connector.entitlement(path.type, path.id, path.slug);
    const resource = entitlement.resource!;
    const principal = await connector.resource(path.principal.type, path.principal.id);
    const grantId = `${entitlement.id}:${path.principal.type}:${path.principal.id}`;
    expect((await connector.grants(resource)).map((g) => g.id), path.name).not.toContain(grantId);
    expect(path.inOkta(await fake.groundTruth())).toBe(false);

    const granted = await connector.clients.grantManager.grant({ entitlement, principal });
    expect(granted.grants.map((g) => g.id)).toEqual([grantId]);
    expect(granted.annotations.some((a) => anyIs(a, GrantAlreadyExistsSchema))).toBe(false);
    expect(path.inOkta(await fake.groundTruth())).toBe(true);

    const listed = (await connector.grants(resource)).filter((g) => g.id === grantId);
    expect(listed).toHaveLength(1);
    expect(annotationBytes(listed[0]!.annotations)).toEqual(annotationBytes(granted.grants[0]!.annotations));
    expect(listed[0]!.principal?.id).toEqual(granted.grants[0]!.principal?.id);
    expect(listed[0]!.entitlement?.id).toBe(entitlement.id);

    const again = await connector.clients.grantManager.grant({ entitlement, principal });
    expect(again.annotations.some((a) => anyIs(a, GrantAlreadyExistsSchema))).toBe(true);
    expect(again.grants.map((g) => g.id)).toEqual([grantId]);

    // As baton's engine sends it: the stored grant with its entitlement and principal hydrated.
    const stored = { ...listed[0]!, entitlement, principal };
    const revoked = await connector.clients.grantManager.revoke({ grant: stored });
    expect(revoked.annotations.some((a) => anyIs(a, GrantAlreadyRevokedSchema))).toBe(false);
    expect((await connector.grants(resource)).map((g) => g.id)).not.toContain(grantId);
    expect(path.inOkta(await fake.groundTruth())).toBe(false);

    const revokedAgain = await connector.clients.grantManager.revoke({ grant: stored });
    expect(revokedAgain.annotations.some((a) => anyIs(a, GrantAlreadyRevokedSchema))).toBe(true);

    const audit = await connector.auditOf((e) => e.entitlementId === entitlement.id && e.principal === `${path.principal.type}:${path.principal.id}`, 4);
    expect(audit.map((e) => [e.operation, e.outcome])).toEqual([
      ["grant", "granted"],
      ["grant", "already_exists"],
      ["revoke", "revoked"],
      ["revoke", "already_revoked"],
    ]);
    // The calls that changed Okta carry Okta's request id, which Okta support asks for.
    for (const entry of [audit[0]!, audit[2]!]) {
      const write = entry.oktaCalls.find((c) => c.method !== "GET");
      expect(write?.requestId).toMatch(/^\w{10,}$/);
      expect(entry.oktaRequestId).toBe(write?.requestId);
    }
  });
});
