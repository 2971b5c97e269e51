import { describe, expect, it } from "vitest";
import { parseOktaOrgUrl } from "./org-url.js";

describe("parseOktaOrgUrl", () => {
  it.each([
    ["acme.okta.com", "https://acme.okta.com"],
    ["  acme.okta.com  ", "https://acme.okta.com"],
    ["https://acme.okta.com/", "https://acme.okta.com"],
    ["acme.okta.com:8443", "https://acme.okta.com:8443"],
    ["http://127.0.0.1:9000", "http://127.0.0.1:9000"],
    ["http://localhost:9000/", "http://localhost:9000"],
    ["http://[::1]:9000", "http://[::1]:9000"],
  ])("accepts %j as %s", (input, expected) => {
    expect(parseOktaOrgUrl(input)).toBe(expected);
  });

  it.each([
    ["", /is empty/],
    ["http://acme.okta.com", /only allowed for loopback/],
    ["http://10.0.0.5:9000", /only allowed for loopback/],
    ["ftp://acme.okta.com", /scheme ftp: is not supported/],
    ["https://acme.okta.com/api/v1", /bare host/],
    ["https://acme.okta.com?x=1", /bare host/],
    ["https://acme.okta.com#frag", /bare host/],
    ["https://user:pw@acme.okta.com", /credentials/],
    ["acme okta com", /not a host/],
  ])("rejects %j naming --domain", (input, message) => {
    expect(() => parseOktaOrgUrl(input)).toThrow(message);
    expect(() => parseOktaOrgUrl(input)).toThrow(/^--domain: /);
  });
});
