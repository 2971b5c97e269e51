import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOkta, type FakeOkta } from "./index.js";
import { call } from "./test-support.js";

// A client handed a password can only prove it is Okta's by comparing it with what the API last set.
describe("passwords set through the API", () => {
  let fake: FakeOkta;
  beforeAll(async () => {
    fake = await startFakeOkta({ seed: 83, users: 10 });
  });
  afterAll(async () => fake?.close());

  it("the create's password matches, an administrator's new one replaces it, and a generated user has none", async () => {
    const login = "pass.word@example.com";
    const created = await call(fake, "POST", "/api/v1/users", { body: { profile: { firstName: "Pass", lastName: "Word", login, email: login }, credentials: { password: { value: "First-Secret-1" } } } });
    const id = (created.body as { id: string }).id;
    expect([fake.passwordMatches(id, "First-Secret-1"), fake.passwordMatches(id, "first-secret-1")]).toEqual([true, false]);
    expect((await call(fake, "POST", `/api/v1/users/${id}`, { body: { credentials: { password: { value: "Second-Secret-2" } } } })).status).toBe(200);
    expect([fake.passwordMatches(id, "First-Secret-1"), fake.passwordMatches(id, "Second-Secret-2")]).toEqual([false, true]);
    const generated = fake.org.users.all().find((u) => u.id !== id)!;
    expect(fake.passwordMatches(generated.id, "")).toBe(false);
    expect(fake.passwordMatches("00u0000000000000000x", "First-Secret-1")).toBe(false);
  });
});
