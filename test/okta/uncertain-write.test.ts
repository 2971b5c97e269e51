import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { attemptWrite, createOktaApi, createOktaClient, type OktaApi } from "../../src/okta/index.js";
import { NO_FAULTS } from "../fake-okta/http/faults.js";
import { type FakeOkta, startFakeOkta } from "../fake-okta/index.js";

/**
 * The executor tells `attemptWrite` when an attempt of a write ended without a definite answer, so a
 * provisioning call can tell its own landed write from someone else's. Against the simulated org:
 * a write whose reply is lost (502 or reset) is uncertain; a clean write, a 429 (Okta refused it
 * before acting) and a read are not.
 */
let fake: FakeOkta;
let okta: OktaApi;

beforeAll(async () => {
  fake = await startFakeOkta({ seed: 79, users: 40 });
  okta = createOktaApi(createOktaClient({ orgUrl: fake.url, auth: { kind: "ssws", token: fake.tokens.super_admin }, retryDelay: { baseMs: 10, capMs: 20 } }));
});

afterEach(() => fake.setFaults({ ...NO_FAULTS }));
afterAll(async () => fake?.close());

const group = () => fake.org.groups.all().find((g) => g.type === "OKTA_GROUP")!;
const outsiders = () => fake.org.users.all().filter((u) => u.status === "ACTIVE" && !u.deleted && !fake.org.groups.isMember(group(), u));

describe("attemptWrite", () => {
  it.each(["502", "reset"] as const)("a write retried after its reply was lost as %s succeeds and is marked uncertain", async (kind) => {
    const user = outsiders()[0]!;
    fake.setFaults({ loseNextReplies: 1, lostReplyKind: kind });
    const result = await attemptWrite(() => okta.groups.addGroupMember(group().id, user.id));
    expect(result).toEqual({ ok: true, value: undefined, uncertain: true });
    expect(fake.org.groups.isMember(group(), user)).toBe(true);
  });

  it("a refusal after a lost reply is reported with uncertain set (the refused retry met the landed write)", async () => {
    const role = { type: "REPORT_ADMIN" as const };
    const user = outsiders()[1]!;
    fake.setFaults({ loseNextReplies: 1, lostReplyKind: "502" });
    const result = await attemptWrite(() => okta.roles.assignRoleToUser(user.id, role));
    expect(result.ok).toBe(false);
    expect(result.uncertain).toBe(true);
  });

  it("a clean write, a write refused with 429 and then retried, and a read are certain", async () => {
    const user = outsiders()[2]!;
    expect((await attemptWrite(() => okta.groups.addGroupMember(group().id, user.id))).uncertain).toBe(false);
    const from = fake.requestLog().length;
    fake.setFaults({ stormRate: 1 });
    const pending = attemptWrite(() => okta.groups.removeGroupMember(group().id, user.id));
    while (!fake.requestLog().slice(from).some((e) => e.method === "DELETE" && e.status === 429)) await new Promise((resolve) => setTimeout(resolve, 10));
    fake.setFaults({ stormRate: 0 });
    expect(await pending).toMatchObject({ ok: true, uncertain: false });
    fake.setFaults({ errorRate: 1 });
    expect(await attemptWrite(() => okta.users.getUser(user.id))).toMatchObject({ ok: false, uncertain: false });
  });
});
