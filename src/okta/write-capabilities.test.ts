import { describe, expect, it } from "vitest";
import { capabilityReport, type CapabilityStatus, type WriteCapability } from "./capability-report.js";
import { deriveWriteCapabilities, verdictFromWrite, type WriteEvidence, writeCapabilityOf } from "./write-capabilities.js";

const READ_SCOPES = ["okta.users.read", "okta.groups.read", "okta.apps.read", "okta.roles.read"];
const rolesGranted = capabilityReport("readRoles", "granted");
const rolesMissing = capabilityReport("readRoles", "missing", "HTTP 403 E0000006 on GET /api/v1/iam/assignees/users");
const rolesUnknown = capabilityReport("readRoles", "unknown", "HTTP 400 E0000001 on GET /api/v1/iam/assignees/users");

function statuses(evidence: WriteEvidence): Record<WriteCapability, CapabilityStatus> {
  const reports = deriveWriteCapabilities(evidence);
  return {
    writeGroups: reports.writeGroups.status,
    writeApps: reports.writeApps.status,
    writeRoles: reports.writeRoles.status,
    writeUsers: reports.writeUsers.status,
  };
}

describe("deriveWriteCapabilities", () => {
  const rows: [string, WriteEvidence, Record<WriteCapability, CapabilityStatus>][] = [
    [
      "SSWS super admin (reads roles): every write granted",
      { noAdminRole: false, readRoles: rolesGranted, grantedScopes: undefined },
      { writeGroups: "granted", writeApps: "granted", writeRoles: "granted", writeUsers: "granted" },
    ],
    [
      "SSWS token that cannot read roles: memberships and assignments await the first write",
      { noAdminRole: false, readRoles: rolesMissing, grantedScopes: undefined },
      { writeGroups: "unknown", writeApps: "unknown", writeRoles: "missing", writeUsers: "missing" },
    ],
    [
      "role reads that proved nothing: every write awaits the first attempt",
      { noAdminRole: false, readRoles: rolesUnknown, grantedScopes: undefined },
      { writeGroups: "unknown", writeApps: "unknown", writeRoles: "unknown", writeUsers: "unknown" },
    ],
    [
      "OAuth app with read scopes only: every write missing, learnt from the token",
      { noAdminRole: false, readRoles: rolesMissing, grantedScopes: READ_SCOPES },
      { writeGroups: "missing", writeApps: "missing", writeRoles: "missing", writeUsers: "missing" },
    ],
    [
      "OAuth super admin granted only okta.groups.manage: the other writes missing",
      { noAdminRole: false, readRoles: rolesGranted, grantedScopes: [...READ_SCOPES, "okta.groups.manage"] },
      { writeGroups: "granted", writeApps: "missing", writeRoles: "missing", writeUsers: "missing" },
    ],
    [
      "OAuth app with group and app manage scopes that cannot read roles",
      { noAdminRole: false, readRoles: rolesMissing, grantedScopes: [...READ_SCOPES, "okta.groups.manage", "okta.apps.manage"] },
      { writeGroups: "unknown", writeApps: "unknown", writeRoles: "missing", writeUsers: "missing" },
    ],
    [
      "no admin role: nothing",
      { noAdminRole: true, readRoles: capabilityReport("readRoles", "missing", "the credential has no admin role"), grantedScopes: undefined },
      { writeGroups: "missing", writeApps: "missing", writeRoles: "missing", writeUsers: "missing" },
    ],
  ];
  it.each(rows)("%s", (_name, evidence, expected) => {
    expect(statuses(evidence)).toEqual(expected);
  });

  it("names the scope a token lacks and the role each write needs", () => {
    const reports = deriveWriteCapabilities({ noAdminRole: false, readRoles: rolesGranted, grantedScopes: READ_SCOPES });
    expect(reports.writeApps).toEqual({
      capability: "writeApps",
      status: "missing",
      requiredRole: "App Administrator",
      requiredScope: "okta.apps.manage",
      reason: "the OAuth access token was not granted the okta.apps.manage scope",
    });
    expect(deriveWriteCapabilities({ noAdminRole: false, readRoles: rolesMissing, grantedScopes: undefined }).writeRoles.reason).toBe(
      "only a Super Administrator may, and the credential cannot read admin roles (HTTP 403 E0000006 on GET /api/v1/iam/assignees/users)",
    );
  });
});

