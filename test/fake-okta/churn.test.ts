import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CHURN_KINDS, startFakeOkta, type ChurnChange, type ChurnKind, type FakeOkta, type GroundTruth } from "./index.js";

/** The first event each kind of change appends (a user's role: its first or last, the only ones Okta logs). */
const FIRST_EVENT: Record<ChurnKind, RegExp> = {
  "membership.add": /^group\.user_membership\.add$/, "membership.remove": /^group\.user_membership\.remove$/,
  "app-user.add": /^application\.user_membership\.add$/, "app-user.remove": /^application\.user_membership\.remove$/,
  "app-user.update": /^application\.user_membership\.update$/,
  "app-group.add": /^group\.application_assignment\.add$/, "app-group.remove": /^group\.application_assignment\.remove$/,
  "app-group.update": /^group\.application_assignment\.update$/,
  "role.grant": /^(user\.account|group|app\.oauth2\.client)\.privilege\.grant$/, "role.revoke": /^(user\.account|group|app\.oauth2\.client)\.privilege\.revoke$/,
  "binding.add": /^iam\.resourceset\.bindings\.add$/, "binding.remove": /^iam\.resourceset\.bindings\.delete$/,
  "user.create": /^user\.lifecycle\.create$/, "user.activate": /^user\.lifecycle\.activate$/, "user.deactivate": /^user\.lifecycle\.deactivate$/,
  "user.suspend": /^user\.lifecycle\.suspend$/, "user.unsuspend": /^user\.lifecycle\.unsuspend$/, "user.reactivate": /^user\.lifecycle\.reactivate$/,
  "user.unlock": /^user\.account\.unlock$/, "user.delete": /^user\.lifecycle\.delete\.initiated$/,
  "user.profile": /^user\.account\.update_profile$/, "user.password": /^user\.account\.update_password$/,
  "group.create": /^group\.lifecycle\.create$/, "group.update": /^group\.profile\.update$/, "group.delete": /^group\.lifecycle\.delete$/,
  "app.create": /^application\.lifecycle\.create$/, "app.update": /^application\.lifecycle\.update$/,
  "app.activate": /^application\.lifecycle\.activate$/, "app.deactivate": /^application\.lifecycle\.deactivate$/, "app.delete": /^application\.lifecycle\.delete$/,
};

/** Whether the ground truth shows the change (checked right after it, before anything undoes it). */
function shows(truth: GroundTruth, change: ChurnChange): boolean {
  const s = change.subject;
  const user = truth.users.find((u) => u.id === s["userId"]);
  const group = truth.groups.find((g) => g.id === s["groupId"]);
  const app = truth.apps.find((a) => a.id === s["appId"]);
  const appUser = app?.users.find((u) => u.userId === s["userId"]);
  const binding = truth.bindings.find((b) => b.resourceSetId === s["resourceSetId"] && b.roleId === s["roleId"]);
  switch (change.kind) {
    case "membership.add": return group?.memberIds.includes(s["userId"] ?? "") === true;
    case "membership.remove": return group !== undefined && !group.memberIds.includes(s["userId"] ?? "");
    case "app-user.add": case "app-user.update": return appUser?.scope === "USER";
    case "app-user.remove": return app !== undefined && appUser?.scope !== "USER";
    case "app-group.add": case "app-group.update": return app?.groups.some((g) => g.groupId === s["groupId"]) === true;
    case "app-group.remove": return app !== undefined && !app.groups.some((g) => g.groupId === s["groupId"]);
    case "role.grant": return truth.roleAssignments.some((r) => r.id === s["assignmentId"] && r.assigneeId === s["principalId"] && r.type === s["roleType"]);
    case "role.revoke": return !truth.roleAssignments.some((r) => r.id === s["assignmentId"]);
    case "binding.add": return binding?.members.some((m) => m.id === s["memberId"] && m.assigneeId === s["principalId"]) === true;
    case "binding.remove": return !truth.bindings.some((b) => b.members.some((m) => m.id === s["memberId"]));
    case "user.create": return user !== undefined;
    case "user.activate": return user?.status === "ACTIVE" || user?.status === "PROVISIONED";
    case "user.deactivate": return user?.status === "DEPROVISIONED";
    case "user.suspend": return user?.status === "SUSPENDED";
    case "user.unsuspend": case "user.unlock": return user?.status === "ACTIVE";
    case "user.reactivate": return user?.status === "PROVISIONED";
    case "user.delete": return user === undefined;
    case "user.profile": return user?.profile["title"] === s["title"] && user?.profile["department"] === s["department"];
    case "user.password": return user !== undefined;
    case "group.create": return group !== undefined;
    case "group.update": return group?.description === s["description"];
    case "group.delete": return group === undefined;
    case "app.create": return app !== undefined;
    case "app.update": return app?.label === s["label"];
    case "app.activate": return app?.status === "ACTIVE";
    case "app.deactivate": return app?.status === "INACTIVE";
    case "app.delete": return app === undefined;
  }
}

