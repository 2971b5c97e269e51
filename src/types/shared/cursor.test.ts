import { describe, expect, it } from "vitest";
import { allPages, loopGuard } from "./cursor.js";

/** A listing whose next links are given by `next`, recording each `after` asked for. */
function listing(next: (after: string | undefined) => string | undefined) {
  const asked: (string | undefined)[] = [];
  const fetch = async (after: string | undefined) => {
    asked.push(after);
    const following = next(after);
    return following === undefined ? { items: [after ?? "first"] } : { items: [after ?? "first"], after: following };
  };
  return { asked, fetch };
}

describe("allPages", () => {
  it("follows next links to the end", async () => {
    const { fetch, asked } = listing((after) => ({ first: "A", A: "B", B: undefined } as Record<string, string | undefined>)[after ?? "first"]);
    expect(await allPages("GET /api/v1/groups", fetch)).toEqual(["first", "A", "B"]);
    expect(asked).toEqual([undefined, "A", "B"]);
  });

  it("refuses next links A -> B -> A on the third page, UNAVAILABLE naming the endpoint, instead of walking for ever", async () => {
    const { fetch, asked } = listing((after) => (after === undefined ? "A" : after === "A" ? "B" : "A"));
    await expect(allPages("GET /api/v1/iam/assignees/users", fetch)).rejects.toMatchObject({
      kind: "unavailable",
      message: "Okta's paging of GET /api/v1/iam/assignees/users loops: a next link leads back to a page this listing already read",
    });
    expect(asked).toEqual([undefined, "A", "B"]);
  });
});

describe("loopGuard", () => {
  it("passes each new after through and refuses one seen before, naming the endpoint", () => {
    const guard = loopGuard("GET /api/v1/groups/00g1abcd/users");
    expect([guard("A"), guard("B"), guard(undefined)]).toEqual(["A", "B", undefined]);
    expect(() => guard("A")).toThrow("Okta's paging of GET /api/v1/groups/00g1abcd/users loops: a next link leads back to a page this listing already read");
  });
});
