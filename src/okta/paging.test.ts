import { describe, expect, it } from "vitest";
import { afterFromNextLink, nextHrefFromBody, nextLinkFromHeader } from "./paging.js";

describe("nextLinkFromHeader", () => {
  const rows: [string, string | null, string | undefined][] = [
    ["no header", null, undefined],
    ["self only", '<https://o.okta.com/api/v1/users?limit=200>; rel="self"', undefined],
    [
      "self and next joined by node-fetch",
      '<https://o.okta.com/api/v1/users?limit=200>; rel="self", <https://o.okta.com/api/v1/users?after=00u2&limit=200>; rel="next"',
      "https://o.okta.com/api/v1/users?after=00u2&limit=200",
    ],
    ["bare rel", "<https://o/api/v1/apps?after=0oa9>; rel=next", "https://o/api/v1/apps?after=0oa9"],
    ["multi-valued rel", '<https://o/x?after=a>; rel="prev next"', "https://o/x?after=a"],
    ["next first, then self", '<https://o/x?after=b>; rel="next", <https://o/x>; rel="self"', "https://o/x?after=b"],
    ["upper-case REL value", '<https://o/x?after=c>; REL="NEXT"', "https://o/x?after=c"],
    [
      "commas inside the URL",
      '<https://o/api/v1/groups?expand=stats,app&after=00g1>; rel="next"',
      "https://o/api/v1/groups?expand=stats,app&after=00g1",
    ],
    ["a rel named nextish is not next", '<https://o/x?after=d>; rel="nextish"', undefined],
  ];
  it.each(rows)("%s", (_name, header, want) => {
    expect(nextLinkFromHeader(header)).toBe(want);
  });
});

describe("nextHrefFromBody", () => {
  const rows: [string, unknown, string | undefined][] = [
    ["IAM wrapper with next", { roles: [], _links: { next: { href: "https://o/api/v1/iam/roles?after=cr0b" } } }, "https://o/api/v1/iam/roles?after=cr0b"],
    ["IAM wrapper without next", { roles: [], _links: { self: { href: "https://o/api/v1/iam/roles" } } }, undefined],
    ["empty href", { _links: { next: { href: "" } } }, undefined],
    ["not an object", [1, 2], undefined],
    ["null", null, undefined],
  ];
  it.each(rows)("%s", (_name, body, want) => {
    expect(nextHrefFromBody(body)).toBe(want);
  });
});

describe("afterFromNextLink", () => {
  it("extracts the after cursor, percent-decoded", () => {
    expect(afterFromNextLink("https://o/api/v1/users?limit=2&after=00u2", undefined)).toBe("00u2");
    expect(afterFromNextLink("https://o/api/v1/logs?after=1627500044869_1", "x")).toBe("1627500044869_1");
    expect(afterFromNextLink("https://o/x?after=a%2Bb%3D", undefined)).toBe("a+b=");
    expect(afterFromNextLink("/api/v1/iam/roles?after=cr0b", undefined)).toBe("cr0b");
  });

  it("ends the listing when there is no next link", () => {
    expect(afterFromNextLink(undefined, "00u9")).toBeUndefined();
  });

  it("refuses a next link that would loop or lose the cursor", () => {
    expect(() => afterFromNextLink("https://o/api/v1/users?limit=2", undefined, "/api/v1/users")).toThrow(
      expect.objectContaining({ kind: "unavailable", message: "/api/v1/users sent a next link without an after cursor" }),
    );
    expect(() => afterFromNextLink("https://o/api/v1/users?after=00u2", "00u2", "/api/v1/users")).toThrow(
      expect.objectContaining({ kind: "unavailable", message: "/api/v1/users sent a next link repeating after=00u2" }),
    );
  });
});
