import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOkta, type FakeOkta, type GroundTruth } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { syncOnce } from "../support/sync-helpers.js";
import { expectSyncToMatch } from "./support/compare-sync.js";
import { expectedSync } from "./support/expected-sync.js";

/**
 * --sync-devices on an org with 450 devices (three pages of 200): the whole sync must match the ground
 * truth with and without the flag, a device's users are its grants, and the devices are read in
 * ⌈devices / 200⌉ calls, with their users embedded.
 */
let fake: FakeOkta;
let truth: GroundTruth;

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 15, users: 200, devices: 450 });
  truth = await fake.groundTruth();
}, 120_000);

afterAll(async () => {
  await fake?.close();
});

/** Device listings since the last resetStats, the `limit=1` probe apart. */
const deviceCalls = (since: number) => fake.requestLog().slice(since).filter((e) => /^\/api\/v1\/devices(\?|$)/.test(e.path) && !/[?&]limit=1(&|$)/.test(e.path)).length;
const deviceProbes = (since: number) => fake.requestLog().slice(since).filter((e) => /^\/api\/v1\/devices\?(.*&)?limit=1(&|$)/.test(e.path)).length;

describe("--sync-devices", { timeout: 120_000 }, () => {
  it("adds the device type, each device with its ManagedDeviceTrait, and one grant per device user, in three listing calls", async () => {
    const used = truth.devices.filter((d) => d.userIds.length > 0);
    expect(used.length).toBeGreaterThan(0);
    expect(truth.devices.some((d) => d.userIds.length === 0)).toBe(true);
    fake.resetStats();
    const since = fake.requestLog().length;
    const synced = await syncOnce(fake, { token: fake.tokens.super_admin, flags: { syncDevices: true } });
    expectSyncToMatch(synced, expectedSync(truth, { syncDevices: true }));
    expect(synced.resources.filter((r) => r.id?.resourceType === "device").length).toBe(450);
    expect(deviceCalls(since)).toBe(3);
    expect(deviceProbes(since)).toBe(1);
    expect(fake.stats().routes["GET /api/v1/devices/{deviceId}/users"]?.calls ?? 0).toBe(0);
  });

  it("grants no device to a DEPROVISIONED user unless --sync-deprovisioned-users syncs that user", async () => {
    const deprovisioned = new Set(truth.users.filter((u) => u.status === "DEPROVISIONED").map((u) => u.id));
    const theirs = truth.devices.flatMap((d) => d.userIds.filter((id) => deprovisioned.has(id)).map((id) => `device:${d.id}:user:user:${id}`));
    expect(theirs.length).toBeGreaterThan(0);
    const synced = await syncOnce(fake, { token: fake.tokens.super_admin, flags: { syncDevices: true, syncDeprovisionedUsers: true } });
    expectSyncToMatch(synced, expectedSync(truth, { syncDevices: true, syncDeprovisionedUsers: true }));
    const ids = new Set(synced.grants.map((g) => g.id));
    expect(theirs.filter((id) => !ids.has(id))).toEqual([]);
  });

  it("is readable by a read-only admin (okta.devices.read is a read)", async () => {
    const synced = await syncOnce(fake, { token: fake.tokens.read_only, flags: { syncDevices: true } });
    expectSyncToMatch(synced, expectedSync(truth, { syncDevices: true, rolesReadable: false }));
  });

  it("an OAuth app without okta.devices.read: the device type is listed as not synced, and the rest of the sync is whole", async () => {
    const keyDir = mkdtempSync(join(tmpdir(), "okta-connector-devices-"));
    try {
      const client = fake.oauthClients.super_admin;
      const keyFile = join(keyDir, "key.pem");
      writeFileSync(keyFile, client.privateKeyPem, { mode: 0o600 });
      // Asking for the read scopes without okta.devices.read gives a token Okta refuses device listings with.
      const scopes = "okta.users.read,okta.groups.read,okta.apps.read,okta.roles.read";
      const synced = await syncOnce(fake, { args: ["--okta-client-id", client.clientId, "--okta-private-key-file", keyFile, "--okta-scopes", scopes], flags: { syncDevices: true } });
      const withoutDevices = expectedSync(truth, {});
      expectSyncToMatch(synced, { ...withoutDevices, resourceTypeIds: [...withoutDevices.resourceTypeIds, "device"] });
      const deviceType = synced.resourceTypes.find((t) => t.id === "device");
      expect(deviceType?.description).toMatch(/^Not synced with this credential: .*okta\.devices\.read/);
    } finally {
      rmSync(keyDir, { recursive: true, force: true });
    }
  });

  it("without the flag: no device type, resource, entitlement or grant, and no device call", async () => {
    const since = fake.requestLog().length;
    const synced = await syncOnce(fake, { token: fake.tokens.super_admin });
    expectSyncToMatch(synced, expectedSync(truth, {}));
    expect(synced.resourceTypes.map((t) => t.id)).not.toContain("device");
    expect(synced.grants.filter((g) => g.entitlementId.startsWith("device:"))).toEqual([]);
    expect(deviceCalls(since) + deviceProbes(since)).toBe(0);
  });
});
