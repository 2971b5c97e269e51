import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOkta, type FakeOkta, type GroundTruth, type RequestLogEntry, type Stats } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { collectSync, startConnector } from "../support/sync-helpers.js";
import { expectSyncToMatch } from "./support/compare-sync.js";
import { expectedSync } from "./support/expected-sync.js";
import { minimumOktaCalls } from "../support/minimum-calls.js";

/**
 * Issue 4's second "Done when": on the simulator's default org, a full super-admin sync (with
 * --sync-custom-roles, --sync-devices and --sync-secrets) makes at most 10% more Okta calls than the minimum, computed from the ground
 * truth as Σ ⌈items / max page⌉ over the listings a sync needs. Page maxima are the simulator's
 * (okta-api.md §2): users 200, groups 10,000, group members 1,000, apps 200, app users 500, app
 * groups 200, every IAM listing 100, devices 200, API tokens 200, group rules 200. The capability probe is counted apart, from the request log.
 */
/** The routes a sync may call per user, group, app or resource set; any other would be an N+1. */
const PER_OBJECT_ROUTES = new Set([
  "GET /api/v1/groups/{groupId}/users",
  "GET /api/v1/groups/{principalId}/roles",
  "GET /api/v1/users/{principalId}/roles",
  "GET /api/v1/apps/{appId}/users",
  "GET /api/v1/apps/{appId}/groups",
  "GET /api/v1/iam/resource-sets/{setId}/bindings",
  "GET /api/v1/iam/resource-sets/{setId}/bindings/{roleIdOrLabel}/members",
  "GET /oauth2/v1/clients/{clientId}/roles",
]);
const LIST_ROUTES = new Set(["GET /api/v1/users", "GET /api/v1/groups", "GET /api/v1/apps", "GET /api/v1/iam/assignees/users", "GET /api/v1/iam/roles", "GET /api/v1/iam/resource-sets", "GET /api/v1/devices", "GET /api/v1/groups/rules", "GET /api/v1/api-tokens"]);

/** The capability probe: `limit=1` reads and DELETEs of ids no Okta object has. */
function isProbe(entry: RequestLogEntry): boolean {
  return entry.method === "DELETE" || /[?&]limit=1(&|$)/.test(entry.path);
}

let fake: FakeOkta;
let truth: GroundTruth;
let stats: Stats;
let log: RequestLogEntry[];

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta();
  truth = await fake.groundTruth();
  const connector = await startConnector(fake, { token: fake.tokens.super_admin, flags: { syncCustomRoles: true, syncDevices: true, syncSecrets: true } });
  try {
    fake.resetStats();
    const before = fake.requestLog().length;
    await connector.clients.connector.validate({});
    const synced = await collectSync(connector.clients);
    stats = fake.stats();
    log = fake.requestLog().slice(before);
    expectSyncToMatch(synced, expectedSync(truth, { syncCustomRoles: true, syncDevices: true, syncSecrets: true }));
  } finally {
    await connector.stop();
  }
}, 120_000);

afterAll(async () => {
  await fake?.close();
});

describe("Okta calls of a full sync of the default org (super admin, --sync-custom-roles, --sync-devices, --sync-secrets)", () => {
  it("stays within 10% of the minimum, besides the capability probe", () => {
    const minimum = minimumOktaCalls(truth, { syncDevices: true, syncSecrets: true }).byListing;
    const minimumTotal = Object.values(minimum).reduce((a, b) => a + b, 0);
    const probes = log.filter(isProbe).length;
    const actual = stats.totals.calls - probes;
    const byRoute = Object.fromEntries(Object.entries(stats.routes).map(([route, c]) => [route, c.calls]));
    console.log(`Okta calls, default org: ${actual} (+ ${probes} capability probe calls) against a minimum of ${minimumTotal}`, { minimum, byRoute });
    expect(log.length).toBe(stats.totals.calls);
    expect(probes).toBeGreaterThan(0);
    expect(probes).toBeLessThanOrEqual(5);
    expect(actual).toBeGreaterThanOrEqual(minimumTotal);
    expect(actual).toBeLessThanOrEqual(Math.floor(minimumTotal * 1.1));
  });

  it("makes no per-user or per-group call a list answers, and none for empty groups", () => {
    const routes = Object.keys(stats.routes).filter((r) => !r.startsWith("DELETE "));
    expect(routes.filter((r) => !PER_OBJECT_ROUTES.has(r) && !LIST_ROUTES.has(r))).toEqual([]);
    const minimum = minimumOktaCalls(truth, { syncDevices: true, syncSecrets: true }).byListing;
    const calls = (route: string) => stats.routes[route]?.calls ?? 0;
    expect(calls("GET /api/v1/groups/{groupId}/users")).toBe(minimum.groupMembers);
    expect(calls("GET /api/v1/users/{principalId}/roles")).toBeLessThanOrEqual(minimum.userRoles);
    expect(calls("GET /api/v1/groups/{principalId}/roles")).toBeLessThanOrEqual(minimum.groupRoles);
    expect(calls("GET /api/v1/apps/{appId}/users")).toBe(minimum.appUsers);
    expect(calls("GET /api/v1/apps/{appId}/groups")).toBe(minimum.appGroups);
    // One roles read per OAuth service app, and none for the web and SAML apps that cannot hold one.
    expect(minimum.clientRoles).toBeGreaterThan(0);
    expect(calls("GET /oauth2/v1/clients/{clientId}/roles")).toBe(minimum.clientRoles);
    // A device's users come embedded in the listing, never one /devices/{id}/users call per device.
    expect(minimum.devices).toBeGreaterThan(0);
    const deviceListings = log.filter((e) => e.method === "GET" && /^\/api\/v1\/devices(\?|$)/.test(e.path) && !isProbe(e));
    expect(deviceListings.length).toBe(minimum.devices);
    expect(calls("GET /api/v1/devices/{deviceId}/users")).toBe(0);
    // API tokens: the listing's pages and nothing per token.
    expect(minimum.apiTokens).toBeGreaterThan(0);
    const tokenListings = log.filter((e) => e.method === "GET" && /^\/api\/v1\/api-tokens(\?|$)/.test(e.path) && !isProbe(e));
    expect(tokenListings.length).toBe(minimum.apiTokens);
    expect(calls("GET /api/v1/api-tokens/{apiTokenId}")).toBe(0);
    // One read of the rules serves the group-rule type and every membership's rule source.
    expect(calls("GET /api/v1/groups/rules")).toBe(minimum.groupRules);
    expect(calls("GET /api/v1/users/{id}/groups")).toBe(0);
  });

  it("is never throttled: pacing keeps the sync under Okta's rate limits", () => {
    expect(stats.totals.throttled).toBe(0);
    expect(Object.keys(stats.totals.statuses).filter((s) => s !== "200" && s !== "204" && s !== "404")).toEqual([]);
  });
});
