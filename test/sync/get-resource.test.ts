import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Resource, ResourceGetterService, ResourceSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import { createConnectorTransport } from "../../src/engine/connector-client.js";
import { startFakeOkta, type FakeOkta, type GroundTruth } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { collectSync, startConnector, type CollectedSync, type RunningConnector, type SyncFlags } from "../support/sync-helpers.js";
import { expectSyncToMatch } from "./support/compare-sync.js";
import { expectedSync } from "./support/expected-sync.js";

/**
 * GetResource, the read baton-sdk's targeted sync stores in place of a listing (events-and-posture.md
 * §2), for every type, several flag sets and two admin levels: each listed resource (a sample of at
 * least 25 per type where there are more) answers byte for byte what the listing held, in at most two
 * Okta calls; what the flags leave out answers NOT_FOUND saying why; bad ids answer INVALID_ARGUMENT
 * naming the field; a type the credential cannot read answers PERMISSION_DENIED naming what is missing.
 */
let fake: FakeOkta;
let truth: GroundTruth;

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 23, users: 160, devices: 45, apiTokens: 30, customRoles: 5, resourceSets: 4, serviceApps: 6 });
  truth = await fake.groundTruth();
}, 120_000);

afterAll(async () => {
  await fake?.close();
});

const OPT_INS: SyncFlags = { syncCustomRoles: true, syncDevices: true, syncSecrets: true };
const ALL_TYPES = ["user", "group", "app", "role", "custom-role", "resource-set", "resourceset-binding", "device", "api-token", "service-app", "group-rule"];
/** The expected-sync options of `flags` (--skip-inactive-apps is syncInactiveApps: false there). */
function expectedOf(flags: SyncFlags) {
  const { skipInactiveApps, syncInactiveAppsFalse: _unused, ...rest } = flags;
  return { ...rest, ...(skipInactiveApps ? { syncInactiveApps: false } : {}) };
}

/** Beyond this many of a type, a spread sample of SAMPLE is read back. */
const SAMPLE = 25;

interface Session {
  readonly connector: RunningConnector;
  readonly getter: Client<typeof ResourceGetterService>;
  readonly synced: CollectedSync;
}

async function openSession(token: string, flags: SyncFlags): Promise<Session> {
  const connector = await startConnector(fake, { token, flags });
  const synced = await collectSync(connector.clients);
  return { connector, synced, getter: getterOf(connector) };
}

function getterOf(connector: RunningConnector): Client<typeof ResourceGetterService> {
  return createClient(ResourceGetterService, createConnectorTransport({ address: connector.process.address }));
}

/** The answer to GetResource, or the ConnectError, and the Okta requests it made. */
async function get(getter: Client<typeof ResourceGetterService>, resourceType: string, resource: string) {
  const since = fake.requestLog().length;
  const answer = await getter.getResource({ resourceId: { resourceType, resource } }).then(
    (r) => r.resource,
    (e: unknown) => ConnectError.from(e),
  );
  return { answer, calls: fake.requestLog().slice(since).map((e) => `${e.method} ${e.path}`) };
}

function sampleOf<T>(items: readonly T[]): T[] {
  if (items.length <= SAMPLE) return [...items];
  const step = items.length / SAMPLE;
  return Array.from({ length: SAMPLE }, (_, i) => items[Math.floor(i * step)]!);
}

