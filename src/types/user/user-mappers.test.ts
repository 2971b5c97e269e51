import { describe, expect, it } from "vitest";
import { UserTrait_AccountType, UserTraitSchema } from "../../../gen/c1/connector/v2/annotation_trait_pb.js";
import { V1IdentifierSchema } from "../../../gen/c1/connector/v2/annotation_v1_identifier_pb.js";
import type { OktaUser } from "../../okta/index.js";
import { pick } from "../../protocol/annotations.js";
import { ResourceStatus } from "../../protocol/builders.js";
import { displayNameOf, RAW_STATUS_PROFILE_KEY, statusOf, userResourceOf } from "./user-mappers.js";

const ada: OktaUser = {
  id: "00u1ada",
  status: "ACTIVE",
  created: "2024-01-02T03:04:05.000Z",
  lastLogin: "2025-06-07T08:09:10.000Z",
  profile: { login: "ada@example.com", email: "ada@example.com", secondEmail: "ada@home.example", firstName: "Ada", lastName: "Lovelace", employeeNumber: "E42" },
};

describe("userResourceOf", () => {
  it("keeps Okta's id, baton-okta's V1 id and the raw status in the profile", () => {
    const resource = userResourceOf(ada, { skipSecondaryEmails: false });
    expect(resource.id).toMatchObject({ resourceType: "user", resource: "00u1ada" });
    expect(resource.displayName).toBe("Ada Lovelace");
    expect(pick(resource.annotations, V1IdentifierSchema)?.id).toBe("00u1ada");
    expect(resource.profile?.[RAW_STATUS_PROFILE_KEY]).toBe("ACTIVE");
  });

  it("fills the user trait: both emails, login and its alias, employee id, enabled, last login", () => {
    const trait = pick(userResourceOf(ada, { skipSecondaryEmails: false }).annotations, UserTraitSchema)!;
    expect(trait.emails.map((e) => [e.address, e.isPrimary])).toEqual([["ada@example.com", true], ["ada@home.example", false]]);
    expect(trait.login).toBe("ada@example.com");
    expect(trait.loginAliases).toEqual(["ada"]);
    expect(trait.employeeIds).toEqual(["E42"]);
    expect(trait.status?.status).toBe(1); // UserTrait_Status_Status.ENABLED
    expect(trait.lastLogin?.seconds).toBe(BigInt(Date.parse("2025-06-07T08:09:10.000Z") / 1000));
  });

  it("puts the posture status detail on the resource and the trait, and leaves the account HUMAN", () => {
    const resource = userResourceOf({ ...ada, status: "LOCKED_OUT", statusChanged: "2025-06-01T00:00:00.000Z", passwordChanged: null }, { skipSecondaryEmails: false });
    const trait = pick(resource.annotations, UserTraitSchema)!;
    expect(resource.status?.details).toBe("LOCKED_OUT since 2025-06-01 (locked after too many failed sign-ins); no password set in Okta");
    expect(trait.status?.details).toBe(resource.status?.details);
    // Okta's user JSON has no marker of a service account (profile.userType is free text the org fills).
    expect(trait.accountType).toBe(UserTrait_AccountType.HUMAN);
    expect(trait.structuredName).toMatchObject({ givenName: "Ada", familyName: "Lovelace" });
  });

  it("sets mfa_status only when the factors were read: unset is unknown, not false", () => {
    const traitOf = (extras: { mfaEnabled?: boolean }) => pick(userResourceOf(ada, { skipSecondaryEmails: false }, extras).annotations, UserTraitSchema)!;
    expect(traitOf({}).mfaStatus).toBeUndefined();
    expect(traitOf({ mfaEnabled: true }).mfaStatus?.mfaEnabled).toBe(true);
    expect(traitOf({ mfaEnabled: false }).mfaStatus).toBeDefined();
    expect(traitOf({ mfaEnabled: false }).mfaStatus?.mfaEnabled).toBe(false);
  });

  it("with --skip-secondary-emails drops the second address from the trait and blanks it in the profile", () => {
    const resource = userResourceOf(ada, { skipSecondaryEmails: true });
    expect(pick(resource.annotations, UserTraitSchema)!.emails.map((e) => e.address)).toEqual(["ada@example.com"]);
    expect(resource.profile?.["secondEmail"]).toBeNull();
  });
});

describe("statusOf and displayNameOf", () => {
  it("follows baton-okta's status table, STAGED disabled", () => {
    expect(["ACTIVE", "LOCKED_OUT", "STAGED", "DEPROVISIONED", "SOMETHING_NEW"].map(statusOf)).toEqual([
      ResourceStatus.ENABLED, ResourceStatus.ENABLED, ResourceStatus.DISABLED, ResourceStatus.DISABLED, ResourceStatus.UNSPECIFIED,
    ]);
  });

  it("prefers profile.displayName, else first and last with 'unknown' for a missing part", () => {
    expect(displayNameOf({ ...ada, profile: { ...ada.profile, displayName: "Countess" } })).toBe("Countess");
    expect(displayNameOf({ ...ada, profile: { login: "x", firstName: "Ada" } })).toBe("Ada unknown");
  });
});
