import { describe, expect, it } from "vitest";
import { namePartsOf, PASSWORD_CLASSES, randomPassword } from "./random-password.js";

const classesOf = (password: string) =>
  Object.fromEntries(Object.entries(PASSWORD_CLASSES).map(([name, set]) => [name, [...password].filter((c) => set.includes(c)).length]));

describe("randomPassword", () => {
  it("is 20 characters with every class when no length is asked for", () => {
    const password = randomPassword({ length: 0 });
    expect(password).toHaveLength(20);
    for (const count of Object.values(classesOf(password))) expect(count).toBeGreaterThanOrEqual(1);
  });

  it.each([8, 12, 64])("honours length %i", (length) => {
    expect(randomPassword({ length })).toHaveLength(length);
  });

  it.each([
    ["too short", 7, /7 is not within 8..64/],
    ["too long", 65, /65 is not within 8..64/],
  ])("refuses a length that is %s with INVALID_ARGUMENT naming the field", (_name, length, message) => {
    expect(() => randomPassword({ length })).toThrow(message);
    expect(() => randomPassword({ length })).toThrow(/credential_options\.random_password\.length/);
  });

  it("meets the caller's constraints on top of the classes", () => {
    const password = randomPassword({ length: 16, constraints: [{ charSet: "XYZ", minCount: 5 }] });
    expect([...password].filter((c) => "XYZ".includes(c)).length).toBeGreaterThanOrEqual(5);
    expect(classesOf(password).digit).toBeGreaterThanOrEqual(1);
  });

  it("refuses constraints that need more characters than the length", () => {
    expect(() => randomPassword({ length: 8, constraints: [{ charSet: "ab", minCount: 6 }] })).toThrow(/need 10 characters, more than length 8/);
  });

  it("never contains a part of the user's names", () => {
    // Five of eight characters from "abc" put "abc" in many draws; only the avoid rule keeps it out.
    const constraints = [{ charSet: "abc", minCount: 5 }];
    const drawn = Array.from({ length: 100 }, () => randomPassword({ length: 9, constraints }).toLowerCase());
    expect(drawn.filter((p) => p.includes("abc")).length).toBeGreaterThan(0);
    const avoid = namePartsOf(["abc.def@example.com"]);
    for (let i = 0; i < 100; i++) expect(randomPassword({ length: 9, constraints, avoid }).toLowerCase()).not.toContain("abc");
  });

  it("differs between calls", () => {
    expect(new Set(Array.from({ length: 20 }, () => randomPassword({ length: 12 }))).size).toBe(20);
  });
});

describe("namePartsOf", () => {
  it("splits logins and names into the parts Okta's policy checks", () => {
    expect(namePartsOf(["ada.lovelace@example.com", "Ada", undefined, "Lovelace"])).toEqual(["ada", "lovelace", "example", "com", "Ada", "Lovelace"]);
  });
});