/** Reads back a sample of every listed type; returns the most Okta calls one GetResource made, per type. */
async function expectEveryListedResourceBack(session: Session): Promise<Record<string, number>> {
  const byType = new Map<string, Resource[]>();
  for (const r of session.synced.resources) byType.set(r.id!.resourceType, [...(byType.get(r.id!.resourceType) ?? []), r]);
  const most: Record<string, number> = {};
  const mismatches: string[] = [];
  for (const [type, listed] of byType) {
    for (const want of sampleOf(listed)) {
      const { answer, calls } = await get(session.getter, type, want.id!.resource);
      if (answer instanceof ConnectError) {
        mismatches.push(`${type}/${want.id!.resource}: ${answer.code} ${answer.rawMessage}`);
        continue;
      }
      if (Buffer.compare(Buffer.from(toBinary(ResourceSchema, answer!)), Buffer.from(toBinary(ResourceSchema, want))) !== 0) {
        expect(answer, `${type}/${want.id!.resource}`).toEqual(want);
        mismatches.push(`${type}/${want.id!.resource}: equal messages, different bytes`);
      }
      most[type] = Math.max(most[type] ?? 0, calls.length);
      expect(calls.length, `${type}/${want.id!.resource}: ${calls.join(", ")}`).toBeLessThanOrEqual(2);
    }
  }
  expect(mismatches).toEqual([]);
  return most;
}

/** Every ground-truth id of `type` that the listing left out answers NOT_FOUND saying why, at no more than two calls. */
async function expectLeftOutNotFound(session: Session, type: string, ids: readonly string[], why: RegExp): Promise<number> {
  const listed = new Set(session.synced.resources.filter((r) => r.id!.resourceType === type).map((r) => r.id!.resource));
  const missing = ids.filter((id) => !listed.has(id));
  for (const id of sampleOf(missing)) {
    const { answer, calls } = await get(session.getter, type, id);
    expect(answer, `${type}/${id}`).toBeInstanceOf(ConnectError);
    expect((answer as ConnectError).code, `${type}/${id}`).toBe(Code.NotFound);
    expect((answer as ConnectError).rawMessage).toMatch(/^resource_id\.resource: /);
    expect((answer as ConnectError).rawMessage).toMatch(why);
    expect(calls.length).toBeLessThanOrEqual(2);
  }
  return missing.length;
}

