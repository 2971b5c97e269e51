import { describe, expect, it } from "vitest";
import { mfaEnabledOf, statusDetailsOf, structuredNameOf } from "./user-posture.js";

const base = { statusChanged: "2025-04-03T10:11:12.000Z", lastLogin: "2025-05-01T08:00:00.000Z", passwordChanged: "2024-11-03T09:00:00.000Z" };

describe("statusDetailsOf", () => {
  it.each([
    ["ACTIVE", "ACTIVE since 2025-04-03; password changed 2024-11-03"],
    ["LOCKED_OUT", "LOCKED_OUT since 2025-04-03 (locked after too many failed sign-ins); password changed 2024-11-03"],
    ["PASSWORD_EXPIRED", "PASSWORD_EXPIRED since 2025-04-03 (must change password at next sign-in); password changed 2024-11-03"],
    ["RECOVERY", "RECOVERY since 2025-04-03 (password reset in progress); password changed 2024-11-03"],
    ["SUSPENDED", "SUSPENDED since 2025-04-03 (suspended by an admin, cannot sign in); password changed 2024-11-03"],
    ["DEPROVISIONED", "DEPROVISIONED since 2025-04-03 (deactivated); password changed 2024-11-03"],
    ["SOMETHING_NEW", "SOMETHING_NEW since 2025-04-03; password changed 2024-11-03"],
  ])("%s: Okta's status first, since when, and what it means", (status, want) => {
    expect(statusDetailsOf({ ...base, status: status as never })).toBe(want);
  });

  it("says a user never signed in and has no Okta password (a STAGED user: no statusChanged either)", () => {
    expect(statusDetailsOf({ status: "STAGED", statusChanged: null, lastLogin: null, passwordChanged: null })).toBe(
      "STAGED (created, never activated); never signed in; no password set in Okta",
    );
  });

  it("names an asynchronous change in progress (transitioningToStatus)", () => {
    expect(statusDetailsOf({ ...base, status: "ACTIVE", transitioningToStatus: "DEPROVISIONED" })).toBe(
      "ACTIVE since 2025-04-03; changing to DEPROVISIONED; password changed 2024-11-03",
    );
  });

  it("ignores unreadable timestamps rather than printing Invalid Date", () => {
    expect(statusDetailsOf({ status: "ACTIVE", statusChanged: "not a date", lastLogin: "", passwordChanged: "garbage" })).toBe("ACTIVE; never signed in; no password set in Okta");
  });
});

describe("structuredNameOf", () => {
  it("maps Okta's firstName, middleName, lastName, honorificPrefix and honorificSuffix", () => {
    expect(structuredNameOf({ login: "a@x", firstName: "Ada", middleName: "Augusta", lastName: "Lovelace", honorificPrefix: "Countess", honorificSuffix: "FRS" })).toEqual({
      givenName: "Ada", familyName: "Lovelace", middleNames: ["Augusta"], prefix: "Countess", suffix: "FRS",
    });
  });

  it("is undefined for a profile without any name part, and skips blank or non-string parts", () => {
    expect(structuredNameOf({ login: "svc-backup" })).toBeUndefined();
    expect(structuredNameOf({ login: "x", firstName: "  ", lastName: 7 as never, middleName: null })).toBeUndefined();
    expect(structuredNameOf({ login: "x", lastName: "Ng" })).toEqual({ givenName: "", familyName: "Ng", middleNames: [], prefix: "", suffix: "" });
  });
});

describe("mfaEnabledOf", () => {
  it.each([
    ["no factor", [], false],
    ["one ACTIVE push", [{ factorType: "push", status: "ACTIVE" }], true],
    ["only PENDING_ACTIVATION", [{ factorType: "sms", status: "PENDING_ACTIVATION" }], false],
    ["NOT_SETUP, INACTIVE and EXPIRED", [{ status: "NOT_SETUP" }, { status: "INACTIVE" }, { status: "EXPIRED" }], false],
    ["pending webauthn beside an ACTIVE totp", [{ factorType: "webauthn", status: "PENDING_ACTIVATION" }, { factorType: "token:software:totp", status: "ACTIVE" }], true],
  ])("%s → %s", (_name, factors, want) => {
    expect(mfaEnabledOf(factors)).toBe(want);
  });
});
