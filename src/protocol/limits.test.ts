import { describe, expect, it } from "vitest";
import { truncateUtf8, utf8Length } from "./limits.js";

describe("truncateUtf8", () => {
  it.each([
    ["ascii under the limit", "Engineering", 1024, "Engineering"],
    ["ascii over the limit", "abcdef", 4, "abcd"],
    ["two-byte characters at the boundary", "ééé", 5, "éé"],
    ["a three-byte character that does not fit", "ab€", 4, "ab"],
    ["a four-byte emoji that does not fit", "a😀", 4, "a"],
    ["exactly the limit", "😀", 4, "😀"],
    ["zero bytes", "abc", 0, ""],
  ])("keeps %s within the limit", (_name, input, max, expected) => {
    const out = truncateUtf8(input, max);
    expect(out).toBe(expected);
    expect(utf8Length(out)).toBeLessThanOrEqual(max);
  });

  it("never produces a replacement character for long mixed names", () => {
    const name = "Ünïcødé Группа 部署 😀 ".repeat(200);
    for (let max = 1000; max < 1030; max++) {
      const out = truncateUtf8(name, max);
      expect(utf8Length(out)).toBeLessThanOrEqual(max);
      expect(out).not.toContain("\uFFFD");
      expect(name.startsWith(out)).toBe(true);
    }
  });
});