describe("GetResource answers what the listing holds", { timeout: 300_000 }, () => {
  it("super admin, every opt-in: every type, byte for byte, in at most two Okta calls; DEPROVISIONED users NOT_FOUND", async () => {
    const session = await openSession(fake.tokens.super_admin, OPT_INS);
    try {
      expectSyncToMatch(session.synced, expectedSync(truth, OPT_INS));
      expect(new Set(session.synced.resources.map((r) => r.id!.resourceType))).toEqual(new Set(ALL_TYPES));
      const most = await expectEveryListedResourceBack(session);
      // Calls per GetResource, per type: the figures the report quotes.
      expect(most).toEqual({
        user: 1, group: 1, app: 1, role: 0, "custom-role": 1, "resource-set": 1, "resourceset-binding": 2,
        device: 2, "api-token": 1, "service-app": 1, "group-rule": 1,
      });
      const left = await expectLeftOutNotFound(session, "user", truth.users.map((u) => u.id), /DEPROVISIONED and --sync-deprovisioned-users is off/);
      expect(left).toBeGreaterThan(0);
    } finally {
      await session.connector.stop();
    }
  });

  it("super admin with --sync-deprovisioned-users, --skip-app-groups, --skip-inactive-apps and --sync-mfa-status: listed ones back (a user with its factors, in two calls), left-out groups and apps NOT_FOUND", async () => {
    const flags: SyncFlags = { ...OPT_INS, syncDeprovisionedUsers: true, skipAppGroups: true, skipInactiveApps: true, syncMfaStatus: true };
    const session = await openSession(fake.tokens.super_admin, flags);
    try {
      expectSyncToMatch(session.synced, expectedSync(truth, expectedOf(flags)));
      const most = await expectEveryListedResourceBack(session);
      expect(most["user"]).toBe(2);
      expect(await expectLeftOutNotFound(session, "user", truth.users.map((u) => u.id), /never/)).toBe(0);
      expect(await expectLeftOutNotFound(session, "group", truth.groups.map((g) => g.id), /APP_GROUP and --skip-app-groups is on/)).toBeGreaterThan(0);
      expect(await expectLeftOutNotFound(session, "app", truth.apps.map((a) => a.id), /INACTIVE and --skip-inactive-apps is on/)).toBeGreaterThan(0);
    } finally {
      await session.connector.stop();
    }
  });

  it("--filter-email-domains: kept users back, filtered ones NOT_FOUND naming the flag", async () => {
    const domain = truth.users.find((u) => u.email)!.email!.split("@")[1]!;
    const flags: SyncFlags = { filterEmailDomains: [domain], syncDevices: true };
    const session = await openSession(fake.tokens.super_admin, flags);
    try {
      expectSyncToMatch(session.synced, expectedSync(truth, expectedOf(flags)));
      await expectEveryListedResourceBack(session);
      const ids = truth.users.filter((u) => u.status !== "DEPROVISIONED").map((u) => u.id);
      expect(await expectLeftOutNotFound(session, "user", ids, /--filter-email-domains/)).toBeGreaterThan(0);
    } finally {
      await session.connector.stop();
    }
  });

  it("read-only admin: readable types back; role types and service apps PERMISSION_DENIED naming what is missing", async () => {
    const session = await openSession(fake.tokens.read_only, OPT_INS);
    try {
      expectSyncToMatch(session.synced, expectedSync(truth, { ...OPT_INS, rolesReadable: false }));
      await expectEveryListedResourceBack(session);
      const denied: [string, string][] = [
        ["role", "SUPER_ADMIN"],
        ["custom-role", truth.customRoles[0]!.id],
        ["resource-set", truth.resourceSets[0]!.id],
        ["resourceset-binding", `${truth.bindings[0]!.resourceSetId}:${truth.bindings[0]!.roleId}`],
        ["service-app", truth.roleAssignments.find((a) => a.assigneeType === "CLIENT")!.assigneeId],
      ];
      for (const [type, id] of denied) {
        const { answer } = await get(session.getter, type, id);
        expect(answer, type).toBeInstanceOf(ConnectError);
        expect((answer as ConnectError).code, type).toBe(Code.PermissionDenied);
        expect((answer as ConnectError).rawMessage, type).toMatch(new RegExp(`^resource_id\\.resource: ${type} resources cannot be read with this credential: .*(Super Administrator|SUPER_ADMIN|403)`));
      }
    } finally {
      await session.connector.stop();
    }
  });

  it("app and group-membership admin: readable types back; API tokens and role types PERMISSION_DENIED naming what is missing", async () => {
    const session = await openSession(fake.tokens.app_group_admin, OPT_INS);
    try {
      expectSyncToMatch(session.synced, expectedSync(truth, { ...OPT_INS, rolesReadable: false, apiTokensReadable: false }));
      await expectEveryListedResourceBack(session);
      for (const [type, id] of [["api-token", truth.apiTokens[0]!.id], ["role", "SUPER_ADMIN"], ["custom-role", truth.customRoles[0]!.id]] as const) {
        const { answer } = await get(session.getter, type, id);
        expect((answer as ConnectError).code, type).toBe(Code.PermissionDenied);
        expect((answer as ConnectError).rawMessage, type).toMatch(new RegExp(`^resource_id\\.resource: ${type} resources cannot be read with this credential: `));
      }
    } finally {
      await session.connector.stop();
    }
  });
});

