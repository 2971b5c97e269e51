import { create, type DescField, fromBinary, type Message, toBinary } from "@bufbuild/protobuf";
import { WireType } from "@bufbuild/protobuf/wire";
import { EmptySchema } from "@bufbuild/protobuf/wkt";
import { type Entitlement } from "../../gen/c1/connector/v2/entitlement_pb.js";
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

/**
 * Encodes `items` (a page) as the repeated message field `field` of its message (such as
 * `SyncBatchSchema.field.grants`), with one toBinary for them all: a toBinary per item would allocate
 * and grow a buffer per item, which is most of its cost. The items' boundaries are then read off the
 * bytes (tag and length prefix), so each item's size and bytes come from this one encoding. Each
 * item's bytes are exactly toBinary's for it.
 */
export function encodeItems<T extends Message>(field: DescField, items: readonly T[]): EncodedItem<T>[] {
  if (field.fieldKind !== "list" || field.listKind !== "message") throw new Error(`encodeItems: ${field.parent.typeName}.${field.name} is not a repeated message field`);
  if (items.length === 0) return [];
  const container = create(field.parent);
  (container as unknown as Record<string, unknown>)[field.localName] = field.message.typeName === GrantSchema.typeName ? items.map((g) => grantForEncoding(g as unknown as Grant)) : items;
  const bytes = toBinary(field.parent, container);
  const encoded: EncodedItem<T>[] = new Array<EncodedItem<T>>(items.length);
  let at = 0;
  for (let i = 0; i < items.length; i++) {
    const start = at;
    while (bytes[at++]! & 0x80); // the tag
    const dataStart = at;
    // The length prefix: a varint under 2^53.
    let length = 0;
    for (let scale = 1, byte = 0x80; byte & 0x80; scale *= 128) {
      byte = bytes[at++]!;
      length += (byte & 0x7f) * scale;
    }
    at += length;
    encoded[i] = { item: items[i]!, data: bytes.subarray(dataStart, at), wireBytes: at - start };
  }
  if (at !== bytes.length) throw new Error(`encodeItems: ${bytes.length - at} bytes after the last of ${items.length} items of ${field.parent.typeName}.${field.name}`);
  return encoded;
}

/**
 * Every grant embeds its entitlement with that entitlement's whole resource (a group with its traits:
 * 70% of a member grant's bytes), and newGrant (builders.ts) hands all the grants of one entitlement
 * the same embedded entitlement object. That resource is encoded once, and the grants are encoded with
 * a stand-in for it: a Resource with no fields set and the resource's encoded fields as its unknown
 * fields, which toBinary copies in their order, so the bytes are the same. Stand-ins are keyed by the
 * objects, so this holds only because messages are not changed after fit-limits.ts has cut them (which
 * it does before anything is encoded, and which changes nothing a second time).
 */
const resourceStandIns = new WeakMap<Resource, Resource>();
const entitlementStandIns = new WeakMap<Entitlement, Entitlement>();

function grantForEncoding(grant: Grant): Grant {
  const entitlement = grant.entitlement;
  const resource = entitlement?.resource;
  if (entitlement === undefined || resource === undefined) return grant;
  let standIn = entitlementStandIns.get(entitlement);
  if (standIn === undefined || standIn.resource !== resourceStandInOf(resource)) {
    standIn = { ...entitlement, resource: resourceStandInOf(resource) };
    entitlementStandIns.set(entitlement, standIn);
  }
  return { ...grant, entitlement: standIn };
}

function resourceStandInOf(resource: Resource): Resource {
  let standIn = resourceStandIns.get(resource);
  if (standIn === undefined) {
    standIn = create(ResourceSchema);
    // Read as a message without fields, every field of the encoding is kept as an unknown field.
    standIn.$unknown = fromBinary(EmptySchema, toBinary(ResourceSchema, resource)).$unknown ?? [];
    resourceStandIns.set(resource, standIn);
  }
  return standIn;
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
