import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { generateKeyPairSync } from "node:crypto";
import { compactDecrypt, importJWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BatonActionStatus } from "../../gen/c1/connector/v2/action_pb.js";
import { ResourceDoesNotExistSchema } from "../../gen/c1/connector/v2/annotation_resource_pb.js";
import { type CreateAccountResponse, PlaintextDataSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import { type FakeOkta, startFakeOkta } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { failureOf, type ProvisioningConnector, startProvisioningConnector } from "./support/provisioning-connector.js";

/**
 * Accounts: CreateAccount with each credential option and activation choice, a duplicate login,
 * DeleteResource for users, and the enable_user / disable_user actions, checked against the simulated
 * org's state and its request log.
 */
let fake: FakeOkta;
let connector: ProvisioningConnector;

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 41 });
  connector = await startProvisioningConnector(fake, { token: fake.tokens.super_admin });
}, 120_000);

afterAll(async () => {
  await connector?.stop();
  await fake?.close();
});

let serial = 0;
function person(extra: Record<string, unknown> = {}) {
  serial++;
  const login = `grace.hopper${serial}@navy.example`;
  return { login, profile: { first_name: "Grace", last_name: "Hopper", email: login, ...extra } };
}

async function oktaUser(id: string) {
  return (await fake.groundTruth()).users.find((u) => u.id === id);
}

function resultOf(response: CreateAccountResponse) {
  const r = response.result;
  return { kind: r.case, id: r.value?.resource?.id?.resource ?? "", resource: r.value?.resource };
}

function plaintextOf(response: CreateAccountResponse): string | undefined {
  const found = response.annotations.map((a) => anyUnpack(a, PlaintextDataSchema)).find((p) => p !== undefined);
  return found ? Buffer.from(found.bytes).toString("utf8") : undefined;
}