describe("GetResource of a type an OAuth scope is missing for", { timeout: 120_000 }, () => {
  it("a device without okta.devices.read is PERMISSION_DENIED naming the scope, which a probe after Okta's 403 finds", async () => {
    const keyDir = mkdtempSync(join(tmpdir(), "okta-connector-get-resource-"));
    try {
      const client = fake.oauthClients.super_admin;
      const keyFile = join(keyDir, "key.pem");
      writeFileSync(keyFile, client.privateKeyPem, { mode: 0o600 });
      const scopes = "okta.users.read,okta.groups.read,okta.apps.read,okta.roles.read";
      const connector = await startConnector(fake, { args: ["--okta-client-id", client.clientId, "--okta-private-key-file", keyFile, "--okta-scopes", scopes], flags: { syncDevices: true } });
      try {
        const { answer, calls } = await get(getterOf(connector), "device", truth.devices[0]!.id);
        expect((answer as ConnectError).code).toBe(Code.PermissionDenied);
        expect((answer as ConnectError).rawMessage).toMatch(/^resource_id\.resource: device resources cannot be read with this credential: .*okta\.devices\.read/);
        // The device's two reads, refused, then the probe that names what is missing.
        expect(calls.filter((c) => c.startsWith("GET /api/v1/devices")).sort()).toEqual([
          "GET /api/v1/devices/" + truth.devices[0]!.id, "GET /api/v1/devices/" + truth.devices[0]!.id + "/users", "GET /api/v1/devices?limit=1",
        ].sort());
      } finally {
        await connector.stop();
      }
    } finally {
      rmSync(keyDir, { recursive: true, force: true });
    }
  });
});

describe("GetResource on a connector that has not synced", { timeout: 120_000 }, () => {
  it("answers each type as a listing would, in at most two Okta calls and no access probe", async () => {
    const reference = await openSession(fake.tokens.super_admin, OPT_INS);
    await reference.connector.stop();
    // A targeted sync may be the first thing a new connector process serves: no index is in memory.
    const connector = await startConnector(fake, { token: fake.tokens.super_admin, flags: OPT_INS });
    try {
      const getter = getterOf(connector);
      const seen: Record<string, string[]> = {};
      for (const type of ALL_TYPES) {
        const want = reference.synced.resources.find((r) => r.id!.resourceType === type)!;
        const { answer, calls } = await get(getter, type, want.id!.resource);
        expect(answer, type).toEqual(want);
        seen[type] = calls;
      }
      for (const type of ALL_TYPES) {
        expect(seen[type]!.length, `${type}: ${seen[type]!.join(", ")}`).toBeGreaterThanOrEqual(type === "role" ? 0 : 1);
        expect(seen[type]!.length, `${type}: ${seen[type]!.join(", ")}`).toBeLessThanOrEqual(2);
        expect(seen[type]!.filter((c) => /[?&]limit=1(&|$)/.test(c)), type).toEqual([]);
      }
      // A standard role needs no Okta call: not the whole assignment read a role listing makes.
      expect(seen["role"]).toEqual([]);
    } finally {
      await connector.stop();
    }
  });
});

