import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectorService } from "../../gen/c1/connector/v2/connector_pb.js";
import { EntitlementsService } from "../../gen/c1/connector/v2/entitlement_pb.js";
import { GrantsService } from "../../gen/c1/connector/v2/grant_pb.js";
import { ResourcesService, ResourceTypesService } from "../../gen/c1/connector/v2/resource_pb.js";
import { startFakeOkta, type FakeOkta, type GroundTruth } from "../fake-okta/index.js";
import { createGrpcJsClient, unary } from "../support/grpc-client.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { collectSync, fetchGroundTruth, type CollectedSync, type RunningConnector, startConnector } from "../support/sync-helpers.js";
import { expectSyncToMatch, grantCountsByKind } from "./support/compare-sync.js";
import { expectedSync } from "./support/expected-sync.js";

/**
 * A full sync of a 1,000-user org with a super admin token and --sync-custom-roles reproduces the
 * ground truth exactly, read from the simulator's SDK-independent /__sim/ground-truth endpoint.
 */
let fake: FakeOkta;
let truth: GroundTruth;
let connector: RunningConnector;
let synced: CollectedSync;

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 11, users: 1_000 });
  // Roles Okta added after baton-okta's list of ten must still be synced (issue 4 §6).
  const initial = await fake.groundTruth();
  const user = initial.users.find((u) => u.status === "ACTIVE" && !initial.roleAssignments.some((a) => a.assigneeId === u.id))!;
  const group = initial.groups.find((g) => g.type === "OKTA_GROUP" && g.memberIds.length > 0)!;
  await assignRole(`/api/v1/users/${user.id}/roles`, "WORKFLOWS_ADMIN");
  await assignRole(`/api/v1/groups/${group.id}/roles`, "ACCESS_REQUESTS_ADMIN");
  truth = await fetchGroundTruth(fake);
  connector = await startConnector(fake, { token: fake.tokens.super_admin, flags: { syncCustomRoles: true } });
  synced = await collectSync(connector.clients);
}, 120_000);

