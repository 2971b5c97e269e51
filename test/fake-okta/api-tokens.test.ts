import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOkta, type FakeOkta, type GroundTruth } from "./index.js";
import { call, collect, listAll, sdkClient } from "./test-support.js";

/** The roles Okta lets create API tokens; the generator picks owners among their holders. */
const CREATOR_ROLES = new Set(["SUPER_ADMIN", "ORG_ADMIN", "USER_ADMIN", "GROUP_MEMBERSHIP_ADMIN", "READ_ONLY_ADMIN"]);

describe("API tokens", () => {
  let fake: FakeOkta;
  let truth: GroundTruth;
  beforeAll(async () => {
    fake = await startFakeOkta({ seed: 23, users: 120, apiTokens: 45 });
    truth = await fake.groundTruth();
  });
  afterAll(async () => fake?.close());

  it("are owned by ACTIVE admins whose role may create tokens, several per admin when there are more tokens than admins", () => {
    expect(truth.apiTokens.length).toBe(45);
    const users = new Map(truth.users.map((u) => [u.id, u]));
    const creators = new Set(truth.roleAssignments.filter((r) => r.assigneeType === "USER" && CREATOR_ROLES.has(r.type)).map((r) => r.assigneeId));
    for (const token of truth.apiTokens) {
      expect(users.get(token.userId)?.status, token.id).toBe("ACTIVE");
      expect(creators.has(token.userId), token.id).toBe(true);
      expect(token.id).toMatch(/^00T[0-9A-Za-z]{17}$/);
    }
    expect(new Set(truth.apiTokens.map((t) => t.userId)).size).toBeLessThan(45);
    expect(new Set(truth.apiTokens.map((t) => t.clientName))).toContain("Okta API");
    expect(truth.apiTokens.some((t) => t.network.connection === "ZONE")).toBe(true);
  });

  it("are listed 20 per page by default, and the SDK's listApiTokens follows the Link header to the ground truth", async () => {
    const { items, pages } = await listAll(fake, "/api/v1/api-tokens");
    expect(pages).toBe(3);
    expect(items.map((t) => t["id"])).toEqual(truth.apiTokens.map((t) => t.id));
    const viaSdk = await collect(await sdkClient(fake).apiTokenApi.listApiTokens());
    expect(viaSdk.map((t) => [t.id, t.userId, t.name, t.tokenWindow])).toEqual(truth.apiTokens.map((t) => [t.id, t.userId, t.name, t.tokenWindow]));
    expect((await listAll(fake, "/api/v1/api-tokens?limit=200")).pages).toBe(1);
  });

  it("serve metadata only: no field of any token holds one of the org's SSWS token values", async () => {
    const { items } = await listAll(fake, "/api/v1/api-tokens?limit=200");
    const text = JSON.stringify(items);
    for (const secret of Object.values(fake.tokens)) expect(text).not.toContain(secret);
    expect(Object.keys(items[0] ?? {}).sort()).toEqual(["_links", "clientName", "created", "expiresAt", "id", "lastUpdated", "name", "network", "tokenWindow", "userId"]);
  });

  it("of an owner who is deactivated are no longer active: gone from the listing, the get and the ground truth", async () => {
    const victim = truth.apiTokens[0]!;
    const theirs = truth.apiTokens.filter((t) => t.userId === victim.userId).map((t) => t.id);
    expect((await call(fake, "GET", `/api/v1/api-tokens/${victim.id}`)).status).toBe(200);
    expect((await call(fake, "POST", `/api/v1/users/${victim.userId}/lifecycle/deactivate`)).status).toBe(200);
    const { items } = await listAll(fake, "/api/v1/api-tokens?limit=200");
    expect(items.length).toBe(45 - theirs.length);
    expect(items.map((t) => t["id"]).filter((id) => theirs.includes(String(id)))).toEqual([]);
    expect((await call(fake, "GET", `/api/v1/api-tokens/${victim.id}`)).status).toBe(404);
    expect((await fake.groundTruth()).apiTokens.map((t) => t.id)).toEqual(items.map((t) => t["id"]));
  });
});
