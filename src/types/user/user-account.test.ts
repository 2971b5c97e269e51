import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ResourceSchema } from "../../../gen/c1/connector/v2/resource_pb.js";
import { currentCallContext } from "../../okta/call-context.js";
import { OktaError, type OktaUser } from "../../okta/index.js";
import type { AccountRequest } from "../../protocol/resource-syncer.js";
import { createUserAccounts, type UserAccountDeps } from "./user-account.js";

/**
 * The create lands in Okta but no attempt gets an answer (the reply is lost, then every retry meets
 * an outage), so the executor gives up with UNAVAILABLE. The generated password is still in this
 * call's hands: a read decides whether the account is its own.
 */
const ctx = { signal: new AbortController().signal };
const request: AccountRequest = {
  login: "",
  emails: [],
  profile: { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" },
  credential: { kind: "random-password", length: 16, constraints: [] },
  forceChangeAtNextLogin: false,
};
const outage = () => new OktaError({ kind: "unavailable", message: "HTTP 503 after 6 attempts", status: 503 });

function usersApi(options: { lands: boolean; read: "works" | "fails"; createdBy?: "this-call" | "someone-else" }) {
  const org: OktaUser[] = [];
  const okta = {
    async createUser(body: { profile: Record<string, string> }) {
      if (options.lands) {
        const created = options.createdBy === "someone-else" ? "2020-01-01T00:00:00.000Z" : new Date().toISOString();
        org.push({ id: "00u1abcdefghijklmnop", status: "ACTIVE", created, lastLogin: null, passwordChanged: created, profile: body.profile } as unknown as OktaUser);
      }
      // The executor reports an attempt that ended without an answer, then gives up.
      currentCallContext().onUncertainWrite?.();
      throw outage();
    },
    async listUsers() {
      if (options.read === "fails") throw outage();
      return { items: org, next: undefined };
    },
    async activateUser() {},
    async getUser() {
      return org[0]!;
    },
  } as unknown as UserAccountDeps["okta"];
  return createUserAccounts({ okta, resourceOf: (user) => create(ResourceSchema, { displayName: user.id }) });
}

describe("CreateAccount when the create may have landed and no attempt got an answer", () => {
  it("finds the fresh account by login and answers created with the password the create carried", async () => {
    const outcome = await usersApi({ lands: true, read: "works" }).createAccount(request, ctx);
    expect(outcome.result).toBe("created");
    expect(outcome.secrets.map((s) => s.name)).toEqual(["password"]);
  });

  it("answers the outage when nothing landed, so a retry is safe", async () => {
    await expect(usersApi({ lands: false, read: "works" }).createAccount(request, ctx)).rejects.toMatchObject({ kind: "unavailable", message: "HTTP 503 after 6 attempts" });
  });

  it("does not claim an older account holding the login", async () => {
    await expect(usersApi({ lands: true, read: "works", createdBy: "someone-else" }).createAccount(request, ctx)).rejects.toMatchObject({ kind: "unavailable" });
  });

  it("when the read fails too, says the account may exist with a password nobody holds, and how to recover", async () => {
    const failure = usersApi({ lands: true, read: "fails" }).createAccount(request, ctx);
    await expect(failure).rejects.toMatchObject({ kind: "unavailable" });
    await expect(failure).rejects.toThrow(/"ada@example.com".*may exist with a password nobody holds.*delete it \(DeleteResource\)/);
  });
});
