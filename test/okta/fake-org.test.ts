import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  OKTA_PAGE_LIMITS,
  createOktaApi,
  createOktaClient,
  type OktaApi,
  type OktaClient,
  type OktaClientOptions,
} from "../../src/okta/index.js";
import { startFakeOkta, type FakeOkta, type GroundTruth } from "../fake-okta/index.js";
import { inSimulatorBuckets, pageAll } from "./support/page-all.js";

/**
 * The access layer against the simulated org: every listing paged to the end must equal the ground
 * truth, with the fewest calls the page sizes allow, and survive Okta's failure modes.
 */
let fake: FakeOkta;
let truth: GroundTruth;

beforeAll(async () => {
  fake = await startFakeOkta({ seed: 7, users: 450 });
  truth = await fake.groundTruth();
});
afterAll(async () => {
  await fake?.close();
});

function sswsClient(level: keyof FakeOkta["tokens"], options: Partial<OktaClientOptions> = {}): { client: OktaClient; api: OktaApi } {
  const client = createOktaClient({ orgUrl: fake.url, auth: { kind: "ssws", token: fake.tokens[level] }, ...options });
  return { client, api: createOktaApi(client) };
}

const pages = (items: number, limit: number): number => Math.max(1, Math.ceil(items / limit));
const sortedIds = (items: { id: string }[]): string[] => items.map((item) => item.id).sort();

describe("listing the simulated org", () => {
  it("pages every user, DEPROVISIONED included on request, with ⌈users / 200⌉ calls", async () => {
    fake.resetStats();
    const { client, api } = sswsClient("read_only");
    const all = await pageAll((o) => api.users.listUsers({ ...o, includeDeprovisioned: true }));
    expect(sortedIds(all)).toEqual(sortedIds(truth.users));
    expect(all.map((u) => [u.id, u.status, u.profile.login]).sort()).toEqual(truth.users.map((u) => [u.id, u.status, u.login]).sort());
    expect(client.stats().calls).toBe(pages(truth.users.length, OKTA_PAGE_LIMITS.users));
    expect(fake.stats().buckets.users?.calls).toBe(client.stats().calls);
  });

  it("leaves DEPROVISIONED users out by default", async () => {
    const { api } = sswsClient("read_only");
    const all = await pageAll((o) => api.users.listUsers(o));
    const expected = truth.users.filter((u) => u.status !== "DEPROVISIONED");
    expect(truth.users.length).toBeGreaterThan(expected.length);
    expect(sortedIds(all)).toEqual(sortedIds(expected));
  });

  it("pages groups with stats, and every group's members, in the ground truth's order", async () => {
    fake.resetStats();
    const { client, api } = sswsClient("read_only");
    const groups = await pageAll((o) => api.groups.listGroups(o));
    expect(sortedIds(groups)).toEqual(sortedIds(truth.groups));
    let memberCalls = 0;
    for (const expected of truth.groups) {
      const group = groups.find((g) => g.id === expected.id)!;
      expect([group.type, group.profile.name]).toEqual([expected.type, expected.name]);
      expect(group._embedded?.stats?.usersCount).toBe(expected.memberIds.length);
      const members = await pageAll((o) => api.groups.listGroupMembers(group.id, o));
      expect(members.map((m) => m.id)).toEqual(expected.memberIds);
      memberCalls += pages(expected.memberIds.length, OKTA_PAGE_LIMITS.groupMembers);
    }
    expect(client.stats().calls).toBe(pages(truth.groups.length, OKTA_PAGE_LIMITS.groups) + memberCalls);
    expect(inSimulatorBuckets(client.stats().byBucket)).toEqual(
      Object.fromEntries(Object.entries(fake.stats().buckets).map(([bucket, counters]) => [bucket, counters.calls])),
    );
  });

  it("pages apps (all, and ACTIVE only) with their user and group assignments", async () => {
    const { api } = sswsClient("read_only");
    const apps = await pageAll((o) => api.apps.listApps(o));
    expect(sortedIds(apps)).toEqual(sortedIds(truth.apps));
    const active = await pageAll((o) => api.apps.listApps({ ...o, status: "ACTIVE" }));
    expect(sortedIds(active)).toEqual(sortedIds(truth.apps.filter((a) => a.status === "ACTIVE")));
    for (const expected of truth.apps) {
      const users = await pageAll((o) => api.apps.listAppUsers(expected.id, o));
      expect(users.map((u) => [u.id, u.scope])).toEqual(expected.users.map((u) => [u.userId, u.scope]));
      const groups = await pageAll((o) => api.apps.listAppGroups(expected.id, o));
      expect(groups.map((g) => g.id)).toEqual(expected.groups.map((g) => g.groupId));
    }
  });

  it("resumes a listing from a saved after cursor with a fresh client", async () => {
    const first = await sswsClient("read_only").api.users.listUsers({ limit: 100, includeDeprovisioned: true });
    expect(first.after).toBeDefined();
    const rest = await pageAll((o) => sswsClient("read_only").api.users.listUsers({ ...o, limit: 100, includeDeprovisioned: true }), { after: first.after });
    expect(sortedIds([...first.items, ...rest])).toEqual(sortedIds(truth.users));
  });

  it("reads roles, custom roles, resource sets and bindings with a super admin token", async () => {
    const { api } = sswsClient("super_admin");
    const assignees = await pageAll((o) => api.roles.listRoleAssigneeUsers(o));
    const userHolders = new Set([
      ...truth.roleAssignments.filter((a) => a.assigneeType === "USER").map((a) => a.assigneeId),
      ...truth.bindings.flatMap((b) => b.members.filter((m) => m.assigneeType === "USER").map((m) => m.assigneeId)),
    ]);
    expect(assignees.map((a) => a.id).sort()).toEqual([...userHolders].sort());

    const standardByUser = new Map<string, string[]>();
    for (const user of assignees) {
      const roles = await pageAll((o) => api.roles.listUserRoles(user.id, o));
      standardByUser.set(user.id, roles.filter((r) => r.assignmentType === "USER" && r.type !== "CUSTOM").map((r) => r.id).sort());
    }
    for (const [userId, ids] of standardByUser) {
      const expected = truth.roleAssignments.filter((a) => a.assigneeType === "USER" && a.assigneeId === userId).map((a) => a.id).sort();
      expect(ids).toEqual(expected);
    }
    for (const assignment of truth.roleAssignments.filter((a) => a.assigneeType === "GROUP")) {
      const roles = await pageAll((o) => api.roles.listGroupRoles(assignment.assigneeId, o));
      expect(roles.map((r) => r.id)).toContain(assignment.id);
    }

    expect(sortedIds(await pageAll((o) => api.roles.listCustomRoles(o)))).toEqual(sortedIds(truth.customRoles));
    const sets = await pageAll((o) => api.roles.listResourceSets(o));
    expect(sortedIds(sets)).toEqual(sortedIds(truth.resourceSets));
    for (const set of truth.resourceSets) {
      const resources = await pageAll((o) => api.roles.listResourceSetResources(set.id, o));
      expect(sortedIds(resources)).toEqual(sortedIds(set.resources));
      const bindings = await pageAll((o) => api.roles.listBindings(set.id, o));
      const expectedBindings = truth.bindings.filter((b) => b.resourceSetId === set.id);
      expect(bindings.map((b) => b.id).sort()).toEqual(expectedBindings.map((b) => b.roleId).sort());
      for (const binding of expectedBindings) {
        const members = await pageAll((o) => api.roles.listBindingMembers(set.id, binding.roleId, o));
        expect(sortedIds(members)).toEqual(sortedIds(binding.members));
      }
    }
  });

  it("refuses role reads for a read-only token with forbidden (403 E0000006)", async () => {
    const { api } = sswsClient("read_only");
    await expect(api.roles.listRoleAssigneeUsers()).rejects.toMatchObject({ kind: "forbidden", status: 403, errorCode: "E0000006" });
  });

  it("pages every user through an OAuth service app with DPoP", async () => {
    const app = fake.oauthClients.read_only;
    const client = createOktaClient({ orgUrl: fake.url, auth: { kind: "oauth", clientId: app.clientId, privateKeyPem: app.privateKeyPem, scopes: app.scopes } });
    const all = await pageAll((o) => createOktaApi(client).users.listUsers({ ...o, includeDeprovisioned: true }));
    expect(sortedIds(all)).toEqual(sortedIds(truth.users));
    expect(client.grantedScopes()).toEqual(expect.arrayContaining(["okta.users.read"]));
  });
});

