import { describe, expect, it } from "vitest";
import { syncOrderOf } from "./sync-order.js";

const t = (id: string, ...dependsOn: string[]) => ({ id, dependsOn });
const ids = (types: readonly { id: string }[]) => types.map((x) => x.id);

describe("syncOrderOf", () => {
  it("keeps the given order when it already respects the dependencies", () => {
    expect(ids(syncOrderOf([t("user"), t("group", "user"), t("role", "user", "group"), t("app", "user", "group")]))).toEqual(["user", "group", "role", "app"]);
  });

  it("moves a type after the types it depends on, and otherwise keeps list order", () => {
    expect(ids(syncOrderOf([t("binding", "set", "user"), t("set", "role"), t("user"), t("role", "user")]))).toEqual(["user", "role", "set", "binding"]);
  });

  it("refuses a dependency no type declares, naming both", () => {
    expect(() => syncOrderOf([t("user"), t("device", "usr")])).toThrow(/"device" depends on "usr", which no resource type declares/);
  });

  it("refuses a cycle, naming the types in it", () => {
    expect(() => syncOrderOf([t("user"), t("a", "b"), t("b", "a")])).toThrow(/cycle: a → b; b → a/);
    expect(() => syncOrderOf([t("self", "self")])).toThrow(/cycle: self → self/);
  });
});
