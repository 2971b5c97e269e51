import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMemberSet } from "./member-set.js";

describe("member set", () => {
  it("behaves like a sorted Set under any sequence of adds and deletes", () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(200)), { maxLength: 300 }), (ops) => {
      const set = createMemberSet();
      const model = new Set<number>();
      for (const [add, value] of ops) {
        if (add) expect(set.add(value)).toBe(!model.has(value));
        else expect(set.delete(value)).toBe(model.has(value));
        if (add) model.add(value);
        else model.delete(value);
      }
      const sorted = [...model].sort((a, b) => a - b);
      expect([...set.values()]).toEqual(sorted);
      expect(set.size).toBe(sorted.length);
      for (const probe of [0, 50, 100, 201]) {
        expect(set.has(probe)).toBe(model.has(probe));
        expect(set.indexAfter(probe)).toBe(sorted.filter((v) => v <= probe).length);
      }
    }));
  });

  it("seeks past a cursor that is no longer a member", () => {
    const set = createMemberSet(Uint32Array.from([2, 5, 9]));
    set.delete(5);
    expect(set.at(set.indexAfter(5))).toBe(9);
    expect(set.indexAfter(9)).toBe(set.size);
  });
});