/** The ground truth without the wall-clock timestamps writes stamp, which differ between runs. */
function timeless(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(timeless);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !/^(created|lastUpdated|statusChanged|activated|lastLogin|passwordChanged|expiresAt)$/.test(key)).map(([k, v]) => [k, timeless(v)]));
}

describe("churn", () => {
  let fake: FakeOkta;
  beforeAll(async () => {
    fake = await startFakeOkta({ seed: 17, users: 80 });
  });
  afterAll(async () => fake?.close());

  it("makes exactly the requested changes, each with its events, and the ground truth follows each one", async () => {
    const made: ChurnChange[] = [];
    for (let i = 0; i < 400; i++) {
      const [change] = fake.churn(1);
      if (!change) throw new Error("churn(1) made no change");
      made.push(change);
      const events = fake.org.log.all().filter((e) => change.eventSeqs.includes(e.seq));
      expect(events.length, change.kind).toBeGreaterThan(0);
      expect(events.length).toBe(change.eventSeqs.length);
      expect(events[0]?.eventType, change.kind).toMatch(FIRST_EVENT[change.kind]);
      expect(events.every((e) => e.actor.type === "User")).toBe(true);
      expect(shows(await fake.groundTruth(), change), `${change.kind} ${JSON.stringify(change.subject)}`).toBe(true);
    }
    expect(fake.churn(25)).toHaveLength(25);
    // Hundreds of changes reach every kind.
    expect(new Set(made.map((c) => c.kind))).toEqual(new Set(CHURN_KINDS));
  });

  it("is answered by POST /__sim/churn?count=N, and refuses a bad count", async () => {
    const res = await fetch(`${fake.url}/__sim/churn?count=3`, { method: "POST" });
    expect(((await res.json()) as ChurnChange[]).map((c) => c.eventSeqs.length > 0)).toEqual([true, true, true]);
    const bad = await fetch(`${fake.url}/__sim/churn?count=lots`, { method: "POST" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain("count");
  });
});

describe("churn determinism and pace", () => {
  const fakes: FakeOkta[] = [];
  afterEach(async () => {
    await Promise.all(fakes.splice(0).map((f) => f.close()));
  });
  const start = async (seed: number, extra: Parameters<typeof startFakeOkta>[0] = {}) => {
    const fake = await startFakeOkta({ seed, users: 60, ...extra });
    fakes.push(fake);
    return fake;
  };
  const eventsOf = (fake: FakeOkta) => fake.org.log.all().map((e) => [e.eventType, ...e.targets.map((t) => t.id)]);

  it("makes the same changes, events and final org for the same seed, and others for another seed", async () => {
    const [a, b, c] = [await start(23), await start(23), await start(24)];
    const [changesA, changesB, changesC] = [a.churn(300), b.churn(300), c.churn(300)];
    expect(changesB).toEqual(changesA);
    expect(eventsOf(b)).toEqual(eventsOf(a));
    expect(timeless(await b.groundTruth())).toEqual(timeless(await a.groundTruth()));
    expect(changesC.map((x) => x.kind)).not.toEqual(changesA.map((x) => x.kind));
  });

  it("leaves the generated org alone: without churn, a seed gives the org it always did", async () => {
    const [plain, churny] = [await start(23), await start(23, { churnPerMinute: 0, logLagMs: 1000, logReorderRate: 0.5 })];
    expect(await churny.groundTruth()).toEqual(await plain.groundTruth());
  });

  it("with churnPerMinute, changes the org at that pace on its own", async () => {
    const fake = await start(29, { churnPerMinute: 1200 });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const made = fake.churnHistory().length;
    expect(made).toBeGreaterThanOrEqual(18);
    expect(made).toBeLessThanOrEqual(24);
    expect(fake.org.log.lastSeq()).toBeGreaterThanOrEqual(made);
  });
});
