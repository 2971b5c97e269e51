import { describe, expect, it } from "vitest";
import { evaluateFilter, filterTerms, isFilterSyntaxError, parseFilter, readPath } from "./scim-filter.js";

const user = {
  id: "00u1abcdEFGHijkl0h7",
  status: "ACTIVE",
  lastUpdated: "2024-05-01T10:00:00.000Z",
  profile: { login: "Zoe.Bronte@acme.example", lastName: "Brontë", department: "Engineering", clearanceLevel: 3, isContractor: false, nickName: null },
};
const event = { eventType: "group.user_membership.add", target: [{ id: "00u1", type: "User" }, { id: "00g9", type: "UserGroup" }] };
const matches = (expr: string, source: unknown = user): boolean => evaluateFilter(parseFilter(expr), (attr) => readPath(source, attr));

describe("scim filter", () => {
  it.each([
    ['status eq "ACTIVE"', true],
    ['status eq "active"', true],
    ['status ne "ACTIVE"', false],
    ["status pr", true],
    ["profile.nickName pr", false],
    ["profile.missing pr", false],
    ['profile.login sw "zoe."', true],
    ['profile.login ew "@acme.example"', true],
    ['profile.login co "bronte"', true],
    ['profile.lastName eq "Brontë"', true],
    ['lastUpdated gt "2024-04-30T00:00:00.000Z"', true],
    ['lastUpdated lt "2024-04-30T00:00:00.000Z"', false],
    ['lastUpdated ge "2024-05-01T10:00:00.000Z"', true],
    ["profile.clearanceLevel gt 2", true],
    ["profile.clearanceLevel le 2", false],
    ["profile.isContractor eq false", true],
    ["profile.nickName eq null", true],
    ['status eq "ACTIVE" and profile.department eq "Sales"', false],
    ['status eq "SUSPENDED" or profile.department eq "Engineering"', true],
    ['(status eq "SUSPENDED" or status eq "ACTIVE") and profile.clearanceLevel eq 3', true],
    ['not (status eq "ACTIVE")', false],
    ['STATUS EQ "ACTIVE" AND profile.clearanceLevel GE 3', false],
  ])("%s → %s", (expr, expected) => {
    expect(matches(expr)).toBe(expected);
  });

  it("matches any element of an array attribute, as the System Log's target.id", () => {
    expect(matches('target.id eq "00g9"', event)).toBe(true);
    expect(matches('target.type eq "AppInstance"', event)).toBe(false);
  });

  it("reads escaped quotes inside strings", () => {
    expect(matches('profile.login eq "a\\"b"', { profile: { login: 'a"b' } })).toBe(true);
  });

  it.each([
    ["", "empty expression"],
    ["status", "operator expected"],
    ['status eq "ACTIVE', "unterminated string"],
    ["status eq ACTIVE", "strings need double quotes"],
    ['status xx "ACTIVE"', "unknown operator"],
    ['(status eq "ACTIVE"', "')' expected"],
    ['status eq "ACTIVE" status eq "X"', "unexpected"],
    ['not status eq "ACTIVE"', "'(' expected after not"],
  ])("rejects %j (%s)", (expr, message) => {
    let thrown: unknown;
    try {
      parseFilter(expr);
    } catch (error) {
      thrown = error;
    }
    expect(isFilterSyntaxError(thrown)).toBe(true);
    expect((thrown as Error).message).toContain(message);
  });

  it("lists every attribute and operator, so endpoints can enforce their allow-lists", () => {
    expect(filterTerms(parseFilter('status eq "A" or (lastUpdated gt "2024-01-01" and profile.x pr)'))).toEqual([
      { attr: "status", op: "eq" },
      { attr: "lastUpdated", op: "gt" },
      { attr: "profile.x", op: "pr" },
    ]);
  });
});
