import type { GroundTruth } from "../fake-okta/index.js";
import { assert, assertEqual, assertSameSet, type CheckRecorder } from "./support/checks.js";
import { countsByType, type ExpectedC1z } from "./support/expected-c1z.js";
import { type HarnessRun, type IdLine, readIds } from "./support/harness.js";

/** The only RPCs baton-sdk's full sync may send (baton-protocol.md §8.1). */
export const SYNC_METHODS: ReadonlySet<string> = new Set([
  "/c1.connector.v2.ConnectorService/Validate",
  "/c1.connector.v2.ConnectorService/Cleanup",
  "/c1.connector.v2.ResourceTypesService/ListResourceTypes",
  "/c1.connector.v2.ResourcesService/ListResources",
  "/c1.connector.v2.EntitlementsService/ListStaticEntitlements",
  "/c1.connector.v2.EntitlementsService/ListEntitlements",
  "/c1.connector.v2.GrantsService/ListGrants",
]);

// service-app too: its principals matter as role holders, so it needs the roles read the others do.
const ROLE_TYPES = ["service-app", "role", "custom-role", "resource-set", "resourceset-binding"];

export interface BatonSyncCase {
  /** e.g. "baton super_admin sqlite". */
  readonly label: string;
  readonly run: HarnessRun;
  readonly idsPath: string;
  readonly expected: ExpectedC1z;
  /** False for credentials without the Super Administrator role: role types listed, empty, with the reason. */
  readonly rolesReadable: boolean;
  /** The simulator's ground truth, for checking app access against Okta's app users directly. */
  readonly truth: GroundTruth;
}

/**
 * Checks one baton-sdk sync: it completed with fail-fast invariants, the engine sent only sync RPCs and
 * logged no warning, and the c1z (read back by baton-sdk's own store) equals the ground truth, id for
 * id, including the grants the engine's expansion derived. Returns the sync's measurements for the
 * report, or undefined when the sync itself failed.
 */
