import { create, type DescMessage, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
import { type Any, anyIs, anyPack, anyUnpack } from "@bufbuild/protobuf/wkt";
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

export const v1Identifier = (id: string) => pack(V1IdentifierSchema, { id });
export const rawId = (id: string) => pack(RawIdSchema, { id });
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
