import { type DescField, type DescMessage, ScalarType } from "@bufbuild/protobuf";
import fc from "fast-check";

/**
 * fast-check arbitraries for hostile requests. Strings come from pools that mix values taken from the
 * simulated org (real ids, real page tokens, so that some requests get past validation and reach the
 * syncers and Okta) with values built to break things: path traversal, encoded separators, query and
 * fragment characters, NUL, lone surrogates, over-long ids and a 100,000-character string.
 */

/** Ids that try to steer an Okta URL or a parser. Each must be refused or answered NOT_FOUND, never followed. */
export const HOSTILE_IDS: readonly string[] = [
  "",
  " ",
  "..",
  "../..",
  "/",
  "00u1/../../users",
  "00g1/../../api/v1/users",
  "%2F",
  "00g1%2F..%2Fusers",
  "00g1%252F",
  "00g1?limit=1",
  "00g1?q=x&after=y",
  "00g1#x",
  "00g1 x",
  "\u0000",
  "00u\u0000x",
  "00u\r\nX-Injected: 1",
  "\\..\\",
  "ünïcødé",
  "00u😀",
  "\uFFFD",
  "\uD800",
  "group:00g1:member",
  "iam1:..",
  "iam1:cr1:extra",
  "SUPER_ADMIN/..",
  "A".repeat(65),
  "a".repeat(1025),
];

/** A string of 100,000 characters: far over every id limit, well under the 4 MiB read limit. */
export const LONG_STRING = "x".repeat(100_000);

/** page_size and batch_size values at and beyond every boundary (uint32 on the wire). */
export const SIZE_BOUNDARIES: readonly number[] = [0, 1, 249, 250, 251, 9_999, 10_000, 10_001, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1];

/** The values the fuzzer draws strings from, filled from the running server and org. */
export interface FuzzPools {
  /** Resource type ids the server lists. */
  readonly resourceTypes: readonly string[];
  /** Real resource ids of every type (users, groups, apps, roles, resource-set bindings …). */
  readonly resourceIds: readonly string[];
  /** The same ids with their types, so some ResourceIds name a real resource. */
  readonly typedIds: readonly { readonly resourceType: string; readonly resource: string }[];
  /** Real entitlement ids (`group:00g…:member`). */
  readonly entitlementIds: readonly string[];
  /** Page tokens and cursors issued by this server for various listings, and altered copies of them. */
  readonly tokens: readonly string[];
  /** Action names the server offers (ActionService). */
  readonly actionNames: readonly string[];
}

export function hostileString(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_IDS) },
    { weight: 2, arbitrary: fc.string({ maxLength: 40, unit: "binary" }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
    { weight: 1, arbitrary: fc.constant(LONG_STRING) },
  );
}

export function resourceTypeArb(pools: FuzzPools): fc.Arbitrary<string> {
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pools.resourceTypes) }, { weight: 1, arbitrary: fc.constantFrom("printer", "USER", "user ", "user/..", "user%2F") }, { weight: 1, arbitrary: hostileString() });
}

export function resourceIdStringArb(pools: FuzzPools): fc.Arbitrary<string> {
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pools.resourceIds) }, { weight: 3, arbitrary: hostileString() });
}

export function tokenArb(pools: FuzzPools): fc.Arbitrary<string> {
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pools.tokens) }, { weight: 1, arbitrary: hostileString() }, { weight: 1, arbitrary: fc.base64String({ maxLength: 64 }) });
}

export function sizeArb(): fc.Arbitrary<number> {
  return fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...SIZE_BOUNDARIES) }, { weight: 1, arbitrary: fc.nat({ max: 2 ** 32 - 1 }) });
}

/** Flips one character of a token to another base64url character, which its HMAC must catch. */
export function tamper(token: string, at: number): string {
  const i = at % token.length;
  const replacement = token[i] === "A" ? "B" : "A";
  return `${token.slice(0, i)}${replacement}${token.slice(i + 1)}`;
}

const WRAPPERS = new Set(
  ["Double", "Float", "Int64", "UInt64", "Int32", "UInt32", "Bool", "String", "Bytes"].map((name) => `google.protobuf.${name}Value`),
);

const JSON_LEAF: fc.Arbitrary<unknown> = fc.oneof(fc.constantFrom(null, true, false, 0, -1, 1e308), hostileString());

/** google.protobuf.Struct as protobuf-es exposes it (a JsonObject). */
function jsonObjectArb(): fc.Arbitrary<Record<string, unknown>> {
  return fc.dictionary(fc.oneof(fc.constantFrom("login", "email", "user_id", "firstName", "additionalAttributes", "provider_type"), fc.string({ maxLength: 8 })), fc.oneof(JSON_LEAF, fc.dictionary(fc.string({ maxLength: 4 }), JSON_LEAF, { maxKeys: 2 })), { maxKeys: 4 });
}

/**
 * A random init object for any request message, driven by its descriptor. Fields are often left
 * unset (so required-field checks are reached), strings are drawn by field name from the pools, and
 * nesting stops at `depth`.
 */
