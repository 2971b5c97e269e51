import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Entitlement } from "../../gen/c1/connector/v2/entitlement_pb.js";
import type { Grant } from "../../gen/c1/connector/v2/grant_pb.js";
import { type CreateAccountResponse, PlaintextDataSchema, type Resource } from "../../gen/c1/connector/v2/resource_pb.js";
import type { AuditEntry } from "../../src/protocol/audit.js";
import { DEFAULT_MAX_RETRIES } from "../../src/okta/client.js";
import { NO_FAULTS } from "../fake-okta/http/faults.js";
import { type FakeOkta, type GroundTruth, startFakeOkta } from "../fake-okta/index.js";
import { LOST_REPLY_CALLS } from "../reliability/support/fault-matrix.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { difference, directAccessOf } from "./support/org-access.js";
import { failureOf, type ProvisioningConnector, startProvisioningConnector } from "./support/provisioning-connector.js";

/**
 * Okta applied the write and its answer was lost (a proxy's 502 or a reset): the connector's retry
 * then meets the change it made ("already assigned", 404, "login already exists", "already active").
 * Every provisioning call must still answer what THIS call did, in its response and its audit line,
 * and leave exactly one effect. The simulator loses the reply of exactly the next write, so each case
 * meets the fault once, whatever the timing.
 */
let fake: FakeOkta;
let truth: GroundTruth;
let connector: ProvisioningConnector;

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 67 });
  truth = await fake.groundTruth();
  connector = await startProvisioningConnector(fake, { token: fake.tokens.super_admin, args: ["--sync-custom-roles"] });
}, 120_000);

afterEach(() => fake.setFaults({ ...NO_FAULTS }));

afterAll(async () => {
  await connector?.stop();
  await fake?.close();
});

type ReplyKind = "502" | "reset";
const KINDS: readonly ReplyKind[] = ["502", "reset"];

/** Loses the reply of the next applied write, and checks afterwards that one was lost. */
async function withLostReply<T>(kind: ReplyKind, call: () => Promise<T>, writes = 1): Promise<T> {
  const from = fake.requestLog().length;
  fake.setFaults({ loseNextReplies: writes, lostReplyKind: kind });
  const result = await call();
  expect(fake.faults().loseNextReplies, "the write's reply was lost").toBe(0);
  const lost = fake.requestLog().slice(from).filter((e) => e.method !== "GET" && e.status === (kind === "502" ? 502 : 0));
  expect(lost).toHaveLength(writes);
  return result;
}

const directAccess = async (): Promise<Set<string>> => directAccessOf(await fake.groundTruth());

/** The audit outcome docs/reliability.md states for `call` (its "Reply lost after the write" table). */
const documentedAudit = (call: string): string => LOST_REPLY_CALLS.find((r) => r.call === call)!.audit;

const lastAudit = async (match: (e: AuditEntry) => boolean): Promise<AuditEntry> => {
  const before = connector.audit().filter(match).length;
  return (await connector.auditOf(match, Math.max(1, before))).at(-1)!;
};

interface GrantCase {
  readonly name: string;
  readonly type: string;
  readonly id: string;
  readonly slug: string;
  /** Principals that lack the access, one per reply kind. */
  readonly principals: readonly { readonly type: "user" | "group"; readonly id: string }[];
  readonly key: (principalId: string) => string;
}

function grantCases(): GrantCase[] {
  const active = truth.users.filter((u) => u.status === "ACTIVE");
  const group = truth.groups.find((g) => g.type === "OKTA_GROUP" && g.memberIds.length > 0)!;
  const app = truth.apps.find((a) => a.status === "ACTIVE")!;
  const binding = truth.bindings[0]!;
  const users = (eligible: (id: string) => boolean, offset: number) =>
    active.filter((u) => eligible(u.id)).slice(offset, offset + KINDS.length).map((u) => ({ type: "user" as const, id: u.id }));
  const appGroups = truth.groups.filter((g) => g.type === "OKTA_GROUP" && !app.groups.some((x) => x.groupId === g.id)).slice(0, KINDS.length);
  return [
    { name: "group membership", type: "group", id: group.id, slug: "member", principals: users((id) => !group.memberIds.includes(id), 0), key: (p) => `group:${group.id}:member:${p}` },
    { name: "app access, user", type: "app", id: app.id, slug: "access", principals: users((id) => !app.users.some((x) => x.userId === id), 10), key: (p) => `app:${app.id}:user:${p}:USER` },
    { name: "app access, group", type: "app", id: app.id, slug: "access", principals: appGroups.map((g) => ({ type: "group" as const, id: g.id })), key: (p) => `app:${app.id}:group:${p}` },
    { name: "standard role", type: "role", id: "REPORT_ADMIN", slug: "assigned", principals: users((id) => !truth.roleAssignments.some((r) => r.assigneeId === id), 20), key: (p) => `role:REPORT_ADMIN:${p}` },
    {
      name: "custom role on a resource set",
      type: "resourceset-binding",
      id: `${binding.resourceSetId}:${binding.roleId}`,
      slug: "member",
      principals: users((id) => !binding.members.some((m) => m.assigneeId === id), 30),
      key: (p) => `binding:${binding.resourceSetId}:${binding.roleId}:${p}`,
    },
  ];
}

