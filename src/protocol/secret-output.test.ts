import { create } from "@bufbuild/protobuf";
import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { ConnectError } from "@connectrpc/connect";
import { generateKeyPairSync } from "node:crypto";
import { compactDecrypt, importJWK } from "jose";
import { describe, expect, it } from "vitest";
import { EncryptionConfigSchema, PlaintextDataSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import { JWK_PROVIDER, prepareSecretOutput } from "./secret-output.js";

const secret = { name: "password", description: "Okta password of ada@example.com", value: "Zq8#pL!x2mVb9@rT4kWs" };

function jwkConfig(jwk: object, provider = JWK_PROVIDER) {
  return create(EncryptionConfigSchema, { provider, config: { case: "jwkPublicKeyConfig", value: { pubKey: Buffer.from(JSON.stringify(jwk)) } } });
}

describe("prepareSecretOutput", () => {
  it("returns the secret as a PlaintextData annotation when no encryption config is given", () => {
    const out = prepareSecretOutput([])([secret]);
    expect(out.encryptedData).toEqual([]);
    const plain = anyUnpack(out.annotations[0]!, PlaintextDataSchema);
    expect(plain?.name).toBe("password");
    expect(Buffer.from(plain!.bytes).toString("utf8")).toBe(secret.value);
  });

  it.each(["P-256", "P-384", "P-521"])("encrypts to a baton/jwk/v1 %s key as a JWE the key's owner can decrypt (checked with jose)", async (curve) => {
    const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: curve });
    const out = prepareSecretOutput([jwkConfig(publicKey.export({ format: "jwk" }))])([secret]);
    expect(out.annotations).toEqual([]);
    expect(out.encryptedData).toHaveLength(1);
    const data = out.encryptedData[0]!;
    expect(data.provider).toBe(JWK_PROVIDER);
    expect(data.keyIds).toEqual([data.keyId]);
    expect(data.keyId).toMatch(/^[0-9a-f]{64}$/);
    // baton-sdk's JWK provider stores the compact JWE base64-encoded.
    const compact = Buffer.from(Buffer.from(data.encryptedBytes).toString("utf8"), "base64").toString("utf8");
    expect(compact.split(".")).toHaveLength(5);
    const { plaintext, protectedHeader } = await compactDecrypt(compact, await importJWK(privateKey.export({ format: "jwk" }), "ECDH-ES"));
    expect(protectedHeader).toMatchObject({ alg: "ECDH-ES", enc: "A256GCM" });
    expect(Buffer.from(plaintext).toString("utf8")).toBe(secret.value);
  });

  it.each([
    ["an Ed25519 key (age, not implemented)", () => jwkConfig(generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" })), /OKP key is not supported/],
    ["an RSA key", () => jwkConfig(generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ format: "jwk" })), /RSA key is not supported/],
    ["a private key", () => jwkConfig(generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" })), /is a private key/],
    ["another provider", () => jwkConfig({ kty: "EC" }, "baton/other/v9"), /provider: "baton\/other\/v9" is not supported/],
    ["an age recipient", () => create(EncryptionConfigSchema, { config: { case: "ageRecipientConfig", value: { recipient: "age1xyz" } } }), /age recipients are not supported/],
    ["bytes that are not JSON", () => create(EncryptionConfigSchema, { config: { case: "jwkPublicKeyConfig", value: { pubKey: Buffer.from("{") } } }), /is not a JSON Web Key/],
  ])("refuses %s with INVALID_ARGUMENT before anything is created", (_name, config, message) => {
    let failure: unknown;
    try {
      prepareSecretOutput([config()]);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ConnectError);
    expect((failure as ConnectError).rawMessage).toMatch(message);
    expect((failure as ConnectError).rawMessage).toMatch(/^encryption_configs\[0\]/);
  });
});
