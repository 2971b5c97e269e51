import { create } from "@bufbuild/protobuf";
import { anyPack, anyUnpack } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { RawIdSchema } from "../../gen/c1/connector/v2/annotation_raw_id_pb.js";
import { V1IdentifierSchema } from "../../gen/c1/connector/v2/annotation_v1_identifier_pb.js";
import { rawId, v1Identifier } from "./annotations.js";

describe("v1Identifier and rawId", () => {
  it.each([
    ["an Okta id", "00u1abcdEFGH2345ijkl"],
    ["a membership grant's", "grant:membership:00g1abcdEFGH2345ijkl:00u1abcdEFGH2345ijkl"],
    ["an empty id", ""],
    ["a non-ASCII id", "Ünïcødé 部署 🙂"],
    ["an id of 127 bytes", "x".repeat(127)],
    ["an id of 128 bytes (a two-byte length)", "x".repeat(128)],
    ["a long non-ASCII id", "é".repeat(20_000)],
  ])("pack %s exactly as anyPack does", (_, id) => {
    expect(v1Identifier(id)).toEqual(anyPack(V1IdentifierSchema, create(V1IdentifierSchema, { id })));
    expect(rawId(id)).toEqual(anyPack(RawIdSchema, create(RawIdSchema, { id })));
    expect(anyUnpack(v1Identifier(id), V1IdentifierSchema)?.id).toBe(id);
  });
});
