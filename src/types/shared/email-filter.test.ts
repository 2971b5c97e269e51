import { describe, expect, it } from "vitest";
import { createEmailFilter } from "./email-filter.js";

describe("createEmailFilter", () => {
  const filter = createEmailFilter(["example.com"]);
  it.each([
    ["primary email", { email: "ana@Example.COM" }, true],
    ["second email", { email: "ana@other.org", secondEmail: "ana@example.com" }, true],
    ["login that is an address", { login: "ana@example.com" }, true],
    ["subdomain is not the domain", { email: "ana@sub.example.com" }, false],
    ["suffix without @", { email: "ana@notexample.com" }, false],
    ["no email at all", { login: "ana" }, false],
    ["null emails", { email: null, secondEmail: null, login: "x@y.org" }, false],
  ])("%s", (_name, profile, expected) => {
    expect(filter(profile)).toBe(expected);
  });

  it("keeps everyone when no domain is configured", () => {
    expect(createEmailFilter([])({ email: null })).toBe(true);
  });
});
