import { describe, expect, it } from "vitest";
import { isOktaError } from "./errors.js";
import { MAX_CURSOR_LENGTH, MAX_OKTA_ID_LENGTH, validateCursor, validateOktaId, type OktaIdKind } from "./ids.js";

describe("validateOktaId accepts real Okta ids", () => {
  const rows: [OktaIdKind, string][] = [
    ["user", "00ub0oNGTSWTBKOLGLNR"],
    ["group", "00g1emaKYZTWRYYRRTSK"],
    ["app", "0oafxqCAJWWGELFTYASJ"],
    ["customRole", "cr0Yq6IJxGIr0ouum0g3"],
    ["resourceSet", "iamoJDFKaJxGIr0oamd9g"],
    ["bindingMember", "irb1qe6PGuMc7Oh8N0g4"],
    ["roleAssignment", "ra1b8anIk7rx7em7L0g4"],
    ["roleAssignment", "IFIFAX2BIRGUSTQ"],
    ["roleType", "SUPER_ADMIN"],
    ["roleType", "API_ACCESS_MANAGEMENT_ADMIN"],
    ["roleType", "CUSTOM"],
    ["oauthClient", "0oa1abcd_EFG-h"],
    ["apiToken", "00Tabcdefg1234567890"],
  ];
  it.each(rows)("%s %s", (kind, value) => {
    expect(validateOktaId(kind, value)).toBe(value);
  });
});

describe("validateOktaId rejects hostile input with kind invalid, naming the field", () => {
  const rows: [string, OktaIdKind, unknown][] = [
    ["empty", "user", ""],
    ["slash", "user", "00u1/roles"],
    ["parent segment", "group", ".."],
    ["dot-dot inside", "group", "00g..00g"],
    ["encoded slash", "app", "0oa1%2Fusers"],
    ["encoded dot-dot", "app", "%2e%2e"],
    ["query", "user", "00u1?limit=1"],
    ["fragment", "user", "00u1#x"],
    ["space", "user", "00u 1"],
    ["tab", "user", "00u\t1"],
    ["newline", "user", "00u1\n"],
    ["backslash", "user", "00u1\\..\\x"],
    ["unicode lookalike", "user", "00u１"],
    ["too long", "user", "a".repeat(MAX_OKTA_ID_LENGTH + 1)],
    // A type's own kind, not listed in ids.ts, is checked as an alphanumeric id.
    ["token path escape", "apiToken", "00T1/../current"],
    ["device path escape", "device", "guo1/../../users"],
    ["a login is not an id", "user", "jane@example.com"],
    ["lower-case role type", "roleType", "super_admin"],
    ["role type with a slash", "roleType", "SUPER_ADMIN/x"],
    ["number", "user", 42],
    ["undefined", "group", undefined],
  ];
  it.each(rows)("%s", (_name, kind, value) => {
    let thrown: unknown;
    try {
      validateOktaId(kind, value);
    } catch (error) {
      thrown = error;
    }
    expect(isOktaError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ kind: "invalid", errorSummary: `${kind}Id` });
    expect((thrown as Error).message).toContain(`${kind}Id`);
  });

  it("names a caller-given field", () => {
    expect(() => validateOktaId("group", "a/b", "groupIds[]")).toThrow(/^groupIds\[\] /);
  });
});

describe("validateCursor", () => {
  it("accepts Okta cursors, including ones that need percent-encoding", () => {
    for (const cursor of ["00u1abc", "1627500044869_1", "a+b/c=="]) expect(validateCursor(cursor)).toBe(cursor);
  });

  const rows: [string, unknown][] = [
    ["empty", ""],
    ["too long", "x".repeat(MAX_CURSOR_LENGTH + 1)],
    ["control character", "abc\u0000"],
    ["newline", "abc\r\nX-Injected: 1"],
    ["not a string", 7],
  ];
  it.each(rows)("rejects %s", (_name, value) => {
    expect(() => validateCursor(value)).toThrow(expect.objectContaining({ kind: "invalid", errorSummary: "after" }));
  });
});
