import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateOrg, resolveOrgSizes } from "./generate/org.js";
import { startFakeOkta, type FakeOkta, type GroundTruth } from "./index.js";
import { call } from "./test-support.js";

describe("determinism", () => {
  it("generates the same org, byte for byte, for the same seed and sizes, and another for another seed", () => {
    const sizes = resolveOrgSizes({ users: 300 });
    const a = JSON.stringify(generateOrg(42, sizes), replacer);
    expect(JSON.stringify(generateOrg(42, sizes), replacer)).toBe(a);
    expect(JSON.stringify(generateOrg(43, sizes), replacer)).not.toBe(a);
  });

  it("streams the same ground truth from two simulators with the same seed, equal to groundTruth()", async () => {
    const [one, two] = await Promise.all([startFakeOkta({ seed: 9, users: 250 }), startFakeOkta({ seed: 9, users: 250 })]);
    try {
      const [a, b] = await Promise.all([one, two].map(async (fake) => (await call(fake, "GET", "/__sim/ground-truth", { authorization: null })).text));
      expect(a).toBe(b);
      expect(JSON.parse(a ?? "")).toEqual(await one.groundTruth());
      expect(one.tokens).toEqual(two.tokens);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});

// The default org (no size flags) must cover every case a connector meets (issue #3 §1).
describe("the default org covers every case", () => {
  let fake: FakeOkta;
  let truth: GroundTruth;
  beforeAll(async () => {
    fake = await startFakeOkta();
    truth = await fake.groundTruth();
  });
  afterAll(async () => fake?.close());

  it("has about 200 users, 30 groups and 15 apps, plus 4 API Services apps", () => {
    expect([truth.users.length, truth.groups.length - 1, truth.apps.length]).toEqual([200, 30, 15 + 4]);
  });

  it("has users in every status, users without email, non-ASCII names, second emails and custom attributes", () => {
    expect(new Set(truth.users.map((u) => u.status))).toEqual(new Set(["STAGED", "PROVISIONED", "ACTIVE", "RECOVERY", "PASSWORD_EXPIRED", "LOCKED_OUT", "SUSPENDED", "DEPROVISIONED"]));
    const noEmail = truth.users.filter((u) => u.email === null);
    expect(noEmail.length).toBeGreaterThan(0);
    expect(noEmail.every((u) => !("email" in u.profile) && !u.login.includes("@"))).toBe(true);
    expect(truth.users.some((u) => /[^\u0000-\u007f]/.test(String(u.profile["firstName"])))).toBe(true);
    expect(truth.users.some((u) => u.secondEmail !== null)).toBe(true);
    expect(truth.users.some((u) => typeof u.profile["employeeNumber"] === "string")).toBe(true);
    expect(truth.users.some((u) => Array.isArray(u.profile["skills"]) && typeof u.profile["clearanceLevel"] === "number")).toBe(true);
    expect(new Set(truth.users.map((u) => u.login.toLowerCase())).size).toBe(truth.users.length);
  });

  it("has the BUILT_IN Everyone group with every user, APP_GROUPs, empty groups and a few huge ones", () => {
    const everyone = truth.groups.filter((g) => g.type === "BUILT_IN");
    expect(everyone.map((g) => [g.name, g.memberIds.length])).toEqual([["Everyone", 200]]);
    const appGroups = truth.groups.filter((g) => g.type === "APP_GROUP");
    expect(appGroups.length).toBeGreaterThan(0);
    expect(appGroups.every((g) => truth.apps.some((a) => a.id === g.sourceAppId))).toBe(true);
    const sizes = truth.groups.filter((g) => g.type !== "BUILT_IN").map((g) => g.memberIds.length);
    expect(sizes.filter((n) => n === 0).length).toBeGreaterThan(0);
    expect(sizes.filter((n) => n >= 60).length).toBeGreaterThan(0);
    expect(sizes.filter((n) => n > 0 && n < 20).length).toBeGreaterThan(5);
  });

  it("has ACTIVE and INACTIVE apps, SAML, OIDC, bookmark and SWA, and SCIM provisioning features", () => {
    expect(new Set(truth.apps.map((a) => a.status))).toEqual(new Set(["ACTIVE", "INACTIVE"]));
    expect(new Set(truth.apps.map((a) => a.signOnMode))).toEqual(new Set(["SAML_2_0", "OPENID_CONNECT", "BOOKMARK", "BROWSER_PLUGIN"]));
    expect(truth.apps.some((a) => a.features.includes("PUSH_NEW_USERS") && a.features.includes("SCIM_PROVISIONING"))).toBe(true);
    expect(truth.apps.some((a) => a.features.length === 0)).toBe(true);
  });

  it("assigns apps directly (scope USER), through groups (scope GROUP), and both at once", () => {
    const appUsers = truth.apps.flatMap((a) => a.users);
    expect(appUsers.some((u) => u.scope === "USER" && u.groupIds.length === 0)).toBe(true);
    expect(appUsers.some((u) => u.scope === "GROUP" && u.groupIds.length > 0)).toBe(true);
    expect(appUsers.some((u) => u.scope === "USER" && u.groupIds.length > 0)).toBe(true);
    expect(truth.apps.some((a) => a.groups.some((g) => g.groupId === fake.org.groups.everyone().id))).toBe(true);
    const deprovisioned = new Set(truth.users.filter((u) => u.status === "DEPROVISIONED").map((u) => u.id));
    expect(appUsers.some((u) => deprovisioned.has(u.userId))).toBe(false);
  });

  it("assigns standard roles to users, groups and service apps, and binds custom roles over resource sets to users, groups and service apps", () => {
    expect(new Set(truth.roleAssignments.map((a) => a.assigneeType))).toEqual(new Set(["USER", "GROUP", "CLIENT"]));
    expect(truth.roleAssignments.some((a) => a.type === "SUPER_ADMIN")).toBe(true);
    expect(truth.customRoles.length).toBe(3);
    expect(truth.resourceSets.length).toBe(3);
    expect(truth.resourceSets.every((s) => s.resources.length > 0)).toBe(true);
    const members = truth.bindings.flatMap((b) => b.members);
    expect(new Set(members.map((m) => m.assigneeType))).toEqual(new Set(["USER", "GROUP", "CLIENT"]));
  });

  it("has four API Services apps besides OIDC web apps; one holds no role, and only service apps hold roles as clients", () => {
    const service = truth.apps.filter((a) => a.applicationType === "service");
    expect(service).toHaveLength(4);
    expect(service.every((a) => a.signOnMode === "OPENID_CONNECT" && a.clientId === a.id && a.users.length === 0 && a.groups.length === 0)).toBe(true);
    expect(truth.apps.some((a) => a.applicationType === "web")).toBe(true);
    const holders = new Set([
      ...truth.roleAssignments.filter((a) => a.assigneeType === "CLIENT").map((a) => a.assigneeId),
      ...truth.bindings.flatMap((b) => b.members).filter((m) => m.assigneeType === "CLIENT").map((m) => m.assigneeId),
    ]);
    expect([...holders].every((id) => service.some((a) => a.clientId === id))).toBe(true);
    expect(holders.size).toBe(3);
  });
});

/** Member sets and Maps do not stringify; turn them into arrays so the comparison sees them. */
function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Map) return [...value.entries()];
  if (value && typeof value === "object" && "values" in value && typeof (value as { values: unknown }).values === "function" && "size" in value) {
    return [...(value as { values(): Iterable<unknown> }).values()];
  }
  return value;
}