describe("Grant and Revoke when Okta's reply to the write is lost", () => {
  const cases = () => grantCases();
  it.each(["group membership", "app access, user", "app access, group", "standard role", "custom role on a resource set"].flatMap((name) => KINDS.map((kind, i) => [name, kind, i] as const)))(
    "%s, reply lost as %s: Grant answers granted and Revoke answers revoked, each with one effect",
    async (name, kind, index) => {
      const c = cases().find((x) => x.name === name)!;
      const principalId = c.principals[index]!.id;
      const entitlement: Entitlement = await connector.entitlement(c.type, c.id, c.slug);
      const principal: Resource = await connector.resource(c.principals[index]!.type, principalId);
      const before = await directAccess();
      const isThis = (op: string) => (e: AuditEntry) => e.operation === op && e.entitlementId === entitlement.id && e.principal === `${c.principals[index]!.type}:${principalId}`;

      const granted = await withLostReply(kind, () => connector.clients.grantManager.grant({ entitlement, principal }));
      expect(granted.annotations, "no GrantAlreadyExists: this call made the grant").toEqual([]);
      expect((await lastAudit(isThis("grant"))).outcome).toBe(documentedAudit(`Grant: ${name}`));
      expect(difference(await directAccess(), before)).toEqual({ added: [c.key(principalId)], removed: [] });

      const revoked = await withLostReply(kind, () => connector.clients.grantManager.revoke({ grant: granted.grants[0] as Grant }));
      expect(revoked.annotations, "no GrantAlreadyRevoked: this call removed it").toEqual([]);
      expect((await lastAudit(isThis("revoke"))).outcome).toBe(documentedAudit("Revoke: each of the five above"));
      expect(difference(await directAccess(), before)).toEqual({ added: [], removed: [] });
    },
    60_000,
  );
});

describe("Grant and Revoke when every attempt's reply is lost", () => {
  // Okta answers a repeated membership PUT or DELETE 204 again, so each of the executor's attempts can
  // lose its answer; the call must then read whether its write landed, not give up as UNAVAILABLE
  // (a CI run met six lost replies in a row under lostReplyRate 0.5).
  it("group membership: Grant answers granted and Revoke answers revoked, each with one effect", async () => {
    const c = grantCases().find((x) => x.name === "group membership")!;
    const group = truth.groups.find((g) => g.id === c.id)!;
    const userId = truth.users.filter((u) => u.status === "ACTIVE" && !group.memberIds.includes(u.id))[40]!.id;
    const entitlement: Entitlement = await connector.entitlement(c.type, c.id, c.slug);
    const principal: Resource = await connector.resource("user", userId);
    const before = await directAccess();
    const attempts = DEFAULT_MAX_RETRIES + 1;

    const granted = await withLostReply("reset", () => connector.clients.grantManager.grant({ entitlement, principal }), attempts);
    expect(granted.annotations, "no GrantAlreadyExists: this call made the grant").toEqual([]);
    expect(difference(await directAccess(), before)).toEqual({ added: [c.key(userId)], removed: [] });

    const revoked = await withLostReply("502", () => connector.clients.grantManager.revoke({ grant: granted.grants[0] as Grant }), attempts);
    expect(revoked.annotations, "no GrantAlreadyRevoked: this call removed it").toEqual([]);
    expect(difference(await directAccess(), before)).toEqual({ added: [], removed: [] });
  }, 120_000);
});

let serial = 0;
function person(extra: Record<string, unknown> = {}) {
  serial++;
  const login = `ada.lovelace${serial}@engine.example`;
  return { login, profile: { first_name: "Ada", last_name: "Lovelace", email: login, ...extra } };
}

function passwordOf(response: CreateAccountResponse): string | undefined {
  const found = response.annotations.map((a) => anyUnpack(a, PlaintextDataSchema)).find((p) => p !== undefined);
  return found ? Buffer.from(found.bytes).toString("utf8") : undefined;
}

