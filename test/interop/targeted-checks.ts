import { join } from "node:path";
import { CHURN_KINDS, type ChurnChange, type GroundTruth } from "../fake-okta/index.js";
import type { ServeProcess } from "../support/serve-process.js";
import { type ExpectedOptions, expectedSync } from "../sync/support/expected-sync.js";
import { assert, assertEqual, assertSameSet, type CheckRecorder } from "./support/checks.js";
import { expectedC1z } from "./support/expected-c1z.js";
import { type IdLine, readIds, runHarness, runTargetedSync } from "./support/harness.js";
import { startConnector, startSimulatedOrg } from "./support/processes.js";

/**
 * Issue 16 item 6, the targeted half: baton-sdk drives targeted syncs from the connector's event feed.
 * On a small org of its own whose System Log shows entries late and out of order, baton-sdk's syncer
 * makes a baseline full sync; the simulator then makes CHURN changes of every kind through the API's
 * write paths; after the log's lag, `batonsync -targeted` reads ListEvents with baton-sdk's client to
 * the end and runs baton-sdk's syncer with WithTargetedSyncResources over every resource the events
 * name (a partial sync added to a copy of the baseline c1z).
 *
 * What baton-sdk v0.25.0's targeted sync does (pkg/sync/syncer.go, SyncTargetedResource): a new sync of
 * type partial whose parent is the file's latest full sync; per target GetResource, then
 * ListEntitlements and ListGrants of that resource (no ListResources, no grant expansion). A target
 * GetResource answers NOT_FOUND is skipped with the warning "skipping resource due to not found": the
 * partial sync simply lacks it, there is no tombstone.
 */

/** Users of the org: big enough for every churn kind to find a subject, small enough for a quick baseline. */
const USERS = 300;
const SEED = 7;
/** Changes made at once; then more, ten at a time, until every kind was made (rare kinds need candidates the earlier changes create). */
const CHURN = 100;
const CHURN_CAP = 400;
/** The log shows an entry 1.5 s after it happened, and a fifth of them up to 3 s later still. */
const LOG_LAG_MS = 1_500;
const LOG_REORDER_RATE = 0.2;
/** The simulator's reorder delay defaults to max(1 s, 2 × lag); a second more for the clocks. */
const SETTLE_MS = LOG_LAG_MS + 2 * LOG_LAG_MS + 1_000;
const CONNECTOR_FLAGS = ["--sync-custom-roles"];
const EXPECTED_OPTIONS: Partial<ExpectedOptions> = { syncCustomRoles: true };

/** What a sync holds of one resource: whether it is there, its user posture, its entitlements and its grants. */
interface ResourceRows {
  exists: boolean;
  /** A user's UserTrait status detail; undefined for other types. */
  statusDetails?: string | undefined;
  entitlements: Set<string>;
  /** Grant id → its shape (GrantExpandable ids, sources, GrantImmutable), as one comparable string. */
  grants: Map<string, string>;
}

/** `{type}:{id}` of the resource an entitlement id `{type}:{id}:{slug}` belongs to. */
export function entitlementResource(entitlementId: string): string {
  return entitlementId.slice(0, entitlementId.lastIndexOf(":"));
}

/** The entitlement id of a grant id `{entitlementId}:{principalType}:{principalId}`. */
export function grantEntitlement(grantId: string): string {
  const principalType = grantId.lastIndexOf(":", grantId.lastIndexOf(":") - 1);
  return grantId.slice(0, principalType);
}

/** `{principalType}:{principalId}` of a grant id. */
function grantPrincipal(grantId: string): string {
  return grantId.slice(grantEntitlement(grantId).length + 1);
}

