import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ResourceGetterService } from "../../gen/c1/connector/v2/resource_pb.js";
import { createConnectorTransport } from "../../src/engine/connector-client.js";
import { createOktaClient } from "../../src/okta/index.js";
import { createGroupRulesSource } from "../../src/types/shared/group-rules-source.js";
import { startFakeOkta, type FakeOkta, type GroundTruth } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { collectSync, startConnector, type CollectedSync, type RunningConnector } from "../support/sync-helpers.js";
import { expectSyncToMatch } from "./support/compare-sync.js";
import { expectedSync } from "./support/expected-sync.js";

/**
 * Group rules, on by default: each rule is a `group-rule` resource whose `assigns` entitlement its
 * groups hold, and each membership a readable ACTIVE rule keeps names that rule in its sources,
 * against the simulator's ground truth (which marks the memberships each rule keeps).
 */
let fake: FakeOkta;
let truth: GroundTruth;
let connector: RunningConnector;
let synced: CollectedSync;
let rulesCalls: number;
let userGroupsCalls: number;

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 11, users: 1_000 });
  truth = await fake.groundTruth();
  connector = await startConnector(fake, { token: fake.tokens.super_admin });
  const since = fake.requestLog().length;
  synced = await collectSync(connector.clients);
  const log = fake.requestLog().slice(since);
  rulesCalls = log.filter((e) => /^\/api\/v1\/groups\/rules(\?|$)/.test(e.path)).length;
  userGroupsCalls = log.filter((e) => /^\/api\/v1\/users\/[^/]+\/groups/.test(e.path)).length;
}, 120_000);

afterAll(async () => {
  await connector?.stop();
  await fake?.close();
});

describe("group rules", { timeout: 120_000 }, () => {
  it("the whole sync matches the ground truth, rules and rule sources included", () => {
    expectSyncToMatch(synced, expectedSync(truth));
  });

  it("lists every rule, whatever its status, with the groups it fills as holders of group-rule:{id}:assigns", () => {
    const rules = synced.resources.filter((r) => r.id?.resourceType === "group-rule");
    expect(rules.map((r) => r.id!.resource).sort()).toEqual(truth.groupRules.map((r) => r.id).sort());
    expect(new Set(truth.groupRules.map((r) => r.status))).toEqual(new Set(["ACTIVE", "INACTIVE"]));
    const security = truth.groupRules.find((r) => r.groupIds.length === 2)!;
    expect(synced.grants.filter((g) => g.entitlementId === `group-rule:${security.id}:assigns`).map((g) => `${g.principalType}:${g.principalId}`).sort())
      .toEqual(security.groupIds.map((id) => `group:${id}`).sort());
  });

  it("names the rule in the sources of each membership it keeps, beside the membership itself, keeping the grant id, and in no other", () => {
    const readable = truth.groupRules.filter((r) => r.status === "ACTIVE" && r.commonSubset);
    const kept = new Set(readable.flatMap((r) => r.managed.flatMap((m) => m.userIds.map((u) => `group:${m.groupId}:member:user:${u}`))));
    const withRule = synced.grants.filter((g) => Object.keys(g.sources ?? {}).some((k) => k.startsWith("group-rule:")));
    expect(kept.size).toBeGreaterThan(50);
    expect(new Set(withRule.map((g) => g.id))).toEqual(new Set([...kept].filter((id) => synced.grants.some((g) => g.id === id))));
    // The membership names itself as direct, so baton-sdk's shallow expansion still reaches the member.
    expect(withRule.every((g) => g.id === `${g.entitlementId}:user:${g.principalId}` && g.sources![g.entitlementId] === true)).toBe(true);
    expect(withRule.every((g) => Object.entries(g.sources!).every(([k, direct]) => k === g.entitlementId || (k.startsWith("group-rule:") && !direct)))).toBe(true);
  });

  it("gives no rule source to the excluded user, to INACTIVE rules, or to the rule it cannot read, which coverage names", async () => {
    const sourcesOf = (ruleId: string) => synced.grants.filter((g) => g.sources?.[`group-rule:${ruleId}:assigns`] !== undefined);
    const unreadable = truth.groupRules.find((r) => !r.commonSubset)!;
    expect(unreadable.managed[0]!.userIds.length).toBeGreaterThan(0);
    expect(sourcesOf(unreadable.id)).toEqual([]);
    for (const rule of truth.groupRules.filter((r) => r.status !== "ACTIVE")) expect(sourcesOf(rule.id)).toEqual([]);
    const [excluded] = truth.groupRules.flatMap((r) => r.excludedUserIds);
    expect(synced.grants.filter((g) => g.principalId === excluded && Object.keys(g.sources ?? {}).some((k) => k.startsWith("group-rule:")))).toEqual([]);

    const metadata = await connector.clients.connector.getMetadata({});
    const coverage = metadata.metadata?.profile?.["coverage"] as { resource_type: string; scope: string; detail: string }[];
    const ruleGaps = coverage.filter((g) => g.resource_type === "group-rule");
    expect(ruleGaps).toHaveLength(1);
    expect(ruleGaps[0]).toMatchObject({ scope: "grants" });
    expect(ruleGaps[0]!.detail).toContain(`group rule ${unreadable.id} ("${unreadable.name}")`);
  });

  it("reads the rules once per sync (⌈rules / 200⌉ calls) and no member's groups, as no rule tests membership", () => {
    expect(rulesCalls).toBe(Math.ceil(truth.groupRules.length / 200));
    expect(userGroupsCalls).toBe(0);
  });

  it("GetResource returns a rule as the listing does (targeted sync); an unknown id is NOT_FOUND, a malformed one INVALID_ARGUMENT naming the field", async () => {
    const getter = createClient(ResourceGetterService, createConnectorTransport({ address: connector.process.address }));
    const rule = truth.groupRules.find((r) => r.groupIds.length === 2)!;
    const got = await getter.getResource({ resourceId: { resourceType: "group-rule", resource: rule.id } });
    const listed = synced.resources.find((r) => r.id?.resourceType === "group-rule" && r.id.resource === rule.id)!;
    expect(got.resource?.profile).toEqual(listed.profile);
    expect(got.resource?.displayName).toBe(rule.name);
    const failure = async (resource: string) => getter.getResource({ resourceId: { resourceType: "group-rule", resource } }).then(() => undefined, (e: unknown) => ConnectError.from(e));
    expect((await failure("0prnosuchrule0000000"))?.code).toBe(Code.NotFound);
    const bad = await failure("../users");
    expect([bad?.code, bad?.rawMessage]).toEqual([Code.InvalidArgument, expect.stringContaining("resource_id.resource")]);
  });

  it("a credential Okta refuses the rules (403) gets a missing-permission gap, not a failure", async () => {
    const client = createOktaClient({ orgUrl: fake.url, auth: { kind: "ssws", token: fake.tokens.no_role } });
    const read = await createGroupRulesSource(client).load({});
    expect(read.readable).toBe(false);
    expect(read.readable ? undefined : read.gap).toMatchObject({ scope: "resources", reason: "missing-permission" });
    expect(read.index.rules).toEqual([]);
  });
});
