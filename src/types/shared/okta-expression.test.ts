import { describe, expect, it } from "vitest";
import { parseOktaExpression } from "./okta-expression-parser.js";
import { evaluateOktaExpression, type ExpressionSubject } from "./okta-expression.js";

const ana: ExpressionSubject = {
  profile: { department: "Engineering", title: "Staff Engineer", city: "Berlin", countryCode: "DE", clearanceLevel: 3, isContractor: false, skills: ["go"], email: "ana@acme.example" },
  groups: [
    { id: "00g1a2b3c4d5e6f7g8h9", name: "Team Payments" },
    { id: "00g9z8y7x6w5v4u3t2s1", name: "Engineering" },
  ],
};

function holds(text: string, subject: ExpressionSubject = ana): boolean | undefined {
  const parsed = parseOktaExpression(text);
  if (!parsed.ok) throw new Error(`unreadable: ${parsed.reason}`);
  return evaluateOktaExpression(parsed.expression, subject);
}

describe("evaluateOktaExpression: the common group-rule subset", () => {
  it.each([
    ['user.department == "Engineering"', true],
    ['user.department=="Sales"', false],
    ["user.department == 'Engineering'", true],
    ['user.department != "Sales"', true],
    ['user.department == "engineering"', false], // Okta's == is case-sensitive
    ['user.missingAttribute == "x"', false],
    ["user.missingAttribute == null", true],
    ['user.department == "Engineering" && user.countryCode == "DE"', true],
    ['user.department == "Engineering" AND user.countryCode == "US"', false],
    ['user.department == "Sales" || user.city == "Berlin"', true],
    ['user.department == "Sales" OR user.city == "Paris"', false],
    ['!(user.department == "Sales")', true],
    ['!user.isContractor', true],
    ["user.isContractor == false", true],
    ['(user.department == "Sales" || user.department == "Engineering") && !(user.countryCode == "US")', true],
    ['user.department == "Sales" || user.department == "Engineering" && user.countryCode == "US"', false], // && binds tighter
    ["user.clearanceLevel >= 3", true],
    ["user.clearanceLevel > 3", false],
    ["user.clearanceLevel < 4 && user.clearanceLevel <= 3", true],
    ['user.clearanceLevel > "2"', false], // no cross-type ordering
    ['String.startsWith(user.title, "Staff")', true],
    ['String.endsWith(user.email, "@acme.example")', true],
    ['String.stringContains(user.title, "Engineer")', true],
    ['String.stringContains(user.missingAttribute, "x")', false],
    ['String.toLowerCase(user.department) == "engineering"', true],
    ['String.toUpperCase(user.city) == "BERLIN"', true],
    ['user.skills == "go"', false], // arrays equal no literal
    ['isMemberOfGroup("00g1a2b3c4d5e6f7g8h9")', true],
    ['isMemberOfAnyGroup("00gnotamember0000000", "00g9z8y7x6w5v4u3t2s1")', true],
    ['isMemberOfAnyGroup("00gnotamember0000000")', false],
    ['isMemberOfGroupName("Engineering")', true],
    ['isMemberOfGroupNameStartsWith("Team ")', true],
    ['isMemberOfGroupNameContains("ayme")', true],
    ['isMemberOfGroupNameContains("Sales")', false],
  ])("%s → %s", (text, expected) => {
    expect(holds(text)).toBe(expected);
  });

  it("has no answer for a group function when the user's groups are unknown, unless the rest decides", () => {
    const profileOnly: ExpressionSubject = { profile: ana.profile };
    expect(holds('isMemberOfGroupName("Engineering")', profileOnly)).toBeUndefined();
    expect(holds('user.department == "Engineering" || isMemberOfGroupName("X")', profileOnly)).toBe(true);
    expect(holds('user.department == "Sales" && isMemberOfGroupName("X")', profileOnly)).toBe(false);
    expect(holds(`isMemberOfGroupName("X") && user.department == "Sales"`, profileOnly)).toBe(false);
    expect(holds(`isMemberOfGroupName("X") || user.department == "Engineering"`, profileOnly)).toBe(true);
    expect(holds(`!isMemberOfGroupName("X") && user.department == "Engineering"`, profileOnly)).toBeUndefined();
  });

  it("tells whether an expression needs the user's groups", () => {
    expect(parseOktaExpression('user.department == "Sales"')).toMatchObject({ ok: true, usesGroups: false });
    expect(parseOktaExpression('isMemberOfAnyGroup("00g1")')).toMatchObject({ ok: true, usesGroups: true });
  });
});

describe("parseOktaExpression: outside the subset", () => {
  it.each([
    ['Arrays.contains(user.skills, "go")', /Arrays/],
    ['user.title.matches(".*Engineer")', /method calls/],
    ["user.isMemberOf({'group.id': '00g1'})", /"\{"/],
    ['String.substringBefore(user.email, "@")', /substringBefore/],
    ['user.department == "Engineering" ? true : false', /"\?"/],
    ['user.department == "Engineering', /unterminated/],
    ['(user.department == "Engineering"', /expected "\)"/],
    ['user.department == "Engineering" user.city', /unexpected "user"/],
    ["", /ends too early/],
    ["isMemberOfGroupName(user.department)", /string literals/],
    ['isMemberOfGroup("00g1", "00g2")', /2 arguments/],
    ['String.startsWith(user.title)', /takes 2 arguments/],
  ])("%s is refused (%s)", (text, reason) => {
    const parsed = parseOktaExpression(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.reason).toMatch(reason);
  });
});
