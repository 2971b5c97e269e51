import { describe, expect, it } from "vitest";
import { capabilitiesFromReports, capabilityReport, type OktaCapabilities } from "../okta/index.js";
import type { CapabilityState } from "./capability-state.js";
import { createProvisioningAccess, createWriteWithheld } from "./provisioning-access.js";
import { OKTA_TYPE_DESCRIPTORS } from "./okta-type-descriptors.js";

const ctx = { signal: new AbortController().signal };
/** The write needs the connector's descriptors declare. */
const writeNeedOf = (id: string) => OKTA_TYPE_DESCRIPTORS.find((d) => d.resourceType.id === id)?.needs.write;

/** A capability state whose group write is `writeGroups`; everything else granted. */
function stateWith(writeGroups: OktaCapabilities["writeGroups"]): CapabilityState {
  const caps = capabilitiesFromReports({
    listUsers: capabilityReport("listUsers", "granted"),
    readRoles: capabilityReport("readRoles", "missing", "HTTP 403 E0000006"),
    writeGroups,
    writeApps: capabilityReport("writeApps", "unknown"),
    writeRoles: capabilityReport("writeRoles", "missing", "no Super Administrator"),
    writeUsers: capabilityReport("writeUsers", "missing", "no Super Administrator"),
  }, false);
  return { get: async () => caps, rolesUnreadable: async () => undefined, learn: () => {} };
}

describe("createProvisioningAccess", () => {
  const rows: [string, OktaCapabilities["writeGroups"], boolean][] = [
    ["missing, proven by reads (an OAuth token without okta.groups.manage): refused before Okta", capabilityReport("writeGroups", "missing", "no okta.groups.manage scope"), true],
    // A Group Administrator scoped to some groups is refused on the others; the next target may be in scope.
    ["missing, learnt from a refused write: Okta decides the next call", { ...capabilityReport("writeGroups", "missing", "HTTP 403"), learnedFromWrite: true }, false],
    ["unknown: attempted", capabilityReport("writeGroups", "unknown"), false],
    ["granted: attempted", capabilityReport("writeGroups", "granted"), false],
  ];
  it.each(rows)("%s", async (_name, report, denied) => {
    const access = await createProvisioningAccess(stateWith(report), "ssws", writeNeedOf)("group", ctx);
    expect(access.requiredRole).toBe("Group Administrator");
    expect(access.denied !== undefined).toBe(denied);
  });

  it("refuses role and user writes a read proved missing, naming the role", async () => {
    const access = await createProvisioningAccess(stateWith(capabilityReport("writeGroups", "granted")), "ssws", writeNeedOf)("role", ctx);
    expect(access.denied).toContain("use an API token created by a Super Administrator");
  });
});

describe("createWriteWithheld", () => {
  it("withholds a type whose write is missing for any reason, a refused write included", async () => {
    for (const report of [capabilityReport("writeGroups", "missing"), { ...capabilityReport("writeGroups", "missing"), learnedFromWrite: true }]) {
      expect(await createWriteWithheld(stateWith(report), writeNeedOf)("group", ctx)).toBe(true);
    }
  });

  it("advertises unknown and granted writes", async () => {
    for (const status of ["unknown", "granted"] as const) {
      expect(await createWriteWithheld(stateWith(capabilityReport("writeGroups", status)), writeNeedOf)("group", ctx)).toBe(false);
    }
  });

  it("reads each type's own write need: role writes here are missing, app writes unknown", async () => {
    const withheld = createWriteWithheld(stateWith(capabilityReport("writeGroups", "granted")), writeNeedOf);
    expect(await withheld("role", ctx)).toBe(true);
    expect(await withheld("app", ctx)).toBe(false);
  });
});
