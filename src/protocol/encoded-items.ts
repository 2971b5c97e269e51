import { type DescMessage, type Message, type MessageShape, toBinary } from "@bufbuild/protobuf";
import { WireType } from "@bufbuild/protobuf/wire";

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
  const body = toBinary(schema, item);
  const prefix = varintLength(body.length);
  const data = new Uint8Array(prefix + body.length);
  writeVarint(data, body.length);
  data.set(body, prefix);
  return { item, data, wireBytes: varintLength((fieldNumber << 3) | WireType.LengthDelimited) + data.length };
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
