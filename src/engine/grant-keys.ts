import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";

/** The columns of a grant's snapshot row that come from its ids. */
export interface GrantKeys {
  readonly id: string;
  readonly entitlementId: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly principalType: string;
  readonly principalId: string;
  /**
   * The grant's annotations as `own` stores them (snapshot-schema.ts): the encoding of a Grant holding
   * only them, which is their fields copied as they came. Empty for a grant without annotations.
   */
  readonly own: Uint8Array;
}

// c1.connector.v2 field numbers (proto/c1/connector/v2/grant.proto, entitlement.proto, resource.proto).
const GRANT_ENTITLEMENT = 1;
const GRANT_PRINCIPAL = 2;
const GRANT_ID = 3;
const GRANT_ANNOTATIONS = 4;
const GRANT_SOURCES = 5;
const ENTITLEMENT_RESOURCE = 1;
const ENTITLEMENT_ID = 2;
const RESOURCE_ID = 1;
const RESOURCE_ID_TYPE = 1;
const RESOURCE_ID_RESOURCE = 2;

/**
 * A grant's key columns read straight off its encoding, skipping the resources it embeds: at 100k
 * users a sync stores over a million grants, and decoding each whole message just for its ids was
 * the engine's largest CPU cost after SQLite. Returns undefined for a grant this reader leaves to
 * the full decoder: one with sources (a map, whose encoding order a decoder may change), or one whose
 * encoding repeats a field that proto merges (never written by protobuf encoders, but legal).
 */
export function readGrantKeys(bytes: Uint8Array): GrantKeys | undefined {
  const reader = new BinaryReader(bytes);
  let id: string | undefined;
  let entitlement: { id: string; owner: ResourceIdKeys | undefined } | undefined;
  let principal: ResourceIdKeys | null | undefined;
  const annotations: Uint8Array[] = [];
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const [no, wireType] = reader.tag();
    if (no === GRANT_ANNOTATIONS && wireType === WireType.LengthDelimited) {
      reader.skip(wireType, no);
      annotations.push(bytes.subarray(start, reader.pos));
    } else if (no === GRANT_ID && wireType === WireType.LengthDelimited) {
      if (id !== undefined) return undefined;
      id = reader.string();
    } else if (no === GRANT_ENTITLEMENT && wireType === WireType.LengthDelimited) {
      if (entitlement !== undefined) return undefined;
      const read = readEntitlementKeys(reader.bytes());
      if (read === undefined) return undefined;
      entitlement = read;
    } else if (no === GRANT_PRINCIPAL && wireType === WireType.LengthDelimited) {
      if (principal !== undefined) return undefined;
      const read = readResourceIdOf(reader.bytes());
      if (read === undefined) return undefined;
      principal = read;
    } else if (no === GRANT_ANNOTATIONS || no === GRANT_SOURCES) {
      return undefined;
    } else {
      reader.skip(wireType, no);
    }
  }
  if (id === undefined || id === "" || entitlement === undefined || !entitlement.owner || !principal) {
    throw new Error(`grant "${id ?? ""}" without an id, an entitlement or a principal`);
  }
  return {
    id,
    entitlementId: entitlement.id,
    resourceType: entitlement.owner.type,
    resourceId: entitlement.owner.resource,
    principalType: principal.type,
    principalId: principal.resource,
    own: concat(annotations),
  };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

interface ResourceIdKeys {
  readonly type: string;
  readonly resource: string;
}

function readEntitlementKeys(bytes: Uint8Array): { id: string; owner: ResourceIdKeys | undefined } | undefined {
  const reader = new BinaryReader(bytes);
  let id: string | undefined;
  let owner: ResourceIdKeys | null | undefined;
  while (reader.pos < reader.len) {
    const [no, wireType] = reader.tag();
    if (no === ENTITLEMENT_ID && wireType === WireType.LengthDelimited) {
      if (id !== undefined) return undefined;
      id = reader.string();
    } else if (no === ENTITLEMENT_RESOURCE && wireType === WireType.LengthDelimited) {
      if (owner !== undefined) return undefined;
      const read = readResourceIdOf(reader.bytes());
      if (read === undefined) return undefined;
      owner = read;
    } else {
      reader.skip(wireType, no);
    }
  }
  return { id: id ?? "", owner: owner ?? undefined };
}

/** The id of an encoded Resource: null when it has none, undefined when a field repeats. */
function readResourceIdOf(bytes: Uint8Array): ResourceIdKeys | null | undefined {
  const reader = new BinaryReader(bytes);
  let keys: ResourceIdKeys | undefined;
  while (reader.pos < reader.len) {
    const [no, wireType] = reader.tag();
    if (no === RESOURCE_ID && wireType === WireType.LengthDelimited) {
      if (keys !== undefined) return undefined;
      const id = reader.bytes();
      const inner = readResourceId(id);
      if (inner === undefined) return undefined;
      keys = inner;
    } else {
      reader.skip(wireType, no);
    }
  }
  return keys ?? null;
}

function readResourceId(bytes: Uint8Array): ResourceIdKeys | undefined {
  const reader = new BinaryReader(bytes);
  let type: string | undefined;
  let resource: string | undefined;
  while (reader.pos < reader.len) {
    const [no, wireType] = reader.tag();
    if (no === RESOURCE_ID_TYPE && wireType === WireType.LengthDelimited) {
      if (type !== undefined) return undefined;
      type = reader.string();
    } else if (no === RESOURCE_ID_RESOURCE && wireType === WireType.LengthDelimited) {
      if (resource !== undefined) return undefined;
      resource = reader.string();
    } else {
      reader.skip(wireType, no);
    }
  }
  return { type: type ?? "", resource: resource ?? "" };
}
