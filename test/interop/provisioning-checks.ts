import type { GroundTruth } from "../fake-okta/index.js";
import type { ServeProcess } from "../support/serve-process.js";
import { SYNC_METHODS } from "./baton-checks.js";
import { assert, assertEqual, assertSameSet, type CheckRecorder } from "./support/checks.js";
import { type ExpectedC1z, expectedC1z } from "./support/expected-c1z.js";
import { type IdLine, type ProvisionRun, type ProvisionStep, readIds, type RpcRecord } from "./support/harness.js";

const GRANT = "/c1.connector.v2.GrantManagerService/Grant";
const REVOKE = "/c1.connector.v2.GrantManagerService/Revoke";

/** The membership the session grants and revokes. */
export interface MembershipPick {
  readonly groupId: string;
  readonly groupName: string;
  readonly userId: string;
  /** ACTIVE apps assigned to the group: the engine must expand the new membership to them. */
  readonly appIds: readonly string[];
  readonly entitlementId: string;
  /** `{entitlement}:user:{userId}`, the id baton-sdk and baton-okta give this grant. */
  readonly grantId: string;
}

/**
 * An OKTA_GROUP (the only type whose members Okta lets anyone change) and an ACTIVE user outside it.
 * A group assigned to an ACTIVE app the user has no access to is preferred, so the second sync also
 * shows the engine expanding the new membership into an app grant, and the third its removal.
 */
export function pickMembership(truth: GroundTruth): MembershipPick | undefined {
  const active = truth.users.filter((u) => u.status === "ACTIVE");
  const activeApps = truth.apps.filter((a) => a.status === "ACTIVE");
  for (const wantApps of [true, false]) {
    for (const group of truth.groups.filter((g) => g.type === "OKTA_GROUP")) {
      const apps = activeApps.filter((a) => a.groups.some((assignment) => assignment.groupId === group.id));
      if (wantApps && apps.length === 0) continue;
      const members = new Set(group.memberIds);
      const user = active.find((u) => !members.has(u.id) && apps.every((a) => !a.users.some((appUser) => appUser.userId === u.id)));
      if (user === undefined) continue;
      const entitlementId = `group:${group.id}:member`;
      return { groupId: group.id, groupName: group.name, userId: user.id, appIds: apps.map((a) => a.id), entitlementId, grantId: `${entitlementId}:user:${user.id}` };
    }
  }
  return undefined;
}

/** `truth` with `userId` added to the group's members, as Okta holds it after the Grant. */
function withMember(truth: GroundTruth, groupId: string, userId: string): GroundTruth {
  return { ...truth, groups: truth.groups.map((g) => (g.id === groupId ? { ...g, memberIds: [...g.memberIds, userId] } : g)) };
}

export interface ProvisioningCase {
  readonly label: string;
  readonly run: ProvisionRun;
  readonly pick: MembershipPick;
  /** The org before the session, and after it. */
  readonly truth: GroundTruth;
  readonly finalTruth: GroundTruth;
  /** The `serve --provisioning` process, for its audit log. */
  readonly server: ServeProcess;
}

/**
 * Checks a `batonsync -provision` session: Grant and Revoke sent by baton-sdk's provisioner through
 * baton-sdk's connector client answer as baton-sdk expects (grant id, GrantAlreadyExists and
 * GrantAlreadyRevoked on repeats), and the syncs around them, by baton-sdk's engine over the same
 * client, show the membership appear and disappear, expansion included, against the ground truth.
 */
