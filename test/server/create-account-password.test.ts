import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PlaintextDataSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import { type FakeOkta, startFakeOkta } from "../fake-okta/index.js";
import { type ProvisioningConnector, startProvisioningConnector } from "../provisioning/support/provisioning-connector.js";
import { buildCliIfStale } from "../support/serve-process.js";

/**
 * Issue 13 item 6: RANDOM_PASSWORD constraints that no password can meet answered UNKNOWN when they
 * crowded the password with letters of the user's name (which Okta's policy forbids), and constraints
 * that fit were refused when they already covered a class the connector adds. Impossible ones must be
 * INVALID_ARGUMENT naming the constraint, before anything is written to Okta.
 */
let fake: FakeOkta;
let connector: ProvisioningConnector;
let serial = 0;

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 43, users: 20 });
  connector = await startProvisioningConnector(fake, { token: fake.tokens.super_admin });
}, 120_000);

afterAll(async () => {
  await connector?.stop();
  await fake?.close();
});

function create(firstName: string, length: number, constraints: { charSet: string; minCount: number }[]) {
  serial++;
  return connector.accounts.createAccount({
    accountInfo: { profile: { first_name: firstName, last_name: "Hopper", email: `grace${serial}@navy.example` } },
    credentialOptions: { options: { case: "randomPassword", value: { length: BigInt(length), constraints } } },
  });
}

async function refusal(run: () => Promise<unknown>): Promise<[Code, string]> {
  const before = fake.requestLog().length;
  try {
    await run();
  } catch (error) {
    const writes = fake.requestLog().slice(before).filter((r) => r.method !== "GET");
    expect(writes).toEqual([]);
    const e = ConnectError.from(error);
    return [e.code, e.rawMessage];
  }
  throw new Error("CreateAccount succeeded");
}

describe("CreateAccount with RANDOM_PASSWORD constraints no password meets", () => {
  it("refuses a constraint whose characters always spell part of the user's name with INVALID_ARGUMENT naming it", async () => {
    // Twelve of sixteen characters from "a" always hold "aaa" (four others split them into at most
    // five runs), and "Aaa" is the first name. This once answered UNKNOWN after twenty draws.
    expect(await refusal(() => create("Aaa", 16, [{ charSet: "a", minCount: 12 }]))).toEqual([
      Code.InvalidArgument,
      "credential_options.random_password.constraints[0]: no password of length 16 that meets it avoids the user's names, as Okta's password policy requires; ask for fewer of those characters or a longer password",
    ]);
  });

  it("refuses 5 digits and 5 symbols in 8 characters with INVALID_ARGUMENT naming the constraints", async () => {
    expect(await refusal(() => create("Grace", 8, [{ charSet: "0123456789", minCount: 5 }, { charSet: "!#$%", minCount: 5 }]))).toEqual([
      Code.InvalidArgument,
      "credential_options.random_password: the constraints need 12 characters, more than length 8",
    ]);
  });

  it("creates the account when the constraints fit: 3 digits and 3 symbols in 8", async () => {
    const response = await create("Grace", 8, [{ charSet: "0123456789", minCount: 3 }, { charSet: "!#$%", minCount: 3 }]);
    expect(response.result.case).toBe("success");
    const password = Buffer.from(response.annotations.map((a) => anyUnpack(a, PlaintextDataSchema)).find((p) => p !== undefined)!.bytes).toString("utf8");
    expect(password).toHaveLength(8);
    expect([...password].filter((c) => "0123456789".includes(c)).length).toBeGreaterThanOrEqual(3);
    expect([...password].filter((c) => "!#$%".includes(c)).length).toBeGreaterThanOrEqual(3);
  });
});