describe("surviving the simulated org's failure modes", () => {
  it("lists every user through a 429 storm, retrying each 429 after its reset", async () => {
    fake.resetStats();
    fake.setFaults({ stormRate: 0.3, buckets: ["users"] });
    try {
      const { client, api } = sswsClient("read_only", { maxRetries: 10, retryDelay: { resetSafetyMs: 50, resetJitterMs: 50 } });
      const all = await pageAll((o) => api.users.listUsers({ ...o, limit: 50, includeDeprovisioned: true }));
      expect(sortedIds(all)).toEqual(sortedIds(truth.users));
      const stats = client.stats();
      expect(stats.rateLimited).toBeGreaterThan(0);
      expect(stats.rateLimited).toBe(fake.stats().buckets.users?.throttled);
      expect(stats.retries).toBe(stats.rateLimited);
      expect(stats.calls).toBe(pages(truth.users.length, 50) + stats.retries);
    } finally {
      fake.setFaults({ stormRate: 0, buckets: [] });
    }
  });

  it("lists every group's members through 5xx answers, resets and malformed bodies", async () => {
    fake.setFaults({ errorRate: 0.15, resetRate: 0.1, malformedRate: 0.1, buckets: [] });
    try {
      const { client, api } = sswsClient("read_only", { maxRetries: 12, retryDelay: { baseMs: 2, capMs: 20 } });
      for (const expected of truth.groups.slice(0, 10)) {
        const members = await pageAll((o) => api.groups.listGroupMembers(expected.id, { ...o, limit: 40 }));
        expect(members.map((m) => m.id)).toEqual(expected.memberIds);
      }
      expect(client.stats().retries).toBeGreaterThan(0);
    } finally {
      fake.setFaults({ errorRate: 0, resetRate: 0, malformedRate: 0 });
    }
  });

  it("paces a bucket with a small limit so that paging meets no 429", async () => {
    // Okta's users bucket shrunk to 8 calls per one-second window (a minute compressed 60×).
    const small = await startFakeOkta({ seed: 3, users: 60, rateScale: 60, rateLimitOverrides: { users: 8 } });
    try {
      const client = createOktaClient({ orgUrl: small.url, auth: { kind: "ssws", token: small.tokens.read_only }, pacing: { resetSafetyMs: 50 } });
      const all = await pageAll((o) => createOktaApi(client).users.listUsers({ ...o, limit: 5, includeDeprovisioned: true }));
      expect(all).toHaveLength((await small.groundTruth()).users.length);
      expect(small.stats().buckets.users?.throttled).toBe(0);
      expect(client.stats()).toMatchObject({ rateLimited: 0, calls: pages(all.length, 5) });
      expect(client.stats().paced).toBeGreaterThan(0);
    } finally {
      await small.close();
    }
  });
});