export async function checkProvisioning(checks: CheckRecorder, c: ProvisioningCase): Promise<void> {
  const { pick, label } = c;
  const report = c.run.report;
  const stepNamed = (name: ProvisionStep["name"]): ProvisionStep => {
    const step = report?.steps.find((s) => s.name === name);
    assert(step !== undefined, `step "${name}" did not run (exit ${c.run.exitCode}): ${report?.error ?? ""} ${c.run.stderr.slice(-600)}`);
    return step;
  };
  const syncedIds = async (name: ProvisionStep["name"]): Promise<IdLine[]> => {
    const step = stepNamed(name);
    assert(step.error === undefined && step.sync?.completed === true, `${name} failed (${step.sync?.code ?? "no gRPC code"}): ${step.error ?? ""}`);
    assert(step.sync.failFastInvariants, "the harness ran without WithFailFastInvariants");
    assert(step.contents !== undefined && step.ids !== undefined, `${name}: no c1z contents`);
    const ids = await readIds(step.ids);
    assertEqual(step.contents.grants.total, ids.filter((l) => l.kind === "grant").length, `${name}: grants in the c1z summary`);
    return ids;
  };
  const before = expectedC1z(c.truth, {});
  const granted = expectedC1z(withMember(c.truth, pick.groupId, pick.userId), {});

  await checks.check(`${label}: baseline sync by baton-sdk completes, equals the ground truth and lacks ${pick.grantId}`, async () => {
    const ids = await syncedIds("baseline sync");
    assertC1zEquals(ids, before);
    assert(!ids.some((l) => l.id === pick.grantId), `${pick.grantId} is already in the c1z`);
  });

  await checks.check(`${label}: Grant via baton-sdk's provisioner (entitlement and principal read from the c1z) answers the one grant ${pick.grantId}, without GrantAlreadyExists`, () => {
    const rpc = onlyRpc(stepNamed("grant"), GRANT);
    assertEqual(rpc.grants?.length ?? 0, 1, "grants in the response");
    const grant = rpc.grants![0]!;
    assertEqual(grant.id, pick.grantId, "grant id");
    assertEqual(grant.entitlement, pick.entitlementId, "grant entitlement");
    assertEqual(grant.principal, `user:${pick.userId}`, "grant principal");
    assert(!rpc.alreadyExists && rpc.annotations.length === 0, `annotations: ${rpc.annotations.join(", ")}`);
  });

  await checks.check(`${label}: the same Grant again succeeds with c1.connector.v2.GrantAlreadyExists`, () => {
    const rpc = onlyRpc(stepNamed("grant again"), GRANT);
    assert(rpc.alreadyExists, `annotations: [${rpc.annotations.join(", ")}]`);
    assertEqual(JSON.stringify(rpc.annotations), JSON.stringify(["c1.connector.v2.GrantAlreadyExists"]), "annotations");
    assertEqual(rpc.grants?.[0]?.id, pick.grantId, "grant id of the repeat");
  });

  const delta = { direct: 0, derived: [] as string[] };
  const grantSynced = await checks.check(`${label}: sync after Grant holds the grant and equals the ground truth with the user in the group, expansion included`, async () => {
    const ids = await syncedIds("sync after grant");
    const grant = ids.find((l) => l.kind === "grant" && l.id === pick.grantId);
    assert(grant !== undefined, `${pick.grantId} is not in the c1z`);
    assertEqual(grant.entitlement, pick.entitlementId, "entitlement of the grant");
    assertEqual(grant.principal, `user:${pick.userId}`, "principal of the grant");
    assertC1zEquals(ids, granted);
    delta.direct = granted.directGrants.size - before.directGrants.size;
    delta.derived = [...granted.expandedGrants.keys()].filter((id) => !before.expandedGrants.has(id));
    for (const app of pick.appIds) {
      const derived = ids.find((l) => l.id === `app:${app}:access:user:${pick.userId}`);
      assert(derived?.immutable === true && derived.sources?.[pick.entitlementId] === true, `app:${app}:access:user:${pick.userId} was not derived from ${pick.entitlementId}`);
    }
  });
  if (grantSynced) checks.note(`${label}: granted ${pick.grantId} (group "${pick.groupName}", assigned to ${pick.appIds.length} app(s)); the next sync had ${delta.direct} more connector grant(s) and ${delta.derived.length} more derived by expansion (${delta.derived.slice(0, 3).join(", ")})`);

  await checks.check(`${label}: Revoke via baton-sdk's provisioner of the grant as that c1z holds it succeeds, without GrantAlreadyRevoked`, () => {
    const rpc = onlyRpc(stepNamed("revoke"), REVOKE);
    assert(!rpc.alreadyRevoked && rpc.annotations.length === 0, `annotations: ${rpc.annotations.join(", ")}`);
  });

  await checks.check(`${label}: the same Revoke again succeeds with c1.connector.v2.GrantAlreadyRevoked`, () => {
    const rpc = onlyRpc(stepNamed("revoke again"), REVOKE);
    assert(rpc.alreadyRevoked, `annotations: [${rpc.annotations.join(", ")}]`);
    assertEqual(JSON.stringify(rpc.annotations), JSON.stringify(["c1.connector.v2.GrantAlreadyRevoked"]), "annotations");
  });

  await checks.check(`${label}: sync after Revoke no longer holds the grant or what expansion derived from it, and equals the baseline ground truth`, async () => {
    const ids = await syncedIds("sync after revoke");
    assert(!ids.some((l) => l.id === pick.grantId), `${pick.grantId} is still in the c1z`);
    assertC1zEquals(ids, before);
  });

  await checks.check(`${label}: each sync sent only sync RPCs, each provisioning step one Grant or Revoke; none failed, and the engine logged no warning`, () => {
    assert(report !== undefined, `no report (exit ${c.run.exitCode}): ${c.run.stderr.slice(-600)}`);
    assertEqual(report.steps.map((s) => s.name).join(", "), "baseline sync, grant, grant again, sync after grant, revoke, revoke again, sync after revoke", "steps");
    for (const step of report.steps) {
      const methods = Object.keys(step.calls.byMethod);
      if (step.kind === "sync") {
        const foreign = methods.filter((m) => !SYNC_METHODS.has(m));
        assert(foreign.length === 0, `${step.name}: unexpected RPCs ${foreign.join(", ")}`);
        assertEqual(step.calls.byMethod["/c1.connector.v2.ConnectorService/Validate"], 1, `${step.name}: Validate calls`);
      } else {
        assertEqual(JSON.stringify(step.calls.byMethod), JSON.stringify({ [step.kind === "grant" ? GRANT : REVOKE]: 1 }), `${step.name}: RPCs`);
      }
      assert(Object.keys(step.calls.errors).length === 0, `${step.name}: failed RPCs ${JSON.stringify(step.calls.errors)}`);
      const loud = step.engineLogs.filter((l) => l.level !== "info" && l.level !== "debug");
      assert(loud.length === 0, `${step.name}: ${loud.slice(0, 3).map((l) => `${l.level}: ${l.message}`).join(" | ")}`);
    }
  });

  await checks.check(`${label}: the server audited granted, already_exists, revoked, already_revoked; only the first grant and revoke wrote to Okta`, () => {
    const entries = c.server.logLines().filter((l) => l["msg"] === "provisioning").map((l) => l["audit"] as AuditLine);
    assertEqual(entries.map((e) => e.outcome).join(", "), "granted, already_exists, revoked, already_revoked", "audit outcomes");
    const membershipPath = `/api/v1/groups/${pick.groupId}/users/${pick.userId}`;
    const writes = entries.map((e) => e.oktaCalls.filter((call) => call.method !== "GET").map((call) => `${call.method} ${call.path} ${call.status}`).join("; "));
    assertEqual(JSON.stringify(writes), JSON.stringify([`PUT ${membershipPath} 204`, "", `DELETE ${membershipPath} 204`, ""]), "Okta writes per call");
    for (const e of entries) {
      assertEqual(e.entitlementId, pick.entitlementId, `${e.outcome}: entitlementId`);
      assertEqual(e.principal, `user:${pick.userId}`, `${e.outcome}: principal`);
      if (e.operation === "revoke") assertEqual(e.grantId, pick.grantId, `${e.outcome}: grantId`);
    }
  });

  await checks.check(`${label}: the simulated org ends as it began (the group's members equal the baseline's)`, () => {
    const members = (t: GroundTruth) => t.groups.find((g) => g.id === pick.groupId)?.memberIds ?? [];
    assertSameSet(members(c.finalTruth), members(c.truth), `members of ${pick.groupId}`);
  });
}

