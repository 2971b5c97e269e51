import { create, type DescMessage, type MessageInitShape, type MessageShape, ScalarType } from "@bufbuild/protobuf";
import { type Any, anyIs, anyPack, anyUnpack, AnySchema } from "@bufbuild/protobuf/wkt";
import { WireType } from "@bufbuild/protobuf/wire";
import { EntitlementImmutableSchema } from "../../gen/c1/connector/v2/annotation_entitlement_pb.js";
import { GrantExpandableSchema } from "../../gen/c1/connector/v2/annotation_grant_pb.js";
import { RawIdSchema } from "../../gen/c1/connector/v2/annotation_raw_id_pb.js";
import {
  ChildResourceTypeSchema,
  SkipEntitlementsAndGrantsSchema,
  SkipGrantsSchema,
} from "../../gen/c1/connector/v2/annotation_resource_tree_pb.js";
import { V1IdentifierSchema } from "../../gen/c1/connector/v2/annotation_v1_identifier_pb.js";
import { CapabilityPermissionsSchema } from "../../gen/c1/connector/v2/connector_pb.js";
import { varintLength } from "./encoded-items.js";

/**
 * Annotations are google.protobuf.Any values whose type URL names a c1.connector.v2 message. Only
 * baton-sdk's own types may be used: baton's JSON tools resolve every Any through Go's type registry
 * and fail on an unknown one.
 */
export function pack<T extends DescMessage>(schema: T, init?: MessageInitShape<T>): Any {
  return anyPack(schema, create(schema, init));
}

/** The first annotation of a type, as baton-sdk's `annotations.Pick` does. */
export function pick<T extends DescMessage>(annotations: readonly Any[], schema: T): MessageShape<T> | undefined {
  const found = annotations.find((a) => anyIs(a, schema));
  return found === undefined ? undefined : anyUnpack(found, schema);
}

export function has(annotations: readonly Any[], schema: DescMessage): boolean {
  return annotations.some((a) => anyIs(a, schema));
}

export const v1Identifier = (id: string) => packIdOnly(V1IdentifierSchema, id);
export const rawId = (id: string) => packIdOnly(RawIdSchema, id);
export const childResourceType = (resourceTypeId: string) => pack(ChildResourceTypeSchema, { resourceTypeId });
export const skipEntitlementsAndGrants = () => pack(SkipEntitlementsAndGrantsSchema);
export const skipGrants = () => pack(SkipGrantsSchema);
export const entitlementImmutable = () => pack(EntitlementImmutableSchema);
/** The OAuth scopes a resource type needs, as baton-okta declares them (copied into GetMetadata). */
export const capabilityPermissions = (scopes: readonly string[]) =>
  pack(CapabilityPermissionsSchema, { permissions: scopes.map((permission) => ({ permission })) });

/**
 * Marks a grant held by a group (or another grantable principal) so the engine expands it to the
 * principals holding `entitlementIds` (e.g. the group's members). `shallow` stops expansion at one level.
 */
export const grantExpandable = (entitlementIds: readonly string[], shallow = true) =>
  pack(GrantExpandableSchema, { entitlementIds: [...entitlementIds], shallow });

/**
 * V1Identifier and RawId, packed. Every grant and resource carries them, and anyPack allocates and grows
 * a protobuf-es writer for each (a twentieth of the connector's CPU per grant). Both messages are one
 * string field, `id = 1`, so their bytes are written here: tag, length, UTF-8. annotations.test.ts
 * pins them to anyPack's.
 */
function packIdOnly(schema: typeof V1IdentifierSchema | typeof RawIdSchema, id: string): Any {
  return create(AnySchema, { typeUrl: TYPE_URLS[schema.typeName], value: idFieldBytes(id) });
}

function idFieldBytes(id: string): Uint8Array {
  let ascii = true;
  for (let i = 0; i < id.length && ascii; i++) ascii = id.charCodeAt(i) < 0x80;
  const text = ascii ? undefined : utf8.encode(id);
  const length = text === undefined ? id.length : text.length;
  // proto3 leaves an empty string out: the message is then no bytes at all.
  if (length === 0) return new Uint8Array(0);
  const bytes = new Uint8Array(1 + varintLength(length) + length);
  bytes[0] = ID_FIELD_TAG;
  let at = 1;
  for (let rest = length; ; rest = Math.floor(rest / 128)) {
    bytes[at++] = rest < 0x80 ? rest : (rest & 0x7f) | 0x80;
    if (rest < 0x80) break;
  }
  if (text !== undefined) bytes.set(text, at);
  else for (let i = 0; i < length; i++) bytes[at + i] = id.charCodeAt(i);
  return bytes;
}

const utf8 = new TextEncoder();
const ID_FIELD_TAG = (1 << 3) | WireType.LengthDelimited;
const TYPE_URLS: Readonly<Record<string, string>> = Object.fromEntries(
  [V1IdentifierSchema, RawIdSchema].map((schema) => {
    const [field, ...others] = schema.fields;
    if (others.length > 0 || field?.number !== 1 || field.scalar !== ScalarType.STRING) throw new Error(`${schema.typeName} is no longer just string id = 1`);
    return [schema.typeName, anyPack(schema, create(schema)).typeUrl];
  }),
);