describe("CreateAccount with a random password when Okta's reply to the create is lost", () => {
  it.each([
    ["activated at creation, reply lost as 502", {}, "502", 1],
    ["activated at creation, reply lost as a reset", {}, "reset", 1],
    ["send_activation_email=false (created STAGED, then activated)", { send_activation_email: false }, "502", 1],
    ["send_activation_email=false, and the activation's reply is lost too", { send_activation_email: false }, "reset", 2],
  ] as const)("%s: one ACTIVE account, answered as created with the password Okta holds", async (_name, extra, kind, writes) => {
    const p = person(extra);
    const response = await withLostReply(kind, () => connector.accounts.createAccount({
      accountInfo: { profile: p.profile },
      credentialOptions: { options: { case: "randomPassword", value: { length: 20n } } },
    }), writes);
    expect(response.result.case).toBe("success");
    const id = response.result.value!.resource!.id!.resource;
    const holders = (await fake.groundTruth()).users.filter((u) => u.login === p.login);
    expect(holders.map((u) => [u.id, u.status])).toEqual([[id, "ACTIVE"]]);
    const password = passwordOf(response);
    expect(password).toHaveLength(20);
    expect(fake.passwordMatches(id, password!), "the password handed back is the one Okta holds").toBe(true);
    expect(fake.passwordMatches(id, `${password!}x`)).toBe(false);
    const line = await lastAudit((e) => e.operation === "create_account" && e.resource === `user:${id}`);
    expect(line.outcome).toBe(documentedAudit("CreateAccount, random password"));
  }, 60_000);

  it("when the activation after a create keeps failing, the error names the STAGED account and how to recover", async () => {
    const p = person({ send_activation_email: false });
    fake.setFaults({ errorRate: 1, buckets: ["user-write"] });
    const failure = await failureOf(connector.accounts.createAccount({
      accountInfo: { profile: p.profile },
      credentialOptions: { options: { case: "randomPassword", value: { length: 20n } } },
    }));
    fake.setFaults({ errorRate: 0, buckets: [] });
    const [holder] = (await fake.groundTruth()).users.filter((u) => u.login === p.login);
    expect(holder?.status).toBe("STAGED");
    expect(failure.code).toBe(Code.Unavailable);
    expect(failure.rawMessage).toContain(`account ${holder!.id} ("${p.login}") was created by this call but is STAGED`);
    expect(failure.rawMessage).toContain(`delete it (DeleteResource, user ${holder!.id}) and call CreateAccount again`);
  }, 60_000);

  it("a login that was already taken before the call is still answered alreadyExists, with no password", async () => {
    const p = person();
    const first = await connector.accounts.createAccount({ accountInfo: { profile: p.profile }, credentialOptions: { options: { case: "randomPassword", value: { length: 16n } } } });
    // The refused create is not applied, so the armed fault stays armed: no reply of this call is lost.
    fake.setFaults({ loseNextReplies: 1 });
    const again = await connector.accounts.createAccount({ accountInfo: { profile: p.profile }, credentialOptions: { options: { case: "randomPassword", value: { length: 16n } } } });
    expect(again.result.case).toBe("alreadyExists");
    expect(again.result.value!.resource!.id!.resource).toBe(first.result.value!.resource!.id!.resource);
    expect(passwordOf(again)).toBeUndefined();
  });
});

describe("actions and delete when Okta's reply to the write is lost", () => {
  const staged = async (): Promise<string> => {
    const response = await connector.accounts.createAccount({ accountInfo: { profile: person({ create_inactive: true }).profile }, credentialOptions: { options: { case: "randomPassword", value: { length: 16n } } } });
    return response.result.value!.resource!.id!.resource;
  };
  const statusOf = async (id: string) => (await fake.groundTruth()).users.find((u) => u.id === id)?.status;
  const invoke = (name: string, id: string) => connector.actions.invokeAction({ name, args: { user_id: id } });
  const isAction = (name: string, id: string) => (e: AuditEntry) => e.operation === "invoke_action" && e.action === name && e.arguments?.["user_id"] === id;

  it.each(KINDS)("enable_user (activate), disable_user (suspend) and enable_user (unsuspend), replies lost as %s, each answer changed", async (kind) => {
    const id = await staged();
    for (const [name, outcome, status] of [["enable_user", "activated", "ACTIVE"], ["disable_user", "suspended", "SUSPENDED"], ["enable_user", "unsuspended", "ACTIVE"]] as const) {
      // enable_user runs twice on this user: wait for this call's line, not the earlier one (pino
      // writes asynchronously, so the new line may not be there yet when the call returns).
      const earlier = connector.audit().filter(isAction(name, id)).length;
      const response = await withLostReply(kind, () => invoke(name, id));
      expect(response.response, `${name} → ${outcome}`).toMatchObject({ success: true, changed: true });
      expect((await connector.auditOf(isAction(name, id), earlier + 1)).at(-1)!.outcome).toBe(outcome);
      expect(documentedAudit(name).split(" / ")).toContain(outcome);
      expect(await statusOf(id)).toBe(status);
    }
  }, 60_000);

  it.each(KINDS)("DeleteResourceV2 of an ACTIVE user whose deactivation and deletion replies are lost as %s: deleted, not already gone", async (kind) => {
    const id = await staged();
    await invoke("enable_user", id);
    const response = await withLostReply(kind, () => connector.deleter.deleteResourceV2({ resourceId: { resourceType: "user", resource: id } }), 2);
    expect(response.annotations, "no ResourceDoesNotExist: this call deleted it").toEqual([]);
    expect((await lastAudit((e) => e.operation === "delete_resource" && e.resource === `user:${id}`)).outcome).toBe(documentedAudit("DeleteResource (user)"));
    expect(await statusOf(id)).toBeUndefined();
  }, 60_000);
});
