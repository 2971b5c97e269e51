import { create } from "@bufbuild/protobuf";
import {
  CapabilityDetailCredentialOption,
  type ConnectorAccountCreationSchema,
  ConnectorAccountCreationSchemaSchema,
  type CredentialDetails,
  CredentialDetailsSchema,
} from "../../../gen/c1/connector/v2/connector_pb.js";

/**
 * The form an engine shows to create an Okta account (GetMetadata's account_creation_schema), with
 * baton-okta's keys so an engine's saved requests keep working. The three switches are booleans here
 * (baton-okta used "True/False" strings); user-account.ts accepts both.
 */
export function userAccountCreationSchema(): ConnectorAccountCreationSchema {
  const text = (order: number, displayName: string, description: string, required: boolean, extra: { placeholder?: string; defaultValue?: string } = {}) => ({
    order,
    displayName,
    description,
    required,
    placeholder: extra.placeholder ?? "",
    field: { case: "stringField" as const, value: extra.defaultValue === undefined ? {} : { defaultValue: extra.defaultValue } },
  });
  const toggle = (order: number, displayName: string, description: string, defaultValue: boolean) => ({
    order,
    displayName,
    description,
    required: false,
    field: { case: "boolField" as const, value: { defaultValue } },
  });
  return create(ConnectorAccountCreationSchemaSchema, {
    fieldMap: {
      first_name: text(1, "First name", "The user's first name (Okta profile firstName)", true, { placeholder: "Ada" }),
      last_name: text(2, "Last name", "The user's last name (Okta profile lastName)", true, { placeholder: "Lovelace" }),
      email: text(3, "Email", "The user's primary e-mail address (Okta profile email)", true, { placeholder: "ada@example.com" }),
      login: text(4, "Login", "The Okta username; the e-mail address when left empty", false, { placeholder: "ada@example.com" }),
      create_inactive: toggle(5, "Create inactive", "Leave the user STAGED (not activated); takes precedence over the activation e-mail", false),
      send_activation_email: toggle(6, "Send activation e-mail", "Let Okta e-mail the activation link; when off, the user is activated without an e-mail", true),
      password_change_on_login_required: toggle(7, "Change password at first sign-in", "With a random password: the user must change it at first sign-in", false),
      provider_type: text(8, "Provider type", "OKTA (Okta holds the password) or FEDERATION (an identity provider does)", false, { placeholder: "OKTA", defaultValue: "OKTA" }),
      additionalAttributes: {
        order: 9,
        displayName: "Additional attributes",
        description: "Other Okta profile attributes (custom ones included), by Okta attribute name",
        required: false,
        field: { case: "mapField", value: {} },
      },
    },
  });
}

/** The credential options CreateAccount accepts; NO_PASSWORD is preferred (Okta e-mails the user). */
export function userCredentialDetails(): CredentialDetails {
  return create(CredentialDetailsSchema, {
    capabilityAccountProvisioning: {
      supportedCredentialOptions: [CapabilityDetailCredentialOption.NO_PASSWORD, CapabilityDetailCredentialOption.RANDOM_PASSWORD],
      preferredCredentialOption: CapabilityDetailCredentialOption.NO_PASSWORD,
    },
  });
}
