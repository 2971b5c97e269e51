import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOkta, type FakeOkta } from "./index.js";
import type { UserStatus } from "./org/types.js";
import { call } from "./test-support.js";

// User lifecycle rules (okta-api.md §1.1). Each case stages a user in a status out of band, calls the
// operation, and checks the answer and the status that results.
describe("user lifecycle", () => {
  let fake: FakeOkta;
  let counter = 0;

  beforeAll(async () => {
    fake = await startFakeOkta({ seed: 41, users: 20 });
  });
  afterAll(async () => fake?.close());

  async function userIn(status: UserStatus, hasPassword = true): Promise<string> {
    counter++;
    const res = await call(fake, "POST", "/api/v1/users?activate=false", {
      body: { profile: { firstName: "Life", lastName: `Cycle ${counter}`, login: `life.${counter}@example.com`, email: `life.${counter}@example.com` }, ...(hasPassword ? { credentials: { password: { value: "Secret-123" } } } : {}) },
    });
    const id = (res.body as { id: string }).id;
    if (status !== "STAGED") fake.org.forceUserStatus(id, status);
    return id;
  }

  it.each<[string, UserStatus, number, string | UserStatus]>([
    ["activate", "STAGED", 200, "ACTIVE"],
    ["activate", "DEPROVISIONED", 200, "ACTIVE"],
    ["activate", "ACTIVE", 403, "E0000016"],
    ["activate", "SUSPENDED", 403, "E0000016"],
    ["deactivate", "ACTIVE", 200, "DEPROVISIONED"],
    ["deactivate", "LOCKED_OUT", 200, "DEPROVISIONED"],
    ["deactivate", "DEPROVISIONED", 403, "E0000038"],
    ["suspend", "ACTIVE", 200, "SUSPENDED"],
    ["suspend", "STAGED", 400, "E0000001"],
    ["suspend", "SUSPENDED", 400, "E0000001"],
    ["unsuspend", "SUSPENDED", 200, "ACTIVE"],
    ["unsuspend", "ACTIVE", 400, "E0000001"],
    ["reactivate", "PROVISIONED", 200, "PROVISIONED"],
    ["reactivate", "RECOVERY", 200, "PROVISIONED"],
    ["reactivate", "ACTIVE", 403, "E0000038"],
    ["unlock", "LOCKED_OUT", 200, "ACTIVE"],
    ["unlock", "ACTIVE", 403, "E0000038"],
  ])("%s from %s → %i %s", async (op, from, status, outcome) => {
    const id = await userIn(from);
    const res = await call(fake, "POST", `/api/v1/users/${id}/lifecycle/${op}`);
    expect(res.status).toBe(status);
    if (status === 200) expect(fake.org.user(id).status).toBe(outcome);
    else {
      expect((res.body as { errorCode: string }).errorCode).toBe(outcome);
      expect(fake.org.user(id).status).toBe(from);
    }
  });

  it("activates a user without a password to PROVISIONED, and returns the token when sendEmail=false", async () => {
    const id = await userIn("STAGED", false);
    const res = await call(fake, "POST", `/api/v1/users/${id}/lifecycle/activate?sendEmail=false`);
    expect(res.body).toMatchObject({ activationToken: expect.any(String), activationUrl: expect.stringContaining(fake.url) });
    expect(fake.org.user(id).status).toBe("PROVISIONED");
  });

  it("creates STAGED with activate=false, ACTIVE with a password, PROVISIONED without, PASSWORD_EXPIRED with nextLogin", async () => {
    const create = async (query: string, password: boolean) => {
      counter++;
      const login = `create.${counter}@example.com`;
      const res = await call(fake, "POST", `/api/v1/users${query}`, { body: { profile: { firstName: "C", lastName: "U", login, email: login }, ...(password ? { credentials: { password: { value: "Secret-123" } } } : {}) } });
      return res.status === 200 ? (res.body as { status: string }).status : (res.body as { errorCode: string }).errorCode;
    };
    expect(await create("?activate=false", true)).toBe("STAGED");
    expect(await create("", true)).toBe("ACTIVE");
    expect(await create("?activate=true", false)).toBe("PROVISIONED");
    expect(await create("?provider=true", false)).toBe("ACTIVE");
    expect(await create("?nextLogin=changePassword", true)).toBe("PASSWORD_EXPIRED");
    expect(await create("?nextLogin=changePassword", false)).toBe("E0000124");
    expect(await create("?nextLogin=changePassword&activate=false", true)).toBe("E0000125");
  });

  it("refuses a duplicate login, case-insensitively, with Okta's cause", async () => {
    const existing = fake.org.users.all()[0]?.profile.login ?? "";
    const res = await call(fake, "POST", "/api/v1/users", { body: { profile: { firstName: "D", lastName: "U", login: existing.toUpperCase() } } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errorCode: "E0000001", errorCauses: [{ errorSummary: "login: An object with this field already exists in the current organization" }] });
  });

  it("deletes in two steps: the first DELETE deactivates, the second deletes, a third is 404", async () => {
    const id = await userIn("ACTIVE");
    expect((await call(fake, "DELETE", `/api/v1/users/${id}`)).status).toBe(204);
    expect(fake.org.user(id).status).toBe("DEPROVISIONED");
    expect((await call(fake, "DELETE", `/api/v1/users/${id}`)).status).toBe(204);
    expect((await call(fake, "GET", `/api/v1/users/${id}`)).status).toBe(404);
    expect((await call(fake, "DELETE", `/api/v1/users/${id}`)).status).toBe(404);
    expect((await fake.groundTruth()).users.some((u) => u.id === id)).toBe(false);
  });

  it("removes a deactivated user's direct app assignments but keeps its group memberships", async () => {
    const id = await userIn("ACTIVE");
    const app = fake.org.apps.all()[0];
    const group = fake.org.groups.all().find((g) => g.type === "OKTA_GROUP");
    expect((await call(fake, "POST", `/api/v1/apps/${app?.id}/users`, { body: { id } })).status).toBe(200);
    expect((await call(fake, "PUT", `/api/v1/groups/${group?.id}/users/${id}`)).status).toBe(204);
    await call(fake, "POST", `/api/v1/users/${id}/lifecycle/deactivate`);
    expect((await call(fake, "GET", `/api/v1/apps/${app?.id}/users/${id}`)).status).toBe(404);
    const members = (await call(fake, "GET", `/api/v1/groups/${group?.id}/users?limit=1000`)).body as { id: string }[];
    expect(members.map((m) => m.id)).toContain(id);
  });

  it("updates profiles partially with POST and wholly with PUT, and logs every write", async () => {
    const id = await userIn("ACTIVE");
    const before = fake.org.log.lastSeq();
    const partial = await call(fake, "POST", `/api/v1/users/${id}`, { body: { profile: { nickName: "Lifey" } } });
    expect((partial.body as { profile: Record<string, unknown> }).profile).toMatchObject({ nickName: "Lifey", firstName: "Life" });
    const replaced = await call(fake, "PUT", `/api/v1/users/${id}`, { body: { profile: { login: `re.${id}@example.com`, firstName: "Re" } } });
    expect((replaced.body as { profile: Record<string, unknown> }).profile).toEqual({ login: `re.${id}@example.com`, firstName: "Re" });
    await call(fake, "POST", `/api/v1/users/${id}/lifecycle/suspend`);
    const events = fake.org.log.events().filter((e) => e.seq > before).map((e) => [e.eventType, e.targets[0]?.id]);
    expect(events).toEqual([["user.account.update_profile", id], ["user.account.update_profile", id], ["user.lifecycle.suspend", id]]);
  });
});