export async function checkBatonSync(checks: CheckRecorder, c: BatonSyncCase): Promise<void> {
  const { summary } = c.run;
  const completed = await checks.check(`${c.label}: baton-sdk syncer completes a full sync with WithFailFastInvariants`, () => {
    assert(summary !== undefined, `no summary (exit ${c.run.exitCode}): ${c.run.stderr.slice(-800)}`);
    assert(c.run.exitCode === 0 && summary.sync.completed, `sync failed (${summary.sync.code ?? "no gRPC code"}): ${summary.error ?? ""} ${c.run.stderr.slice(-800)}`);
    assert(summary.sync.failFastInvariants, "the harness ran without WithFailFastInvariants");
    assert(summary.contents !== undefined, "no c1z contents");
  });
  if (!completed || summary?.contents === undefined) return;
  const contents = summary.contents;

  await checks.check(`${c.label}: the engine sent only sync RPCs, and every one succeeded`, () => {
    const methods = Object.keys(summary.calls.byMethod);
    const foreign = methods.filter((m) => !SYNC_METHODS.has(m));
    assert(foreign.length === 0, `unexpected RPCs: ${foreign.join(", ")}`);
    assert(Object.keys(summary.calls.errors).length === 0, `failed RPCs: ${JSON.stringify(summary.calls.errors)}`);
    assertEqual(summary.calls.byMethod["/c1.connector.v2.ConnectorService/Validate"], 1, "Validate calls");
    assertEqual(summary.calls.byMethod["/c1.connector.v2.ConnectorService/Cleanup"], 1, "Cleanup calls");
  });

  await checks.check(`${c.label}: the engine logged no warning or error`, () => {
    const loud = summary.engineLogs.filter((l) => l.level !== "info" && l.level !== "debug");
    assert(loud.length === 0, loud.slice(0, 3).map((l) => `${l.level}: ${l.message} ${l.fields ?? ""}`).join(" | "));
  });
  for (const note of summary.engineLogs.filter((l) => l.level === "info")) checks.note(`${c.label}: engine says: ${note.message} (${note.fields ?? ""})`);

  await checks.check(`${c.label}: resource types as the connector lists them${c.rolesReadable ? "" : ", role types naming the missing Super Administrator role"}`, () => {
    assertSameSet(contents.resourceTypes.map((t) => t.id), c.expected.resourceTypeIds, "resource type ids");
    for (const type of contents.resourceTypes) {
      const reasoned = /Super Administrator/.test(type.description);
      const shouldBe = !c.rolesReadable && ROLE_TYPES.includes(type.id);
      assert(reasoned === shouldBe, `${type.id}: description ${JSON.stringify(type.description)} ${shouldBe ? "does not name" : "names"} the Super Administrator role`);
    }
  });

  const ids = await readIds(c.idsPath);
  const byKind = (kind: IdLine["kind"]) => ids.filter((line) => line.kind === kind);

  await checks.check(`${c.label}: resources per type equal the ground truth`, () => {
    const resources = byKind("resource");
    for (const [type, expected] of c.expected.resources) {
      assertSameSet(resources.filter((r) => r.id.startsWith(`${type}:`)).map((r) => r.id), expected, `${type} resources`);
      assertEqual(contents.resources[type] ?? 0, expected.size, `${type} count in the c1z summary`);
    }
    const total = [...c.expected.resources.values()].reduce((n, s) => n + s.size, 0);
    assertEqual(resources.length, total, "resources in the c1z");
  });
  checks.note(`${c.label}: resources ${JSON.stringify(countsByType(c.expected.resources))}`);

  await checks.check(`${c.label}: every user's posture in the c1z (status detail, account type, MFA status) equals the ground truth`, () => {
    const wrong = byKind("resource").filter((r) => r.id.startsWith("user:")).flatMap((r) => {
      const want = c.expected.userPosture.get(r.id);
      const got = r.user;
      if (!want || !got) return [];
      const same = got.statusDetails === want.statusDetails && got.accountType === `ACCOUNT_TYPE_${want.accountType}` && got.mfaEnabled === want.mfaEnabled;
      return same ? [] : [{ id: r.id, want, got }];
    });
    assert(wrong.length === 0, `${wrong.length} users differ, e.g. ${JSON.stringify(wrong.slice(0, 2))}`);
  });

  await checks.check(`${c.label}: entitlements equal the ground truth (one per group, app, role, custom role, resource set, binding)`, () => {
    assertSameSet(byKind("entitlement").map((e) => e.id), c.expected.entitlements, "entitlements");
    assertEqual(contents.entitlementTotal, c.expected.entitlements.size, "entitlements in the c1z summary");
  });

  const grants = byKind("grant");
  // A c1z does not record who wrote a grant: the connector's are the ones it must return (some of them
  // GrantImmutable, for access Okta gives only through groups); the rest must be the expansion's.
  const direct = grants.filter((g) => c.expected.connectorGrants.has(g.id));
  const derived = grants.filter((g) => !c.expected.connectorGrants.has(g.id));
  const sorted = (sources: Readonly<Record<string, boolean>> | undefined) => JSON.stringify(sources === undefined ? null : Object.entries(sources).sort(([a], [b]) => a.localeCompare(b)));

  // The id comparisons below only prove the references when each grant's id, entitlement and principal
  // agree, and each names something the c1z holds (the engine's own referential invariants I8 and I9,
  // which its SQLite store does not evaluate).
  await checks.check(`${c.label}: every grant's id is {entitlement}:{principal}, naming an entitlement and a resource in the c1z`, () => {
    const resources = new Set(byKind("resource").map((r) => r.id));
    const entitlements = new Set(byKind("entitlement").map((e) => e.id));
    for (const g of grants) {
      assertEqual(g.id, `${g.entitlement}:${g.principal}`, "grant id");
      assert(entitlements.has(g.entitlement ?? ""), `${g.id}: entitlement not in the c1z`);
      assert(resources.has(g.principal ?? ""), `${g.id}: principal not in the c1z`);
    }
  });

  await checks.check(`${c.label}: the connector's grants equal the ground truth, group-held ones GrantExpandable from the group's members`, () => {
    assertSameSet(direct.map((g) => g.id), c.expected.directGrants.keys(), "connector grants");
    for (const g of direct) {
      const want = c.expected.directGrants.get(g.id);
      const got = g.expandable;
      assertEqual(JSON.stringify(got ?? null), JSON.stringify(want ?? null), `GrantExpandable of ${g.id}`);
      if (want !== undefined) assert(g.shallow === true, `${g.id}: GrantExpandable is not shallow`);
      const shape = c.expected.connectorGrants.get(g.id)!;
      assertEqual(g.immutable ?? false, shape.immutable ?? false, `GrantImmutable on ${g.id}`);
      if (!c.expected.reachedDirectGrants.has(g.id)) assertEqual(sorted(g.sources), sorted(shape.sources), `sources of ${g.id}`);
    }
  });

  await checks.check(`${c.label}: grant expansion gave every member of a granted group the app and role grant, naming its sources`, () => {
    assertSameSet(derived.map((g) => g.id), c.expected.expandedGrants.keys(), "grants derived by expansion");
    for (const g of derived) {
      assert(g.immutable === true, `${g.id}: a derived grant without GrantImmutable`);
      const want = [...(c.expected.expandedGrants.get(g.id) ?? [])].sort();
      assertEqual(JSON.stringify(Object.keys(g.sources ?? {}).sort()), JSON.stringify(want), `sources of ${g.id}`);
      assert(Object.values(g.sources ?? {}).every(Boolean), `${g.id}: a source is not marked direct`);
    }
    const reached = direct.filter((g) => c.expected.reachedDirectGrants.has(g.id));
    for (const g of reached) {
      const want = [...(c.expected.reachedDirectGrants.get(g.id) ?? [])].sort();
      assertEqual(JSON.stringify(Object.keys(g.sources ?? {}).sort()), JSON.stringify(want), `sources of ${g.id}`);
    }
    const derivedTypes = new Set(derived.map((g) => g.entitlement?.split(":")[0]));
    const expectAppExpansion = [...c.expected.expandedGrants.keys()].some((id) => id.startsWith("app:"));
    assert(derivedTypes.has("app") === expectAppExpansion, expectAppExpansion ? "no app grant was expanded" : "app grants were expanded where the connector writes them");
    if (c.rolesReadable) assert(derivedTypes.has("role"), "no role grant was expanded");
    assertEqual(contents.grants.total, grants.length, "grants in the c1z summary");
    assertEqual(contents.storeStats["grants"], grants.length, "grants in the store's own stats");
  });

  // Issue 13 item 1, from the ground truth alone: whoever wrote them (connector or expansion), the
  // c1z's app access grants to users are Okta's app users of both scopes for the users the c1z holds.
  await checks.check(`${c.label}: app:*:access user grants equal Okta's app users exactly; group-derived ones name their groups, direct ones themselves`, () => {
    const resources = new Set(byKind("resource").map((r) => r.id));
    const want = new Map<string, { scope: string; groups: string[] }>();
    for (const app of c.truth.apps) {
      if (!resources.has(`app:${app.id}`)) continue;
      for (const u of app.users) if (resources.has(`user:${u.userId}`)) want.set(`app:${app.id}:access:user:${u.userId}`, { scope: u.scope, groups: u.groupIds.map((g) => `group:${g}:member`) });
    }
    const got = grants.filter((g) => g.entitlement?.startsWith("app:") && g.principal?.startsWith("user:"));
    assertSameSet(got.map((g) => g.id), want.keys(), "app access grants to users");
    for (const g of got) {
      const { scope, groups } = want.get(g.id)!;
      const self = g.entitlement!;
      const expected = scope === "GROUP" ? groups : groups.length > 0 ? [self, ...groups] : [];
      assertEqual(JSON.stringify(Object.keys(g.sources ?? {}).sort()), JSON.stringify(expected.sort()), `sources of ${g.id} (scope ${scope})`);
      assert(Object.values(g.sources ?? {}).every(Boolean), `${g.id}: a source is not marked direct`);
      assertEqual(g.immutable ?? false, scope === "GROUP", `GrantImmutable on ${g.id} (scope ${scope})`);
    }
    checks.note(`${c.label}: ${got.length} app access grants to users, ${got.filter((g) => g.immutable).length} of them through groups only`);
  });
}

/** One line for the report: the sync's duration and the c1z's counts. */
export function measurementLine(label: string, run: HarnessRun): string {
  const s = run.summary;
  if (s?.contents === undefined) return `${label}: no measurement (sync failed)`;
  const g = s.contents.grants;
  return (
    `${label}: sync ${s.sync.seconds.toFixed(1)} s (+ close ${s.sync.closeSeconds.toFixed(1)} s), ${s.calls.total} RPCs; ` +
    `c1z ${(s.c1zBytes / 1e6).toFixed(1)} MB: ${s.contents.resourceTotal} resources ${JSON.stringify(s.contents.resources)}, ` +
    `${s.contents.entitlementTotal} entitlements, ${g.total} grants (${g.direct} mutable, ${g.expandable} expandable; ` +
    `${g.expanded} GrantImmutable ${JSON.stringify(g.expandedByEntitlementType)}, derived by expansion or group-only app access the connector wrote; ${g.directWithSources} mutable grants with sources)`
  );
}