describe("CreateAccount", () => {
  it("NO_PASSWORD: Okta e-mails an activation link, so the result is action-required and no secret comes back", async () => {
    const p = person();
    const response = await connector.accounts.createAccount({ accountInfo: { profile: p.profile }, credentialOptions: { options: { case: "noPassword", value: {} } } });
    const result = resultOf(response);
    expect(result.kind).toBe("actionRequired");
    expect(response.result.case === "actionRequired" && response.result.value.message).toMatch(/activation link/);
    expect(plaintextOf(response)).toBeUndefined();
    expect(response.encryptedData).toEqual([]);
    expect(await oktaUser(result.id)).toMatchObject({ status: "PROVISIONED", login: p.login, email: p.login });
    // The account is returned as the next sync lists it.
    expect(result.resource?.displayName).toBe("Grace Hopper");
  });

  it("RANDOM_PASSWORD: the password comes back as PlaintextData, meets the policy, and is never logged", async () => {
    const p = person();
    const response = await connector.accounts.createAccount({
      accountInfo: { profile: p.profile },
      credentialOptions: { options: { case: "randomPassword", value: { length: 16n } } },
    });
    const result = resultOf(response);
    expect(result.kind).toBe("success");
    const password = plaintextOf(response)!;
    // Okta's default policy (8+, lower, upper, digit, no part of the names), plus a symbol.
    expect(password).toHaveLength(16);
    expect(password).toMatch(/[a-z]/);
    expect(password).toMatch(/[A-Z]/);
    expect(password).toMatch(/[0-9]/);
    expect(password).toMatch(/[^A-Za-z0-9]/);
    for (const part of ["grace", "hopper", "navy"]) expect(password.toLowerCase()).not.toContain(part);
    expect(await oktaUser(result.id)).toMatchObject({ status: "ACTIVE" });
    expect(connector.process.stdout() + connector.process.stderr()).not.toContain(password);
    const [line] = await connector.auditOf((e) => e.operation === "create_account" && e.resource === `user:${result.id}`, 1);
    expect(line).toMatchObject({ outcome: "created", resourceType: "user" });
  });

  it("RANDOM_PASSWORD with a baton/jwk/v1 EC key: the password comes back encrypted to that key only", async () => {
    const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const response = await connector.accounts.createAccount({
      accountInfo: { profile: person().profile },
      credentialOptions: { options: { case: "randomPassword", value: { length: 20n } } },
      encryptionConfigs: [{ provider: "baton/jwk/v1", config: { case: "jwkPublicKeyConfig", value: { pubKey: Buffer.from(JSON.stringify(publicKey.export({ format: "jwk" }))) } } }],
    });
    expect(plaintextOf(response)).toBeUndefined();
    expect(response.encryptedData).toHaveLength(1);
    const compact = Buffer.from(Buffer.from(response.encryptedData[0]!.encryptedBytes).toString("utf8"), "base64").toString("utf8");
    const { plaintext } = await compactDecrypt(compact, await importJWK(privateKey.export({ format: "jwk" }), "ECDH-ES"));
    expect(Buffer.from(plaintext).toString("utf8")).toMatch(/^\S{20}$/);
  });

  it("refuses an encryption key it cannot use before creating anything", async () => {
    const p = person();
    const ed = generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" });
    const failure = await failureOf(
      connector.accounts.createAccount({
        accountInfo: { profile: p.profile },
        credentialOptions: { options: { case: "randomPassword", value: { length: 20n } } },
        encryptionConfigs: [{ provider: "baton/jwk/v1", config: { case: "jwkPublicKeyConfig", value: { pubKey: Buffer.from(JSON.stringify(ed)) } } }],
      }),
    );
    expect(failure.code).toBe(Code.InvalidArgument);
    expect((await fake.groundTruth()).users.some((u) => u.login === p.login)).toBe(false);
  });

  it.each([
    ["create_inactive", "STAGED", { create_inactive: true }, "success"],
    ["create_inactive given as baton-okta's string", "STAGED", { create_inactive: "true" }, "success"],
    ["send_activation_email=false", "PROVISIONED", { send_activation_email: false }, "actionRequired"],
  ])("%s: the user ends %s", async (_name, status, extra, kind) => {
    const response = await connector.accounts.createAccount({ accountInfo: { profile: person(extra).profile } });
    const result = resultOf(response);
    expect(result.kind).toBe(kind);
    expect((await oktaUser(result.id))?.status).toBe(status);
  });

  it("a duplicate login returns the existing account with the already-exists result and creates nothing", async () => {
    const p = person();
    const first = resultOf(await connector.accounts.createAccount({ accountInfo: { profile: p.profile } }));
    const second = await connector.accounts.createAccount({ accountInfo: { profile: { ...p.profile, first_name: "Another" } }, credentialOptions: { options: { case: "randomPassword", value: { length: 12n } } } });
    expect(resultOf(second)).toMatchObject({ kind: "alreadyExists", id: first.id });
    expect(plaintextOf(second)).toBeUndefined();
    expect((await fake.groundTruth()).users.filter((u) => u.login === p.login)).toHaveLength(1);
  });

  it.each([
    ["a missing first name", { last_name: "H", email: "h@navy.example" }, undefined, "account_info.profile.first_name: is required"],
    ["an unknown provider type", { ...person().profile, provider_type: "LDAP" }, undefined, /provider_type: "LDAP" is not OKTA or FEDERATION/],
    ["a protected key in additionalAttributes", { ...person().profile, additionalAttributes: { login: "x" } }, undefined, /additionalAttributes\.login/],
    ["an SSO credential", person().profile, { options: { case: "sso" as const, value: { ssoProvider: "x" } } }, /credential_options\.sso: is not supported/],
    ["a password of 7 characters", person().profile, { options: { case: "randomPassword" as const, value: { length: 7n } } }, /7 is not within 8\.\.64/],
  ])("refuses %s with INVALID_ARGUMENT naming the field", async (_name, profile, credentialOptions, message) => {
    const before = (await fake.groundTruth()).users.length;
    const failure = await failureOf(connector.accounts.createAccount({ accountInfo: { profile }, ...(credentialOptions ? { credentialOptions } : {}) }));
    expect(failure.code).toBe(Code.InvalidArgument);
    expect(failure.rawMessage).toMatch(message);
    expect((await fake.groundTruth()).users.length).toBe(before);
  });
});