function shape(expandable: readonly string[] | undefined, sources: Readonly<Record<string, boolean>> | undefined, immutable: boolean | undefined): string {
  const sortedSources = Object.entries(sources ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify({ expandable: [...(expandable ?? [])].sort(), sources: sortedSources, immutable: immutable === true });
}

function rowsOf(map: Map<string, ResourceRows>, key: string): ResourceRows {
  let rows = map.get(key);
  if (!rows) map.set(key, (rows = { exists: false, entitlements: new Set(), grants: new Map() }));
  return rows;
}

/** Per resource, what a sync of `truth` must hold (expected-sync.ts, the connector's own rows: no expansion). */
function expectedRows(truth: GroundTruth): Map<string, ResourceRows> {
  const c1z = expectedC1z(truth, EXPECTED_OPTIONS);
  const sync = expectedSync(truth, EXPECTED_OPTIONS);
  const rows = new Map<string, ResourceRows>();
  for (const keys of c1z.resources.values()) for (const key of keys) rowsOf(rows, key).exists = true;
  for (const [key, posture] of c1z.userPosture) rowsOf(rows, key).statusDetails = posture.statusDetails;
  for (const id of c1z.entitlements) rowsOf(rows, entitlementResource(id)).entitlements.add(id);
  for (const [id, grant] of sync.grants) rowsOf(rows, entitlementResource(grantEntitlement(id))).grants.set(id, shape(grant.expandsTo, grant.sources, grant.immutable));
  return rows;
}

/** Per resource, what a c1z's sync holds, from batonsync's -ids lines. */
function heldRows(lines: readonly IdLine[]): Map<string, ResourceRows> {
  const rows = new Map<string, ResourceRows>();
  for (const line of lines) {
    if (line.kind === "resource") {
      const r = rowsOf(rows, line.id);
      r.exists = true;
      if (line.user) r.statusDetails = line.user.statusDetails;
    } else if (line.kind === "entitlement") {
      rowsOf(rows, entitlementResource(line.id)).entitlements.add(line.id);
    } else {
      rowsOf(rows, entitlementResource(line.entitlement ?? grantEntitlement(line.id))).grants.set(line.id, shape(line.expandable, line.sources, line.immutable));
    }
  }
  return rows;
}

/** Where two views of one resource differ, in words; empty when they agree. */
function differences(held: ResourceRows | undefined, want: ResourceRows | undefined): string[] {
  const empty: ResourceRows = { exists: false, entitlements: new Set(), grants: new Map() };
  const a = held ?? empty;
  const e = want ?? empty;
  const out: string[] = [];
  if (a.exists !== e.exists) out.push(a.exists ? "held but gone" : "missing");
  if (a.statusDetails !== e.statusDetails) out.push(`status "${a.statusDetails}" want "${e.statusDetails}"`);
  for (const id of e.entitlements) if (!a.entitlements.has(id)) out.push(`entitlement ${id} missing`);
  for (const id of a.entitlements) if (!e.entitlements.has(id)) out.push(`entitlement ${id} unexpected`);
  for (const [id, s] of e.grants) if (a.grants.get(id) !== s) out.push(a.grants.has(id) ? `grant ${id} ${a.grants.get(id)} want ${s}` : `grant ${id} missing`);
  for (const id of a.grants.keys()) if (!e.grants.has(id)) out.push(`grant ${id} unexpected`);
  return out;
}

/** The principals (`{type}:{id}`) a sync holds, so grants of principals that came or went can be told apart. */
function principalKeys(rows: Map<string, ResourceRows>): Set<string> {
  return new Set([...rows].filter(([key, r]) => r.exists && /^(user|group|service-app):/.test(key)).map(([key]) => key));
}

/**
 * Runs the session and its checks; every check is recorded on `checks`. `dir` is an existing work
 * directory for the c1z files.
 */
export async function checkTargetedSync(checks: CheckRecorder, dir: string): Promise<void> {
  const label = "targeted sync via baton-sdk";
  const org = await startSimulatedOrg({ users: USERS, seed: SEED, args: ["--log-lag-ms", String(LOG_LAG_MS), "--log-reorder-rate", String(LOG_REORDER_RATE)] });
  let server: ServeProcess | undefined;
  try {
    server = await startConnector({ org, level: "super_admin", args: CONNECTOR_FLAGS });
    const baselinePath = join(dir, "targeted-baseline.c1z");
    const baselineIds = join(dir, "targeted-baseline.ids.jsonl");
    const baseline = await runHarness({ address: server.address, out: baselinePath, ids: baselineIds, engine: "sqlite" });
    const baselineOk = await checks.check(`${label}: baseline full sync of a ${USERS}-user org completes`, () => {
      assert(baseline.exitCode === 0 && baseline.summary?.contents !== undefined, `baseline sync failed (exit ${baseline.exitCode}): ${baseline.summary?.error ?? ""} ${baseline.stderr.slice(-500)}`);
    });
    if (!baselineOk) return;
    const before = await org.groundTruth();

    // The simulator and the connector share this machine's clock; a second back covers its ms rounding.
    const startAt = new Date(Date.now() - 1_000);
    const changes = await org.churn(CHURN);
    const missingKinds = () => CHURN_KINDS.filter((kind) => !changes.some((c) => c.kind === kind));
    while (missingKinds().length > 0 && changes.length < CHURN_CAP) changes.push(...(await org.churn(10)));
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const after = await org.groundTruth();
    const run = await runTargetedSync({ address: server.address, baseline: baselinePath, out: join(dir, "targeted.c1z"), ids: join(dir, "targeted.ids.jsonl"), startAt, pageSize: 50 });
    const report = run.report;
    const completed = await checks.check(`${label}: baton-sdk's client reads ListEvents to the end and its syncer completes WithTargetedSyncResources over the ${report?.targets.length ?? "?"} resources the events name`, () => {
      assert(report !== undefined && run.exitCode === 0 && report.sync.completed && report.contents !== undefined, `batonsync -targeted exited ${run.exitCode}: ${report?.error ?? ""} ${run.stderr.slice(-800)}`);
      assert(report.pages.at(-1)?.hasMore === false, `has_more never false: ${JSON.stringify(report.pages)}`);
    });
    if (!completed || report?.contents === undefined) return;
    const contents = report.contents;
    const targets = new Set(report.targets);

    await checks.check(`${label}: the sync is a partial sync whose parent is the baseline's full sync; the engine sent GetResource per target and never ListResources`, () => {
      assertEqual(contents.syncType, "partial", "sync type");
      assertEqual(contents.parentSyncId, baseline.summary?.contents?.syncId, "parent sync id");
      assertEqual(report.calls.byMethod["/c1.connector.v2.ResourceGetterService/GetResource"], targets.size, "GetResource calls");
      assertEqual(report.calls.byMethod["/c1.connector.v2.ResourcesService/ListResources"], undefined, "ListResources calls");
      const failed = Object.entries(report.calls.errors).filter(([method]) => method !== "/c1.connector.v2.ResourceGetterService/GetResource");
      assert(failed.length === 0, `failed RPCs: ${JSON.stringify(report.calls.errors)}`);
    });

    const want = expectedRows(after);
    const held = heldRows(await readIds(join(dir, "targeted.ids.jsonl")));
    const live = [...targets].filter((key) => want.get(key)?.exists === true);
    const gone = [...targets].filter((key) => want.get(key)?.exists !== true);

    await checks.check(`${label}: each of the ${live.length} named resources that still exist holds exactly the ground truth's entitlements and grants (id, GrantExpandable, sources, GrantImmutable), and users their status`, () => {
      const wrong = live.map((key) => [key, differences(held.get(key), want.get(key))] as const).filter(([, d]) => d.length > 0);
      assert(wrong.length === 0, `${wrong.length} resources differ: ${wrong.slice(0, 4).map(([key, d]) => `${key}: ${d.slice(0, 3).join("; ")}`).join(" | ")}`);
    });

    await checks.check(`${label}: the ${gone.length} named resources that no longer exist (deleted, or DEPROVISIONED users) are absent from the partial sync, each with baton-sdk's "skipping resource due to not found" warning`, () => {
      const present = gone.filter((key) => held.has(key));
      assert(present.length === 0, `held: ${present.slice(0, 5).join(", ")}`);
      const warned = new Set(report.engineLogs.filter((l) => l.message === "skipping resource due to not found").map((l) => {
        const fields = l.fields ?? "";
        return `${/resource_type_id=(\S+)/.exec(fields)?.[1]}:${/resource_id=(\S+)/.exec(fields)?.[1]}`;
      }));
      assertSameSet(warned, gone, "NOT_FOUND warnings");
      const loud = report.engineLogs.filter((l) => l.level !== "info" && l.message !== "skipping resource due to not found");
      assert(loud.length === 0, loud.slice(0, 3).map((l) => `${l.level}: ${l.message} ${l.fields ?? ""}`).join(" | "));
    });

    await checks.check(`${label}: the partial sync holds nothing but the named resources and their entitlements and grants`, () => {
      const extra = [...held.keys()].filter((key) => !targets.has(key));
      assert(extra.length === 0, `rows of resources no event named: ${extra.slice(0, 5).join(", ")}`);
    });

    // The snapshot an engine gets by taking, per resource, the partial sync's rows for what the events
    // named and the baseline's for the rest, against a fresh full sync of the final org. The baseline's
    // rows are the ground truth's before the churn (the other baton-sdk checks prove a full sync equals
    // it; the c1z's own rows also hold what the engine's expansion added, which a partial sync does not
    // redo). A named resource that is gone keeps its baseline rows: a partial sync cannot say "deleted".
    const overlaid = expectedRows(before);
    for (const key of live) overlaid.set(key, held.get(key) ?? rowsOf(new Map(), key));
    const principalsBefore = principalKeys(expectedRows(before));
    const principalsAfter = principalKeys(want);
    const cameOrWent = new Set([...principalsBefore, ...principalsAfter].filter((p) => principalsBefore.has(p) !== principalsAfter.has(p)));
    const limits = { goneKept: 0, principalCameOrWent: 0 };
    const unexplained: string[] = [];
    for (const key of new Set([...overlaid.keys(), ...want.keys()])) {
      const d = differences(overlaid.get(key), want.get(key));
      if (d.length === 0) continue;
      if (gone.includes(key)) {
        limits.goneKept++;
        continue;
      }
      // Grants held by (or on) a principal that appeared or disappeared: Okta logs the principal's own
      // change only, and a targeted sync of it re-reads its own grants, not its grants on other resources.
      const other = [...(overlaid.get(key)?.grants.keys() ?? []), ...(want.get(key)?.grants.keys() ?? [])].filter((id) => overlaid.get(key)?.grants.get(id) !== want.get(key)?.grants.get(id) && !cameOrWent.has(grantPrincipal(id)));
      const onlyGrants = overlaid.get(key)?.exists === want.get(key)?.exists && overlaid.get(key)?.statusDetails === want.get(key)?.statusDetails && d.every((line) => line.startsWith("grant "));
      if (onlyGrants && other.length === 0) {
        limits.principalCameOrWent++;
        continue;
      }
      unexplained.push(`${key}: ${d.slice(0, 2).join("; ")}`);
    }
    await checks.check(`${label}: baseline plus the partial sync (per named resource) equals a fresh full sync of the final org, but for baton-sdk's limits`, () => {
      assert(unexplained.length === 0, `${unexplained.length} resources changed without an event naming them: ${unexplained.slice(0, 5).join(" | ")}`);
    });

    await checks.check(`${label}: the simulator made changes of all ${CHURN_KINDS.length} churn kinds`, () => {
      assert(missingKinds().length === 0, `never made: ${missingKinds().join(", ")}`);
    });
    const kinds = new Set(changes.map((c: ChurnChange) => c.kind));
    checks.note(`${label}: ${changes.length} churn changes of ${kinds.size} kinds; events ${JSON.stringify(report.events)} in ${report.pages.length} pages (log lag ${LOG_LAG_MS} ms, reorder rate ${LOG_REORDER_RATE}); ${targets.size} targets (${live.length} live, ${gone.length} gone: ${gone.map((key) => key.split(":")[0]).join(", ")}); ${Object.values(report.calls.byMethod).reduce((a, b) => a + b, 0)} RPCs ${JSON.stringify(report.calls.byMethod)}; targeted sync ${report.sync.seconds.toFixed(1)} s, run ${run.wallSeconds.toFixed(1)} s; baseline ${baseline.wallSeconds.toFixed(1)} s`);
    checks.note(`${label}: against a fresh full sync, ${limits.goneKept} gone targets keep their baseline rows (no tombstone in a partial sync) and ${limits.principalCameOrWent} unnamed resources differ only by grants of the ${cameOrWent.size} principals that appeared or disappeared`);
  } finally {
    await server?.stop();
    await org.stop();
  }
}
