import { toBinary } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { SkipEntitlementsAndGrantsSchema } from "../../../gen/c1/connector/v2/annotation_resource_tree_pb.js";
import { SecretTrait_CredentialType, SecretTraitSchema } from "../../../gen/c1/connector/v2/annotation_trait_pb.js";
import { V1IdentifierSchema } from "../../../gen/c1/connector/v2/annotation_v1_identifier_pb.js";
import { CapabilityPermissionsSchema } from "../../../gen/c1/connector/v2/connector_pb.js";
import { ResourceSchema, ResourceType_Trait } from "../../../gen/c1/connector/v2/resource_pb.js";
import { has, pick } from "../../protocol/annotations.js";
import { apiTokenResourceOf } from "./api-token-mappers.js";
import type { OktaApiToken } from "./api-token-okta.js";
import { API_TOKEN_TYPE } from "./resource-type.js";

// Okta's own example token (API reference, List all API token metadata).
const token: OktaApiToken = {
  name: "My API Token",
  userId: "00uabcdefg1234567890",
  tokenWindow: "P30D",
  network: { connection: "ANYWHERE" },
  id: "00Tabcdefg1234567890",
  clientName: "Okta API",
  expiresAt: "2021-12-11T20:38:10.000Z",
  created: "2021-11-09T20:38:10.000Z",
  lastUpdated: "2021-11-11T20:38:10.000Z",
};

const iso = (ts: Parameters<typeof timestampDate>[0] | undefined) => (ts ? timestampDate(ts).toISOString() : undefined);

describe("api-token resource type", () => {
  it("is baton-okta's: id api-token, display API Token, SECRET trait, no entitlements or grants, okta.apiTokens.read", () => {
    expect(API_TOKEN_TYPE.id).toBe("api-token");
    expect(API_TOKEN_TYPE.displayName).toBe("API Token");
    expect(API_TOKEN_TYPE.traits).toEqual([ResourceType_Trait.SECRET]);
    expect(has(API_TOKEN_TYPE.annotations, SkipEntitlementsAndGrantsSchema)).toBe(true);
    expect(pick(API_TOKEN_TYPE.annotations, V1IdentifierSchema)?.id).toBe("api-token");
    expect(pick(API_TOKEN_TYPE.annotations, CapabilityPermissionsSchema)?.permissions.map((p) => p.permission)).toEqual(["okta.apiTokens.read"]);
  });
});

describe("apiTokenResourceOf", () => {
  it("fills the SecretTrait as baton-okta: STATIC_SECRET okta.api_token, the owner as identity and creator, expiry, last use = lastUpdated", () => {
    const resource = apiTokenResourceOf(token);
    const trait = pick(resource.annotations, SecretTraitSchema)!;
    expect(trait.credentialType).toBe(SecretTrait_CredentialType.STATIC_SECRET);
    expect(trait.credentialDetail).toBe("okta.api_token");
    expect(trait.identityId).toMatchObject({ resourceType: "user", resource: "00uabcdefg1234567890" });
    expect(trait.createdById).toMatchObject({ resourceType: "user", resource: "00uabcdefg1234567890" });
    expect(iso(trait.expiresAt)).toBe("2021-12-11T20:38:10.000Z");
    expect(iso(trait.lastUsedAt)).toBe("2021-11-11T20:38:10.000Z");
    expect(iso(trait.createdAt)).toBe("2021-11-09T20:38:10.000Z");
  });

  it("names the resource by the token's name (its id when Okta sends none); created_at, V1 and raw id are the token's", () => {
    const resource = apiTokenResourceOf(token);
    expect(resource.id).toMatchObject({ resourceType: "api-token", resource: "00Tabcdefg1234567890" });
    expect(resource.displayName).toBe("My API Token");
    expect(iso(resource.createdAt)).toBe("2021-11-09T20:38:10.000Z");
    expect(pick(resource.annotations, V1IdentifierSchema)?.id).toBe("00Tabcdefg1234567890");
    expect(apiTokenResourceOf({ id: "00T2" }).displayName).toBe("00T2");
  });

  it("leaves out what Okta does not say rather than panic or invent it: no owner, no dates", () => {
    const trait = pick(apiTokenResourceOf({ id: "00T3", name: "orphan", expiresAt: "not a date" }).annotations, SecretTraitSchema)!;
    expect(trait.identityId).toBeUndefined();
    expect(trait.createdById).toBeUndefined();
    expect(trait.expiresAt).toBeUndefined();
    expect(trait.lastUsedAt).toBeUndefined();
    expect(trait.credentialType).toBe(SecretTrait_CredentialType.STATIC_SECRET);
  });

  it("copies only named metadata: a secret-looking field Okta might add never reaches the resource", () => {
    const secret = "00AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd";
    const hostile = { ...token, token: secret, value: secret, tokenValue: secret, _links: { self: { href: `https://acme.okta.com/?t=${secret}` } } } as OktaApiToken;
    const resource = apiTokenResourceOf(hostile);
    // The wire form, annotations included (an Any carries its message's bytes as they are).
    expect(Buffer.from(toBinary(ResourceSchema, resource)).toString("latin1")).not.toContain(secret);
    expect(resource.profile).toEqual({ client_name: "Okta API", token_window: "P30D", network_connection: "ANYWHERE" });
  });
});