describe("GetResource refuses bad and unknown ids", { timeout: 120_000 }, () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession(fake.tokens.super_admin, OPT_INS);
  }, 120_000);
  afterAll(async () => {
    await session?.connector.stop();
  });

  it("a malformed id of every type is INVALID_ARGUMENT naming resource_id.resource, before any Okta call", async () => {
    for (const type of ALL_TYPES) {
      for (const bad of ["00u1/../../api-tokens", "a b", "x?y=1"]) {
        const { answer, calls } = await get(session.getter, type, bad);
        expect(answer, `${type} ${bad}`).toBeInstanceOf(ConnectError);
        expect((answer as ConnectError).code, `${type} ${bad}`).toBe(Code.InvalidArgument);
        expect((answer as ConnectError).rawMessage, `${type} ${bad}`).toContain("resource_id.resource");
        expect(calls, `${type} ${bad}`).toEqual([]);
      }
    }
    const { answer } = await get(session.getter, "resourceset-binding", "iam1abc");
    expect((answer as ConnectError).code).toBe(Code.InvalidArgument);
    expect((answer as ConnectError).rawMessage).toMatch(/resource_id\.resource: .* is not a binding id/);
  });

  it("an unknown id of every type is NOT_FOUND naming it", async () => {
    const unknown: Record<string, string> = {
      user: "00unothere0000000000", group: "00gnothere0000000000", app: "0oanothere0000000000", role: "NOT_A_ROLE_TYPE",
      "custom-role": "cr0nothere0000000000", "resource-set": "iamnothere0000000000",
      "resourceset-binding": `${truth.resourceSets[0]!.id}:cr0nothere0000000000`, device: "guonothere0000000000",
      "api-token": "00Tnothere0000000000", "service-app": "0oanothere0000000000", "group-rule": "0prnothere0000000000",
    };
    for (const type of ALL_TYPES) {
      const { answer } = await get(session.getter, type, unknown[type]!);
      expect(answer, type).toBeInstanceOf(ConnectError);
      expect((answer as ConnectError).code, type).toBe(Code.NotFound);
      expect((answer as ConnectError).rawMessage, type).toContain(unknown[type]!);
    }
  });

  it("an app that is not a service app is NOT_FOUND as a service app, saying so", async () => {
    const saml = truth.apps.find((a) => a.signOnMode === "SAML_2_0" && a.status === "ACTIVE")!;
    const { answer, calls } = await get(session.getter, "service-app", saml.id);
    expect((answer as ConnectError).code).toBe(Code.NotFound);
    expect((answer as ConnectError).rawMessage).toMatch(new RegExp(`^resource_id\\.resource: service-app "${saml.id}" is not synced: app ${saml.id} is not an OAuth API service app \\(SAML_2_0\\)`));
    expect(calls).toEqual([`GET /api/v1/apps/${saml.id}`]);
  });

  it("a login or a label, where Okta's path also takes one, is not that resource: NOT_FOUND after one call", async () => {
    // Okta allows a login that is not an email; an alphanumeric one passes the id check and reaches Okta.
    const created = await fetch(`${fake.url}/api/v1/users?activate=true`, {
      method: "POST",
      headers: { authorization: `SSWS ${fake.tokens.super_admin}`, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ profile: { login: "targetedsync", email: "targeted.sync@example.com", firstName: "Targeted", lastName: "Sync" } }),
    });
    expect(created.status).toBe(200);
    // Alphanumeric labels, for the same reason (the generated ones hold spaces).
    const set = fake.org.roles.resourceSets()[0]!;
    set.label = "TargetedSyncSet";
    const role = fake.org.roles.customRoles()[0]!;
    role.label = "TargetedSyncRole";
    const cases: [string, string][] = [["user", "targetedsync"], ["resource-set", set.label], ["custom-role", role.label]];
    for (const [type, label] of cases) {
      const { answer, calls } = await get(session.getter, type, label);
      expect(calls.length, type).toBe(1);
      expect((answer as ConnectError).code, type).toBe(Code.NotFound);
    }
  });
});

describe("GetResource of a service app whose client id is not its app id", { timeout: 120_000 }, () => {
  it("finds it through the app listing, as the listing holds it, for client ids that are not and that look like app ids", async () => {
    const holders = new Set([
      ...truth.roleAssignments.filter((a) => a.assigneeType === "CLIENT").map((a) => a.assigneeId),
      ...truth.bindings.flatMap((b) => b.members.filter((m) => m.assigneeType === "CLIENT").map((m) => m.assigneeId)),
    ]);
    // One that holds no role, so no role grant names the client id changed out of band.
    const app = fake.org.apps.all().find((a) => a.clientId !== null && a.applicationType === "service" && !holders.has(a.clientId))!;
    expect(app).toBeDefined();
    for (const [clientId, calls] of [["custom-client_1", ["GET /api/v1/apps?limit=200"]], ["customClient1", ["GET /api/v1/apps/customClient1", "GET /api/v1/apps?limit=200"]]] as const) {
      app.clientId = clientId;
      const session = await openSession(fake.tokens.super_admin, {});
      try {
        const listed = session.synced.resources.find((r) => r.id!.resourceType === "service-app" && r.id!.resource === clientId);
        expect(listed, clientId).toBeDefined();
        const got = await get(session.getter, "service-app", clientId);
        expect(got.answer, clientId).toEqual(listed);
        expect(got.calls, clientId).toEqual(calls);
      } finally {
        await session.connector.stop();
      }
    }
  });
});
