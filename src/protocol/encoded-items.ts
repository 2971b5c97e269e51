import { type DescMessage, type Message, type MessageShape, toBinary } from "@bufbuild/protobuf";
import { WireType } from "@bufbuild/protobuf/wire";
import { EntitlementSchema } from "../../gen/c1/connector/v2/entitlement_pb.js";
import { type Grant, GrantSchema } from "../../gen/c1/connector/v2/grant_pb.js";
import { type Resource, ResourceSchema } from "../../gen/c1/connector/v2/resource_pb.js";

/**
 * Items encoded once. The batchers need each item's encoded size to keep a batch under its byte limit,
 * and encoding is most of the connector's CPU per grant, so the bytes made for the size check are the
 * bytes sent: they ride in the response as unknown fields of the repeated field's number, which
 * protobuf-es writes out verbatim (tag, then the bytes). On the wire that is exactly a repeated message
 * field; every protobuf reader decodes it into the field. Unknown fields have no JSON form, so a
 * response to a JSON client carries the messages instead (`carriesEncoded`).
 */
export interface EncodedItem<T> {
  readonly item: T;
  /** The item's length prefix and its encoding: what follows the field's tag on the wire. */
  readonly data: Uint8Array;
  /** What this item adds to its response: tag, length prefix and encoding. */
  readonly wireBytes: number;
}

export function encodeItem<T extends DescMessage>(schema: T, item: MessageShape<T>, fieldNumber: number): EncodedItem<MessageShape<T>> {
  const parts = schema.typeName === GrantSchema.typeName ? grantParts(item as Grant) : [toBinary(schema, item)];
  const length = parts.reduce((n, p) => n + p.length, 0);
  const prefix = varintLength(length);
  const data = new Uint8Array(prefix + length);
  writeVarint(data, length);
  let at = prefix;
  for (const part of parts) {
    data.set(part, at);
    at += part.length;
  }
  return { item, data, wireBytes: varintLength((fieldNumber << 3) | WireType.LengthDelimited) + data.length };
}

/**
 * Every grant embeds its entitlement's whole resource (a group with its traits: 70% of a member
 * grant's bytes), shared by all the grants of that entitlement. That resource is encoded once and its
 * bytes reused, keyed by the object: syncers build resources once per page and never change them after
 * fit-limits.ts has cut them (which it does before anything is encoded, and which changes nothing a
 * second time). The parts are in field-number order, so they join into exactly toBinary(grant).
 */
const encodedResources = new WeakMap<Resource, Uint8Array>();
const GRANT_ENTITLEMENT_TAG = (GrantSchema.field.entitlement.number << 3) | WireType.LengthDelimited;
const ENTITLEMENT_RESOURCE_TAG = (EntitlementSchema.field.resource.number << 3) | WireType.LengthDelimited;
/** The shortcut needs both fields to be their message's first (lowest-numbered), with one-byte tags. */
const SHORTCUT_HOLDS =
  GrantSchema.fields.every((f) => f.number >= GrantSchema.field.entitlement.number) &&
  EntitlementSchema.fields.every((f) => f.number >= EntitlementSchema.field.resource.number) &&
  GRANT_ENTITLEMENT_TAG <= 0x7f &&
  ENTITLEMENT_RESOURCE_TAG <= 0x7f;

function grantParts(grant: Grant): Uint8Array[] {
  const entitlement = grant.entitlement;
  const resource = entitlement?.resource;
  if (!entitlement || !resource || !SHORTCUT_HOLDS) return [toBinary(GrantSchema, grant)];
  let resourceBytes = encodedResources.get(resource);
  if (resourceBytes === undefined) {
    resourceBytes = toBinary(ResourceSchema, resource);
    encodedResources.set(resource, resourceBytes);
  }
  const entitlementRest = toBinary(EntitlementSchema, { ...entitlement, resource: undefined });
  const grantRest = toBinary(GrantSchema, { ...grant, entitlement: undefined });
  const resourceField = lengthDelimitedHeader(ENTITLEMENT_RESOURCE_TAG, resourceBytes.length);
  const entitlementLength = resourceField.length + resourceBytes.length + entitlementRest.length;
  return [lengthDelimitedHeader(GRANT_ENTITLEMENT_TAG, entitlementLength), resourceField, resourceBytes, entitlementRest, grantRest];
}

/** A one-byte tag and the length prefix of a field of `length` bytes. */
function lengthDelimitedHeader(tag: number, length: number): Uint8Array {
  const header = new Uint8Array(1 + varintLength(length));
  header[0] = tag;
  writeVarint(header.subarray(1), length);
  return header;
}

/**
 * Puts `items` into `message` as the repeated message field `fieldNumber`, pre-encoded. The field
 * itself must be left empty, or the items would be sent twice.
 */
export function attachEncoded<M extends Message>(message: M, fieldNumber: number, items: readonly EncodedItem<unknown>[]): M {
  const unknown = (message.$unknown ??= []);
  for (const { data } of items) unknown.push({ no: fieldNumber, wireType: WireType.LengthDelimited, data });
  return message;
}

/** Whether a response in the request's content type can carry pre-encoded items: any binary protobuf one. */
export function carriesEncoded(contentType: string | null): boolean {
  return contentType !== null && !/json/i.test(contentType);
}

export function varintLength(value: number): number {
  let n = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    n++;
  }
  return n;
}

function writeVarint(target: Uint8Array, value: number): void {
  let i = 0;
  while (value >= 0x80) {
    target[i++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 128);
  }
  target[i] = value;
}