describe("writeCapabilityOf", () => {
  const rows: [string, string, WriteCapability | undefined][] = [
    ["PUT", "/api/v1/groups/00g1abcdefghijklmno/users/00u1abcdefghijklmno", "writeGroups"],
    ["DELETE", "/api/v1/groups/00g1abcdefghijklmno/users/00u1abcdefghijklmno", "writeGroups"],
    ["POST", "/api/v1/apps/0oa1abcdefghijklmno/users", "writeApps"],
    ["DELETE", "/api/v1/apps/0oa1abcdefghijklmno/users/00u1abcdefghijklmno?sendEmail=false", "writeApps"],
    ["PUT", "/api/v1/apps/0oa1abcdefghijklmno/groups/00g1abcdefghijklmno", "writeApps"],
    ["POST", "/api/v1/users/00u1abcdefghijklmno/roles", "writeRoles"],
    ["DELETE", "/api/v1/groups/00g1abcdefghijklmno/roles/ra1abcdefghijklmnop", "writeRoles"],
    ["POST", "/api/v1/iam/resource-sets/iam1abcdefghijklmn/bindings", "writeRoles"],
    ["POST", "/api/v1/users", "writeUsers"],
    ["POST", "/api/v1/users/00u1abcdefghijklmno/lifecycle/suspend", "writeUsers"],
    ["DELETE", "/api/v1/users/00u1abcdefghijklmno", "writeUsers"],
    ["GET", "/api/v1/groups/00g1abcdefghijklmno/users", undefined],
    ["GET", "/api/v1/users/00u1abcdefghijklmno/roles", undefined],
    ["POST", "/oauth2/v1/token", undefined],
    ["POST", "/api/v1/groups", undefined],
  ];
  it.each(rows)("%s %s is %s", (method, path, expected) => {
    expect(writeCapabilityOf(method, path)).toBe(expected);
  });
});

describe("verdictFromWrite", () => {
  const where = "PUT /api/v1/groups/00g1abcdefghijklmno/users/00u1abcdefghijklmno";
  const rows: [string, { status: number; errorCode?: string }, CapabilityStatus | undefined][] = [
    ["204 done", { status: 204 }, "granted"],
    ["200 assigned", { status: 200 }, "granted"],
    ["404 E0000007: passed the permission check, nothing to do", { status: 404, errorCode: "E0000007" }, "granted"],
    ["409 E0000090 already assigned", { status: 409, errorCode: "E0000090" }, "granted"],
    ["403 E0000006: the role lacks the write", { status: 403, errorCode: "E0000006" }, "missing"],
    ["403 E0000117 inactive user proves nothing", { status: 403, errorCode: "E0000117" }, undefined],
    ["400 E0000001 proves nothing", { status: 400, errorCode: "E0000001" }, undefined],
    ["429 proves nothing", { status: 429, errorCode: "E0000047" }, undefined],
    ["500 proves nothing", { status: 500 }, undefined],
  ];
  it.each(rows)("%s", (_name, answer, expected) => {
    expect(verdictFromWrite("writeGroups", answer, where)?.status).toBe(expected);
  });

  it("says which call proved a missing write", () => {
    expect(verdictFromWrite("writeGroups", { status: 403, errorCode: "E0000006" }, where)).toMatchObject({
      requiredRole: "Group Administrator",
      reason: `Okta refused ${where} with HTTP 403 E0000006`,
    });
  });
});
