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
    // "ab" are lower-case letters, so the lower-case class needs no character of its own: 6 + 3.
    expect(() => randomPassword({ length: 8, constraints: [{ charSet: "ab", minCount: 6 }] })).toThrow(/need 9 characters, more than length 8/);
    expect(() => randomPassword({ length: 8, constraints: [{ charSet: "0123456789", minCount: 5 }, { charSet: "!#$%", minCount: 5 }] })).toThrow(
      "credential_options.random_password: the constraints need 12 characters, more than length 8",
    );
  });

  it("fits constraints that already cover a class: 3 digits and 3 symbols in 8", () => {
    for (let i = 0; i < 50; i++) {
      const password = randomPassword({ length: 8, constraints: [{ charSet: "0123456789", minCount: 3 }, { charSet: "!#$%", minCount: 3 }] });
      expect(password).toHaveLength(8);
      expect(classesOf(password)).toMatchObject({ lower: 1, upper: 1, digit: 3, symbol: 3 });
    }
  });

  it("refuses, as INVALID_ARGUMENT naming the constraint, one whose characters always spell a part of the user's names", () => {
    // 12 of 16 characters from "a" always hold "aaa" (four others split them into at most five runs),
    // a part of the name "Aaa" that Okta's policy forbids.
    const request = { length: 16, constraints: [{ charSet: "a", minCount: 12 }], avoid: namePartsOf(["Aaa"]) };
    let error: unknown;
    try {
      randomPassword(request);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      kind: "invalid",
      message: "credential_options.random_password.constraints[0]: no password of length 16 that meets it avoids the user's names, as Okta's password policy requires; ask for fewer of those characters or a longer password",
    });
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