describe("DeleteResource for users", () => {
  it.each(["DeleteResourceV2", "DeleteResource"])("%s deactivates, deletes and verifies; a repeat answers ResourceDoesNotExist", async (rpc) => {
    const id = resultOf(await connector.accounts.createAccount({ accountInfo: { profile: person().profile }, credentialOptions: { options: { case: "randomPassword", value: { length: 12n } } } })).id;
    const del = (resourceId: { resourceType: string; resource: string }) =>
      rpc === "DeleteResourceV2" ? connector.deleter.deleteResourceV2({ resourceId }) : connector.manager.deleteResource({ resourceId });
    const from = fake.requestLog().length;
    const first = await del({ resourceType: "user", resource: id });
    expect(first.annotations.some((a) => anyUnpack(a, ResourceDoesNotExistSchema))).toBe(false);
    expect(await oktaUser(id)).toBeUndefined();
    const calls = fake.requestLog().slice(from).map((e) => `${e.method} ${e.path.split("?")[0]} ${e.status}`);
    expect(calls).toEqual(expect.arrayContaining([`POST /api/v1/users/${id}/lifecycle/deactivate 200`, `DELETE /api/v1/users/${id} 204`, `GET /api/v1/users/${id} 404`]));
    const again = await del({ resourceType: "user", resource: id });
    expect(again.annotations.some((a) => anyUnpack(a, ResourceDoesNotExistSchema))).toBe(true);
  });

  it("refuses a resource type that cannot be deleted with UNIMPLEMENTED", async () => {
    const failure = await failureOf(connector.deleter.deleteResourceV2({ resourceId: { resourceType: "group", resource: "00g1" } }));
    expect(failure.code).toBe(Code.Unimplemented);
  });
});

describe("enable_user and disable_user actions", () => {
  it("lists both schemas with a required user_id argument", async () => {
    const { schemas } = await connector.actions.listActionSchemas({});
    expect(schemas.map((s) => s.name).sort()).toEqual(["disable_user", "enable_user"]);
    for (const s of schemas) expect(s.arguments.map((a) => [a.name, a.isRequired, a.field.case])).toEqual([["user_id", true, "stringField"]]);
    expect((await connector.actions.getActionSchema({ name: "enable_user" })).schema?.actionType).toEqual([2, 5]);
    expect((await failureOf(connector.actions.getActionSchema({ name: "reset_mfa" }))).code).toBe(Code.NotFound);
  });

  it("suspends an ACTIVE user and unsuspends it; repeats change nothing; the result can be read back", async () => {
    const id = resultOf(await connector.accounts.createAccount({ accountInfo: { profile: person().profile }, credentialOptions: { options: { case: "randomPassword", value: { length: 12n } } } })).id;
    const invoke = (name: string) => connector.actions.invokeAction({ name, args: { user_id: id } });

    const disabled = await invoke("disable_user");
    expect(disabled.status).toBe(BatonActionStatus.COMPLETE);
    expect(disabled.response).toMatchObject({ success: true, status: "SUSPENDED", changed: true });
    expect((await oktaUser(id))?.status).toBe("SUSPENDED");
    expect((await invoke("disable_user")).response).toMatchObject({ changed: false });

    const enabled = await invoke("enable_user");
    expect(enabled.response).toMatchObject({ status: "ACTIVE", changed: true });
    expect((await oktaUser(id))?.status).toBe("ACTIVE");
    expect((await connector.actions.getActionStatus({ id: enabled.id })).status).toBe(BatonActionStatus.COMPLETE);
    const lines = await connector.auditOf((e) => e.operation === "invoke_action" && e.arguments?.["user_id"] === id, 3);
    expect(lines.map((e) => [e.action, e.outcome])).toEqual([["disable_user", "suspended"], ["disable_user", "already_disabled"], ["enable_user", "unsuspended"]]);
  });

  it("activates a STAGED user and refuses to suspend one that is not ACTIVE", async () => {
    const staged = resultOf(await connector.accounts.createAccount({ accountInfo: { profile: person({ create_inactive: true }).profile } })).id;
    const provisioned = resultOf(await connector.accounts.createAccount({ accountInfo: { profile: person().profile } })).id;
    await connector.actions.invokeAction({ name: "enable_user", args: { user_id: staged } });
    expect((await oktaUser(staged))?.status).toBe("PROVISIONED");
    const failure = await failureOf(connector.actions.invokeAction({ name: "disable_user", args: { user_id: provisioned } }));
    expect(failure.code).toBe(Code.FailedPrecondition);
    expect(failure.rawMessage).toMatch(/only suspend ACTIVE users/);
    expect((await failureOf(connector.actions.invokeAction({ name: "disable_user", args: { user_id: "00u/../groups" } }))).code).toBe(Code.InvalidArgument);
  });
});
