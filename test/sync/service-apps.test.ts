import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOkta, type FakeOkta, type GroundTruth } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { syncOnce } from "../support/sync-helpers.js";
import { expectSyncToMatch } from "./support/compare-sync.js";
import { expectedSync } from "./support/expected-sync.js";

/**
 * OAuth API Services apps as principals (`service-app`), against the ground truth at each admin
 * level: every service app is listed, holding a role or not, and never a web OIDC app; their standard
 * and custom roles are grants on the role types; each costs one `/oauth2/v1/clients/{id}/roles` read.
 * Without the roles read (read-only and app/group admins) the type lists nothing and says why.
 */
let fake: FakeOkta;
let truth: GroundTruth;

beforeAll(async () => {
  await buildCliIfStale();
  // Six service apps: the four-app cycle of holdings (two roles, one, none, a custom role) and two more.
  fake = await startFakeOkta({ seed: 17, users: 150, serviceApps: 6 });
  truth = await fake.groundTruth();
}, 120_000);

afterAll(async () => {
  await fake?.close();
});

const CLIENT_ROLES = "GET /oauth2/v1/clients/{clientId}/roles";
const serviceApps = () => truth.apps.filter((a) => a.applicationType === "service");
const clientRoleReads = (since: number) => fake.requestLog().slice(since).filter((e) => e.method === "GET" && e.path.startsWith("/oauth2/v1/clients/"));

describe("service apps as principals", { timeout: 120_000 }, () => {
  it("super admin: every service app, its standard-role grants, and one roles read per service app", async () => {
    expect(serviceApps()).toHaveLength(6);
    expect(truth.apps.some((a) => a.applicationType === "web")).toBe(true);
    const since = fake.requestLog().length;
    const synced = await syncOnce(fake, { token: fake.tokens.super_admin });
    expectSyncToMatch(synced, expectedSync(truth, {}));

    const listed = synced.resources.filter((r) => r.id?.resourceType === "service-app").map((r) => r.id!.resource).sort();
    expect(listed).toEqual(serviceApps().map((a) => a.clientId!).sort());
    const holding = new Set(synced.grants.filter((g) => g.principalType === "service-app").map((g) => g.principalId));
    // One listed service app holds nothing: it is a principal all the same.
    expect(listed.filter((id) => !holding.has(id)).length).toBeGreaterThan(0);
    expect(synced.grants.filter((g) => g.principalType === "service-app").map((g) => g.id)).toContain(
      `role:SUPER_ADMIN:assigned:service-app:${truth.roleAssignments.find((a) => a.assigneeType === "CLIENT" && a.type === "SUPER_ADMIN")!.assigneeId}`,
    );

    // Okta has no bulk listing of the clients holding roles: one read per service app, none for any other app.
    const reads = clientRoleReads(since).map((e) => e.path.split("/")[4]).sort();
    expect(reads).toEqual(serviceApps().map((a) => a.clientId!).sort());
  });

  it("super admin with --sync-custom-roles: custom roles held by service apps are custom-role and binding grants", async () => {
    const synced = await syncOnce(fake, { token: fake.tokens.super_admin, flags: { syncCustomRoles: true } });
    expectSyncToMatch(synced, expectedSync(truth, { syncCustomRoles: true }));
    const customHolders = truth.bindings.flatMap((b) => b.members.filter((m) => m.assigneeType === "CLIENT").map((m) => ({ b, m })));
    expect(customHolders.length).toBeGreaterThan(0);
    const ids = new Set(synced.grants.map((g) => g.id));
    for (const { b, m } of customHolders) {
      expect(ids.has(`custom-role:${b.roleId}:assigned:service-app:${m.assigneeId}`)).toBe(true);
      expect(ids.has(`resourceset-binding:${b.resourceSetId}:${b.roleId}:member:service-app:${m.assigneeId}`)).toBe(true);
    }
  });

  for (const level of ["read_only", "app_group_admin"] as const) {
    it(`${level}: no service app and no client roles read; the type says it needs the Super Administrator role, and the sync is whole`, async () => {
      const since = fake.requestLog().length;
      const synced = await syncOnce(fake, { token: fake.tokens[level], flags: { syncCustomRoles: true } });
      expectSyncToMatch(synced, expectedSync(truth, { syncCustomRoles: true, rolesReadable: false }));
      expect(synced.resources.filter((r) => r.id?.resourceType === "service-app")).toEqual([]);
      expect(synced.resourceTypes.find((t) => t.id === "service-app")?.description).toMatch(/Super Administrator/);
      expect(clientRoleReads(since)).toEqual([]);
    });
  }
});

describe("a role a service app gains between syncs", { timeout: 120_000 }, () => {
  it("shows up in the next sync as a grant to that service app", async () => {
    const app = serviceApps().find((a) => !truth.roleAssignments.some((r) => r.assigneeId === a.clientId) && !truth.bindings.some((b) => b.members.some((m) => m.assigneeId === a.clientId)))!;
    const res = await fetch(new URL(`/oauth2/v1/clients/${app.clientId}/roles`, fake.url), {
      method: "POST",
      headers: { Authorization: `SSWS ${fake.tokens.super_admin}`, "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ type: "API_ACCESS_MANAGEMENT_ADMIN" }),
    });
    expect(res.status).toBe(200);
    const now = await fake.groundTruth();
    const synced = await syncOnce(fake, { token: fake.tokens.super_admin });
    expectSyncToMatch(synced, expectedSync(now, {}));
    expect(synced.grants.map((g) => g.id)).toContain(`role:API_ACCESS_MANAGEMENT_ADMIN:assigned:service-app:${app.clientId}`);
  });
});