export function messageArb(desc: DescMessage, pools: FuzzPools, depth = 4): fc.Arbitrary<Record<string, unknown>> {
  const parts: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of desc.fields) {
    if (field.oneof !== undefined) continue;
    parts[field.localName] = fieldArb(field, pools, depth);
  }
  for (const oneof of desc.oneofs) {
    parts[oneof.localName] = fc.oneof(
      fc.constant(undefined),
      ...oneof.fields.map((f) => fieldArb(f, pools, depth).map((value) => (value === undefined ? undefined : { case: f.localName, value }))),
    );
  }
  return fc.record(parts, { requiredKeys: [] }).map((init) => Object.fromEntries(Object.entries(init).filter(([, v]) => v !== undefined)));
}

function fieldArb(field: DescField, pools: FuzzPools, depth: number): fc.Arbitrary<unknown> {
  switch (field.fieldKind) {
    case "scalar":
      return scalarArb(field.scalar, field.name, pools);
    case "enum":
      return fc.constantFrom(...field.enum.values.map((v) => v.number), 99);
    case "message":
      return messageFieldArb(field.message, pools, depth);
    case "list": {
      const item =
        field.listKind === "scalar" ? scalarArb(field.scalar, field.name, pools) : field.listKind === "enum" ? fc.constantFrom(...field.enum.values.map((v) => v.number)) : messageFieldArb(field.message, pools, depth);
      return depth <= 0 ? fc.constant([]) : fc.array(item.filter((v) => v !== undefined), { maxLength: 2 });
    }
    case "map": {
      const value =
        field.mapKind === "scalar" ? scalarArb(field.scalar, field.name, pools) : field.mapKind === "enum" ? fc.constantFrom(...field.enum.values.map((v) => v.number)) : messageFieldArb(field.message, pools, depth);
      const keyArb = field.mapKey === ScalarType.STRING ? fc.string({ maxLength: 6 }) : fc.integer({ min: -5, max: 5 });
      return depth <= 0 ? fc.constant({}) : fc.dictionary(keyArb.map(String), value.filter((v) => v !== undefined), { maxKeys: 2 });
    }
  }
}

function messageFieldArb(message: DescMessage, pools: FuzzPools, depth: number): fc.Arbitrary<unknown> {
  switch (message.typeName) {
    case "google.protobuf.Struct":
      return fc.option(jsonObjectArb(), { nil: undefined });
    case "google.protobuf.Value":
      return fc.option(JSON_LEAF, { nil: undefined });
    case "google.protobuf.Any":
      // An annotation the server might unpack: a real type URL over garbage bytes, or an unknown type.
      return fc.option(
        fc.record({
          typeUrl: fc.constantFrom("type.googleapis.com/c1.connector.v2.GrantExpandable", "type.googleapis.com/c1.connector.v2.UserTrait", "type.googleapis.com/no.Such", ""),
          value: fc.uint8Array({ maxLength: 16 }),
        }),
        { nil: undefined },
      );
  }
  if (message.typeName === "c1.connector.v2.ResourceId" && depth > 0) {
    return fc.oneof(fc.constantFrom(...pools.typedIds), fc.option(messageArb(message, pools, depth - 1), { nil: undefined, freq: 3 }));
  }
  // Wrapper fields (StringValue, FloatValue, …) are unboxed by protobuf-es: the field holds the primitive.
  if (WRAPPERS.has(message.typeName)) {
    const inner = message.fields[0]!;
    return inner.fieldKind === "scalar" ? fc.option(scalarArb(inner.scalar, inner.name, pools), { nil: undefined }) : fc.constant(undefined);
  }
  if (depth <= 0) return fc.constant(undefined);
  return fc.option(messageArb(message, pools, depth - 1), { nil: undefined, freq: 3 });
}

function scalarArb(scalar: ScalarType, name: string, pools: FuzzPools): fc.Arbitrary<unknown> {
  switch (scalar) {
    case ScalarType.STRING:
      return fc.option(stringFor(name, pools), { nil: undefined, freq: 4 });
    case ScalarType.BYTES:
      return fc.uint8Array({ maxLength: 32 });
    case ScalarType.BOOL:
      return fc.boolean();
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return sizeArb();
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return fc.constantFrom(0, 1, -1, 2 ** 31 - 1, -(2 ** 31));
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return fc.constantFrom(0n, 1n, 8n, 64n, 2n ** 64n - 1n);
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return fc.constantFrom(0n, 1n, 8n, -1n, 2n ** 63n - 1n, -(2n ** 63n));
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return fc.constantFrom(0, -1, Number.NaN, Number.POSITIVE_INFINITY);
  }
}

/** Strings chosen by what the field means, so the fuzzer reaches past the first check. */
function stringFor(name: string, pools: FuzzPools): fc.Arbitrary<string> {
  if (name === "resource_type" || name === "resource_type_id") return resourceTypeArb(pools);
  if (name === "resource") return resourceIdStringArb(pools);
  if (name === "page_token" || name === "cursor" || name === "resume_cursor") return tokenArb(pools);
  if (name === "id") return fc.oneof(fc.constantFrom(...pools.entitlementIds), resourceIdStringArb(pools));
  if (name === "name" && pools.actionNames.length > 0) return fc.oneof(fc.constantFrom(...pools.actionNames), hostileString());
  if (name === "address") return fc.oneof(fc.constantFrom("a@b", "fuzz@example.com", "@", "x@y@z"), hostileString());
  return hostileString();
}