/** Assigns a standard admin role through the simulated org's API, as an Okta admin would. */
async function assignRole(path: string, type: string): Promise<void> {
  const response = await fetch(`${fake.url}${path}`, {
    method: "POST",
    headers: { Authorization: `SSWS ${fake.tokens.super_admin}`, "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ type }),
  });
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
}

afterAll(async () => {
  await connector?.stop();
  await fake?.close();
});

describe("full sync of a 1,000-user org (super admin, --sync-custom-roles)", () => {
  it("reads the ground truth over HTTP, identical to the in-process copy", async () => {
    expect(truth.format).toBe("fake-okta-ground-truth/1");
    expect(truth).toEqual(await fake.groundTruth());
    // The comparison below is only meaningful if the org exercises every kind of data.
    expect(truth.users.some((u) => u.status === "DEPROVISIONED")).toBe(true);
    expect(truth.users.some((u) => u.secondEmail !== null)).toBe(true);
    expect(truth.apps.some((a) => a.users.some((u) => u.scope === "GROUP"))).toBe(true);
    expect(truth.roleAssignments.some((a) => a.assigneeType === "GROUP")).toBe(true);
    expect(truth.bindings.length).toBeGreaterThan(0);
    expect(truth.roleAssignments.map((a) => a.type)).toEqual(expect.arrayContaining(["WORKFLOWS_ADMIN", "ACCESS_REQUESTS_ADMIN"]));
  });

  it("returns every user, group, app, role, custom role, resource set and binding, and every grant, with no duplicates", () => {
    const expected = expectedSync(truth, { syncCustomRoles: true });
    expectSyncToMatch(synced, expected);
    expect(synced.grants.length).toBe(expected.grants.size);
    console.log(`full sync, 1,000 users: ${synced.resources.length} resources, ${synced.entitlements.length} entitlements, ${synced.grants.length} grants`, grantCountsByKind(synced));
  });

  it("lists role types found in assignments beyond baton-okta's ten, with Okta's labels and their grants", () => {
    const roles = synced.resources.filter((r) => r.id?.resourceType === "role");
    expect(roles.length).toBe(12);
    expect(roles.find((r) => r.id?.resource === "WORKFLOWS_ADMIN")?.displayName).toBe("Workflows Administrator");
    expect(roles.find((r) => r.id?.resource === "ACCESS_REQUESTS_ADMIN")?.displayName).toBe("Access Requests Administrator");
    const granted = synced.grants.filter((g) => g.entitlementId === "role:WORKFLOWS_ADMIN:assigned" || g.entitlementId === "role:ACCESS_REQUESTS_ADMIN:assigned");
    expect(granted.map((g) => g.principalType).sort()).toEqual(["group", "user"]);
  });

  it("attributes group-derived app access to the group, never as a direct user grant", () => {
    const appGrants = synced.grants.filter((g) => g.entitlementId.startsWith("app:"));
    const groupOnly = new Set(truth.apps.flatMap((a) => a.users.filter((u) => u.scope === "GROUP").map((u) => `app:${a.id}:access:user:${u.userId}`)));
    expect(groupOnly.size).toBeGreaterThan(100);
    expect(appGrants.filter((g) => groupOnly.has(g.id))).toEqual([]);
    const viaGroup = appGrants.filter((g) => g.principalType === "group");
    expect(viaGroup.length).toBe(truth.apps.reduce((n, a) => n + a.groups.length, 0));
    expect(viaGroup.every((g) => g.expandsTo?.length === 1 && g.expandsTo[0] === `group:${g.principalId}:member`)).toBe(true);
  });

  it("leaves DEPROVISIONED users, and their group memberships, out by default", () => {
    const deprovisioned = new Set(truth.users.filter((u) => u.status === "DEPROVISIONED").map((u) => u.id));
    expect(synced.resources.filter((r) => deprovisioned.has(r.id?.resource ?? ""))).toEqual([]);
    expect(synced.grants.filter((g) => g.principalType === "user" && deprovisioned.has(g.principalId)).map((g) => g.id)).toEqual([]);
  });
});

describe("the same connector through grpc-js, an independent gRPC client", () => {
  it("answers Validate with a semver sdk_version, and ListStaticEntitlements with an empty list", async () => {
    const client = createGrpcJsClient(ConnectorService, connector.process.address);
    const entitlements = createGrpcJsClient(EntitlementsService, connector.process.address);
    try {
      const validated = await unary(client, ConnectorService.method.validate, {});
      expect(validated.sdkVersion).toMatch(/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
      const statics = await unary(entitlements, EntitlementsService.method.listStaticEntitlements, { resourceTypeId: "group" });
      expect(statics.list).toEqual([]);
      expect(statics.nextPageToken).toBe("");
    } finally {
      client.close();
      entitlements.close();
    }
  });

  it("pages the groups and one app's grants exactly as the reference client saw them", async () => {
    const types = createGrpcJsClient(ResourceTypesService, connector.process.address);
    const resources = createGrpcJsClient(ResourcesService, connector.process.address);
    const grants = createGrpcJsClient(GrantsService, connector.process.address);
    try {
      const typeList = await unary(types, ResourceTypesService.method.listResourceTypes, {});
      expect(typeList.list.map((t) => t.id).sort()).toEqual(synced.resourceTypes.map((t) => t.id).sort());

      const groupIds: string[] = [];
      let token = "";
      do {
        const page = await unary(resources, ResourcesService.method.listResources, { resourceTypeId: "group", pageToken: token });
        groupIds.push(...page.list.map((r) => r.id!.resource));
        token = page.nextPageToken;
      } while (token !== "");
      expect(groupIds.sort()).toEqual(truth.groups.map((g) => g.id).sort());

      // The app with the most users: its grants span more than one Okta page of app users.
      const app = [...truth.apps].sort((a, b) => b.users.length - a.users.length)[0]!;
      const appResource = synced.resources.find((r) => r.id?.resourceType === "app" && r.id.resource === app.id)!;
      const grantIds: string[] = [];
      token = "";
      do {
        const page = await unary(grants, GrantsService.method.listGrants, { resource: appResource, pageToken: token });
        grantIds.push(...page.list.map((g) => g.id));
        token = page.nextPageToken;
      } while (token !== "");
      const expected = synced.grants.filter((g) => g.entitlementId === `app:${app.id}:access`).map((g) => g.id);
      expect(expected.length).toBeGreaterThan(0);
      expect(grantIds.sort()).toEqual(expected.sort());
    } finally {
      types.close();
      resources.close();
      grants.close();
    }
  });
});
