import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { EntitlementSchema } from "../../gen/c1/connector/v2/entitlement_pb.js";
import { ResourceSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import type { ConnectorClients } from "../../src/engine/connector-client.js";
import type { FakeOkta, GroundTruth } from "../../test/fake-okta/index.js";

/** One grant/revoke round trip of the soak. */
export interface CycleRecord {
  readonly n: number;
  readonly kind: "group-membership" | "app-assignment";
  readonly grantId: string;
  readonly durationMs: number;
  /** Okta API requests the grant and revoke took, retries included. */
  readonly oktaCalls: number;
  readonly error?: string;
}

/** Deadline of each Grant/Revoke call: long enough for the connector's own retries under moderate faults. */
const CALL_TIMEOUT_MS = 60_000;
/** Revokes tried to undo a grant before the cycle gives up and leaves the org changed. */
const REVOKE_ATTEMPTS = 3;

/**
 * Grants one entitlement through the connector's GrantManager, checks with the simulator's ground
 * truth that exactly that one access was added and nothing else moved, revokes it by the grant id the
 * connector returned, and checks the org is back to where it began. Odd cycles add a user to an
 * OKTA_GROUP, even ones assign a user to an app directly; the pair is picked from the ground truth so
 * that the grant is new, and rotates with `n` so the soak does not repeat one write. A cycle is not
 * cancelled by Ctrl-C: it takes well under a second, and cutting it between grant and revoke would
 * report a half-done cycle that is the soak's doing, not the connector's.
 */
export async function runProvisioningCycle(options: { clients: ConnectorClients; fake: FakeOkta; n: number }): Promise<CycleRecord> {
  const { clients, fake, n } = options;
  const before = await fake.groundTruth();
  const target = n % 2 === 1 ? pickGroupMembership(before, n) : pickAppAssignment(before, n);
  const started = performance.now();
  const callsBefore = fake.stats().totals.calls;
  const record = (error?: string): CycleRecord => ({
    n, kind: target.kind, grantId: target.grantId, durationMs: Math.round(performance.now() - started),
    oktaCalls: fake.stats().totals.calls - callsBefore, ...(error ? { error } : {}),
  });
  const callOptions = { timeoutMs: CALL_TIMEOUT_MS };
  const entitlement = create(EntitlementSchema, { id: target.entitlementId, slug: target.slug, resource: { id: { resourceType: target.resourceType, resource: target.resourceId } } });
  const principal = create(ResourceSchema, { id: { resourceType: "user", resource: target.userId } });

  const problems: string[] = [];
  let grant;
  try {
    grant = (await clients.grantManager.grant({ entitlement, principal }, callOptions)).grants[0];
    if (grant?.id !== target.grantId) problems.push(`grant answered ${grant?.id ?? "no grant"}, expected ${target.grantId}`);
  } catch (error) {
    problems.push(`grant ${target.grantId}: ${describe(error)}`);
  }
  const afterGrant = differences(before, await fake.groundTruth());
  if (afterGrant.length !== 1 || afterGrant[0] !== `+${target.effect}`) problems.push(`grant changed [${afterGrant.join(", ")}], expected [+${target.effect}]`);

  // Revoke whenever the org moved, even after a failed grant, so one failure does not become a count
  // mismatch in every later sync.
  if (afterGrant.length > 0) {
    for (let attempt = 1; attempt <= REVOKE_ATTEMPTS; attempt++) {
      try {
        await clients.grantManager.revoke({ grant: grant ?? { id: target.grantId, entitlement, principal } }, callOptions);
        break;
      } catch (error) {
        problems.push(`revoke ${target.grantId} (attempt ${attempt}): ${describe(error)}`);
      }
    }
    const afterRevoke = differences(before, await fake.groundTruth());
    if (afterRevoke.length > 0) problems.push(`after revoke the org still differs: [${afterRevoke.join(", ")}]`);
  }
  return record(problems.length > 0 ? problems.join("; ") : undefined);
}

interface CycleTarget {
  readonly kind: CycleRecord["kind"];
  readonly resourceType: "group" | "app";
  readonly resourceId: string;
  readonly slug: "member" | "access";
  readonly entitlementId: string;
  readonly grantId: string;
  readonly userId: string;
  /** The one access fact the grant must add, in the form {@link accessFacts} writes. */
  readonly effect: string;
}

/** Only OKTA_GROUPs take membership writes (APP_GROUP and BUILT_IN answer 403 E0000006). */
function pickGroupMembership(truth: GroundTruth, n: number): CycleTarget {
  const [group, user] = pick(truth.groups.filter((g) => g.type === "OKTA_GROUP"), n, (g) => truth.users.filter((u) => u.status === "ACTIVE" && !g.memberIds.includes(u.id)));
  const entitlementId = `group:${group.id}:member`;
  return { kind: "group-membership", resourceType: "group", resourceId: group.id, slug: "member", entitlementId, grantId: `${entitlementId}:user:${user.id}`, userId: user.id, effect: `group ${group.id} member ${user.id}` };
}

/** A user with no access to the app at all, so the grant adds a direct (USER-scope) assignment. */
function pickAppAssignment(truth: GroundTruth, n: number): CycleTarget {
  const [app, user] = pick(truth.apps.filter((a) => a.status === "ACTIVE"), n, (a) => truth.users.filter((u) => u.status === "ACTIVE" && !a.users.some((x) => x.userId === u.id)));
  const entitlementId = `app:${app.id}:access`;
  return { kind: "app-assignment", resourceType: "app", resourceId: app.id, slug: "access", entitlementId, grantId: `${entitlementId}:user:${user.id}`, userId: user.id, effect: `app ${app.id} user ${user.id} USER` };
}

/**
 * The first resource from position `n` on (wrapping) that has a candidate user, and one of its
 * candidates chosen by `n`. Apps assigned to Everyone have none, so they are passed over.
 */
function pick<R, U>(resources: readonly R[], n: number, candidates: (resource: R) => readonly U[]): [R, U] {
  for (let i = 0; i < resources.length; i++) {
    const resource = resources[(n + i) % resources.length]!;
    const users = candidates(resource);
    if (users.length > 0) return [resource, users[(n * 7919) % users.length]!];
  }
  throw new Error("the simulated org has no candidate for a grant/revoke cycle; use more --users");
}

/**
 * Every access fact the soak's writes could touch: group members, direct app assignments, app groups,
 * role holders. GROUP-scope app users are left out: they follow from a membership and a group's app
 * assignment, so a membership grant adds them by design and they are not a second effect.
 */
function accessFacts(truth: GroundTruth): Set<string> {
  const facts = new Set<string>();
  for (const g of truth.groups) for (const u of g.memberIds) facts.add(`group ${g.id} member ${u}`);
  for (const a of truth.apps) {
    for (const u of a.users) if (u.scope === "USER") facts.add(`app ${a.id} user ${u.userId} USER`);
    for (const g of a.groups) facts.add(`app ${a.id} group ${g.groupId}`);
  }
  for (const r of truth.roleAssignments) facts.add(`role ${r.type} ${r.assigneeType} ${r.assigneeId}`);
  return facts;
}

/** Facts added (+) and removed (-) between two ground truths. */
function differences(before: GroundTruth, after: GroundTruth): string[] {
  const a = accessFacts(before);
  const b = accessFacts(after);
  return [...[...b].filter((f) => !a.has(f)).map((f) => `+${f}`), ...[...a].filter((f) => !b.has(f)).map((f) => `-${f}`)];
}

function describe(error: unknown): string {
  const e = ConnectError.from(error);
  return `${Code[e.code]}: ${e.rawMessage}`;
}