/** The audit fields checked here (src/protocol/audit.ts AuditEntry, as `serve` logs it). */
interface AuditLine {
  operation: string;
  outcome: string;
  entitlementId?: string;
  grantId?: string;
  principal?: string;
  oktaCalls: { method: string; path: string; status: number }[];
}

/** The step's one GrantManagerService call, which must have succeeded. */
function onlyRpc(step: ProvisionStep, method: string): RpcRecord {
  assert(step.error === undefined, `${step.name} failed: ${step.error}`);
  assertEqual(step.rpcs?.length ?? 0, 1, `${step.name}: GrantManagerService calls`);
  const rpc = step.rpcs![0]!;
  assertEqual(rpc.method, method, `${step.name}: method`);
  assert(rpc.code === undefined, `${step.name}: ${rpc.code}: ${rpc.message ?? ""}`);
  return rpc;
}

/** The c1z's resources, entitlements, connector grants and derived grants, id for id. */
function assertC1zEquals(ids: readonly IdLine[], expected: ExpectedC1z): void {
  const of = (kind: IdLine["kind"]) => ids.filter((l) => l.kind === kind);
  assertSameSet(of("resource").map((l) => l.id), [...expected.resources.values()].flatMap((set) => [...set]), "resources");
  assertSameSet(of("entitlement").map((l) => l.id), expected.entitlements, "entitlements");
  const grants = of("grant");
  assertSameSet(grants.filter((g) => !g.immutable).map((g) => g.id), expected.directGrants.keys(), "connector grants");
  assertSameSet(grants.filter((g) => g.immutable).map((g) => g.id), expected.expandedGrants.keys(), "grants derived by expansion");
}
