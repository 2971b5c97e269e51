import { describe, expect, it } from "vitest";
import { type ClientSubject, isAllowedClientSubject } from "./client-subject.js";

const engine: ClientSubject = { whole: "/C=US/O=Acme/CN=governance-engine", commonNames: ["governance-engine"] };

describe("isAllowedClientSubject", () => {
  const rows: { name: string; subject: ClientSubject; allowed: string[]; expected: boolean }[] = [
    { name: "CN pin matches the one CN", subject: engine, allowed: ["CN=governance-engine"], expected: true },
    { name: "whole-subject pin matches in certificate order", subject: engine, allowed: ["/C=US/O=Acme/CN=governance-engine"], expected: true },
    { name: "any of several pins", subject: engine, allowed: ["CN=other", "/C=US/O=Acme/CN=governance-engine"], expected: true },
    { name: "CN is compared exactly, not as a prefix", subject: engine, allowed: ["CN=governance"], expected: false },
    { name: "CN is case-sensitive", subject: engine, allowed: ["CN=Governance-Engine"], expected: false },
    { name: "a pin is never a pattern", subject: engine, allowed: ["CN=.*", "CN=governance-.*"], expected: false },
    { name: "whole subject in another order", subject: engine, allowed: ["/O=Acme/C=US/CN=governance-engine"], expected: false },
    { name: "whole subject missing an attribute", subject: engine, allowed: ["/O=Acme/CN=governance-engine"], expected: false },
    { name: "two CNs never match a CN pin", subject: { whole: "/CN=a/CN=governance-engine", commonNames: ["a", "governance-engine"] }, allowed: ["CN=governance-engine"], expected: false },
    { name: "no CN at all", subject: { whole: "/O=Acme", commonNames: [] }, allowed: ["CN=governance-engine"], expected: false },
  ];
  for (const row of rows) {
    it(`${row.expected ? "allows" : "refuses"}: ${row.name}`, () => {
      expect(isAllowedClientSubject(row.subject, row.allowed)).toBe(row.expected);
    });
  }
});
