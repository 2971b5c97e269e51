import { create } from "@bufbuild/protobuf";
import type { Any } from "@bufbuild/protobuf/wkt";
import { createCipheriv, createHash, createPublicKey, diffieHellman, generateKeyPairSync, type JsonWebKey, type KeyObject, randomBytes } from "node:crypto";
import { type EncryptedData, EncryptedDataSchema, type EncryptionConfig, PlaintextDataSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import { pack } from "./annotations.js";
import { invalid } from "./validate-request.js";

/**
 * How a secret made by a provisioning call (a generated password) goes back to the caller.
 *
 * - With encryption configs, as baton-sdk does: one EncryptedData per config. Provider
 *   `baton/jwk/v1` with an EC public key (P-256, P-384, P-521) is supported: a compact JWE with
 *   ECDH-ES and A256GCM, base64-encoded, exactly what baton-sdk's JWK provider produces for EC keys
 *   (its Ed25519 and RSA keys use age instead, which is not implemented here).
 * - Without any config, baton-sdk drops the secret. We return it as baton's PlaintextData message in
 *   the response annotations, so a caller who asked for a random password over a channel it trusts
 *   (TLS, a local socket) can hand it on. It is never logged.
 *
 * Configs are checked before the call changes anything, so an unusable key cannot leave behind an
 * account whose password nobody can read.
 */
export const JWK_PROVIDER = "baton/jwk/v1";

/** A secret to hand back. */
export interface SecretValue {
  readonly name: string;
  readonly description: string;
  readonly value: string;
}

export interface SecretOutput {
  readonly encryptedData: EncryptedData[];
  readonly annotations: Any[];
}

/** Validates the request's encryption configs now; the returned function seals the secrets later. */
export function prepareSecretOutput(configs: readonly EncryptionConfig[], field = "encryption_configs"): (secrets: readonly SecretValue[]) => SecretOutput {
  const recipients = configs.map((config, i) => recipientOf(config, `${field}[${i}]`));
  return (secrets) => {
    if (recipients.length === 0) {
      const annotations = secrets.map((s) => pack(PlaintextDataSchema, { name: s.name, description: s.description, bytes: Buffer.from(s.value, "utf8") }));
      return { encryptedData: [], annotations };
    }
    const encryptedData = secrets.flatMap((s) =>
      recipients.map((r) =>
        create(EncryptedDataSchema, {
          provider: JWK_PROVIDER,
          keyId: r.thumbprint,
          keyIds: [r.thumbprint],
          name: s.name,
          description: s.description,
          encryptedBytes: Buffer.from(Buffer.from(jweEcdhEs(r.key, r.crv, Buffer.from(s.value, "utf8")), "utf8").toString("base64"), "utf8"),
        }),
      ),
    );
    return { encryptedData, annotations: [] };
  };
}

interface Recipient {
  readonly key: KeyObject;
  readonly crv: string;
  /** RFC 7638 SHA-256 thumbprint in hex, as baton-sdk names JWK keys. */
  readonly thumbprint: string;
}

const EC_CURVES = new Set(["P-256", "P-384", "P-521"]);

function recipientOf(config: EncryptionConfig, field: string): Recipient {
  const provider = config.provider.trim().toLowerCase();
  if (provider !== "" && provider !== JWK_PROVIDER) throw invalid(`${field}.provider`, `"${config.provider}" is not supported (only ${JWK_PROVIDER} with an EC key)`);
  if (config.config.case !== "jwkPublicKeyConfig") {
    throw invalid(field, `${config.config.case === "ageRecipientConfig" ? "age recipients are" : "a config without a key is"} not supported (only ${JWK_PROVIDER} with an EC key)`);
  }
  let jwk: JsonWebKey;
  try {
    jwk = JSON.parse(Buffer.from(config.config.value.pubKey).toString("utf8")) as JsonWebKey;
  } catch {
    throw invalid(`${field}.jwk_public_key_config.pub_key`, "is not a JSON Web Key");
  }
  if (jwk.kty !== "EC" || typeof jwk.crv !== "string" || !EC_CURVES.has(jwk.crv) || typeof jwk.x !== "string" || typeof jwk.y !== "string") {
    throw invalid(`${field}.jwk_public_key_config.pub_key`, `a ${String(jwk.kty)} key is not supported (only EC keys on P-256, P-384 or P-521)`);
  }
  if (jwk.d !== undefined) throw invalid(`${field}.jwk_public_key_config.pub_key`, "is a private key; send the public key");
  let key: KeyObject;
  try {
    key = createPublicKey({ key: { kty: "EC", crv: jwk.crv, x: jwk.x, y: jwk.y }, format: "jwk" });
  } catch {
    throw invalid(`${field}.jwk_public_key_config.pub_key`, "is not a valid EC public key");
  }
  const canonical = JSON.stringify({ crv: jwk.crv, kty: "EC", x: jwk.x, y: jwk.y });
  return { key, crv: jwk.crv, thumbprint: createHash("sha256").update(canonical).digest("hex") };
}

/** A compact JWE (RFC 7516) of `plaintext` for `recipient`: alg ECDH-ES (RFC 7518 §4.6), enc A256GCM. */
function jweEcdhEs(recipient: KeyObject, crv: string, plaintext: Buffer): string {
  const ephemeral = generateKeyPairSync("ec", { namedCurve: crv });
  const epk = ephemeral.publicKey.export({ format: "jwk" });
  const header = Buffer.from(JSON.stringify({ alg: "ECDH-ES", enc: "A256GCM", epk: { kty: "EC", crv, x: epk.x, y: epk.y } })).toString("base64url");
  const cek = concatKdf(diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient }), "A256GCM", 256);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", cek, iv).setAAD(Buffer.from(header, "ascii"));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [header, "", iv.toString("base64url"), ciphertext.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

/** NIST SP 800-56A Concat KDF with SHA-256 and JWA's OtherInfo (empty apu and apv). */
function concatKdf(z: Buffer, algorithmId: string, keyBits: number): Buffer {
  const lengthPrefixed = (data: Buffer) => Buffer.concat([uint32(data.length), data]);
  const otherInfo = Buffer.concat([lengthPrefixed(Buffer.from(algorithmId, "ascii")), lengthPrefixed(Buffer.alloc(0)), lengthPrefixed(Buffer.alloc(0)), uint32(keyBits)]);
  const rounds = Math.ceil(keyBits / 256);
  const out = Buffer.concat(Array.from({ length: rounds }, (_, i) => createHash("sha256").update(Buffer.concat([uint32(i + 1), z, otherInfo])).digest()));
  return out.subarray(0, keyBits / 8);
}

function uint32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
}
