import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Capability } from "../../gen/c1/connector/v2/connector_pb.js";
import { startFakeOkta, type AdminLevel, type FakeOkta, type GroundTruth } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { collectSync, startConnector } from "../support/sync-helpers.js";
import { expectSyncToMatch, grantCountsByKind } from "./support/compare-sync.js";
import { expectedSync } from "./support/expected-sync.js";

/**
 * Issue 4's "Done when": the full sync of a 10,000-user org reproduces the ground truth for each of
 * the three admin levels. Without the Super Administrator role, the role types are still listed, with
 * no resources and a description naming the missing role, and GetMetadata advertises no SYNC for them.
 * One simulator serves the three syncs; each level syncs exactly once.
 */
// service-app too: its principals matter as role holders, so it needs the roles read the others do.
const ROLE_TYPES = ["service-app", "role", "custom-role", "resource-set", "resourceset-binding"];

let fake: FakeOkta;
let truth: GroundTruth;

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 4, users: 10_000 });
  truth = await fake.groundTruth();
}, 120_000);

afterAll(async () => {
  await fake?.close();
});

async function syncAt(level: AdminLevel) {
  const connector = await startConnector(fake, { token: fake.tokens[level], flags: { syncCustomRoles: true } });
  try {
    // Every level that can list users passes Validate (no_role cannot: token-levels.test.ts).
    await connector.clients.connector.validate({});
    const started = Date.now();
    const synced = await collectSync(connector.clients);
    const seconds = (Date.now() - started) / 1000;
    const { metadata } = await connector.clients.connector.getMetadata({});
    console.log(`10k sync as ${level}: ${seconds.toFixed(1)} s, ${synced.progress.calls} RPCs, ${synced.resources.length} resources, ${synced.grants.length} grants`, grantCountsByKind(synced));
    return { synced, metadata };
  } finally {
    await connector.stop();
  }
}

describe("full sync of a 10,000-user org at each token level", () => {
  it("super_admin: everything, roles and custom roles included", async () => {
    expect(truth.users.length).toBe(10_000);
    const { synced, metadata } = await syncAt("super_admin");
    expectSyncToMatch(synced, expectedSync(truth, { syncCustomRoles: true }));
    expect(synced.grants.length).toBeGreaterThan(100_000);
    const syncable = (metadata?.capabilities?.resourceTypeCapabilities ?? []).filter((c) => c.capabilities.includes(Capability.SYNC)).map((c) => c.resourceType?.id);
    expect(syncable.sort()).toEqual(["app", "custom-role", "group", "group-rule", "resource-set", "resourceset-binding", "role", "service-app", "user"]);
  }, 300_000);

  for (const level of ["read_only", "app_group_admin"] as const) {
    it(`${level}: users, groups and apps; role types listed empty, naming the missing Super Administrator role`, async () => {
      const { synced, metadata } = await syncAt(level);
      expectSyncToMatch(synced, expectedSync(truth, { syncCustomRoles: true, rolesReadable: false }));
      expect(synced.resources.filter((r) => ROLE_TYPES.includes(r.id?.resourceType ?? ""))).toEqual([]);

      for (const id of ROLE_TYPES) {
        const type = synced.resourceTypes.find((t) => t.id === id);
        expect(type?.description, id).toMatch(/Super Administrator/);
      }
      for (const id of ["user", "group", "app"]) expect(synced.resourceTypes.find((t) => t.id === id)?.description).not.toMatch(/Not synced/);

      const capabilities = new Map((metadata?.capabilities?.resourceTypeCapabilities ?? []).map((c) => [c.resourceType?.id, c.capabilities]));
      for (const id of ROLE_TYPES) expect(capabilities.get(id), id).not.toContain(Capability.SYNC);
      for (const id of ["user", "group", "app"]) expect(capabilities.get(id), id).toContain(Capability.SYNC);
    }, 300_000);
  }
});
