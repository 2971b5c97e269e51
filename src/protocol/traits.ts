import { type JsonObject } from "@bufbuild/protobuf";
import { type Timestamp, timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  AppTraitSchema,
  DeviceOS_OsType,
  ManagedDeviceTrait_ManagementState,
  ManagedDeviceTraitSchema,
  GroupTraitSchema,
  NonHumanIdentityTrait_NhiType,
  NonHumanIdentityTraitSchema,
  RoleTraitSchema,
  SecretTrait_CredentialType,
  SecretTraitSchema,
  UserTrait_AccountType,
  UserTrait_Status_Status,
  UserTraitSchema,
} from "../../gen/c1/connector/v2/annotation_trait_pb.js";
import { type ResourceId, ResourceType_Trait } from "../../gen/c1/connector/v2/resource_pb.js";
import { pack } from "./annotations.js";
import { structFrom } from "./builders.js";
import { LIMITS, truncateUtf8 } from "./limits.js";

export { ResourceType_Trait as Trait };

/**
 * Trait annotations. baton-sdk fails the whole sync when a resource of a type that declares
 * TRAIT_USER/GROUP/ROLE/APP/SECRET lacks the matching trait, so every syncer builds its resources'
 * traits here. As baton-sdk's helpers do, the deprecated trait-level profile and status are filled as
 * well as the Resource-level ones, for engines that still read the old fields.
 */
export interface UserTraitInit {
  readonly emails: readonly { readonly address: string; readonly primary: boolean }[];
  readonly login?: string;
  readonly loginAliases?: readonly string[];
  readonly employeeIds?: readonly string[];
  readonly lastLogin?: Date;
  readonly createdAt?: Date;
  readonly enabled: boolean;
  readonly statusDetails?: string;
  readonly profile?: JsonObject;
  /** Unset means unknown (not read), which is not the same as false. */
  readonly mfaEnabled?: boolean;
  readonly structuredName?: { readonly givenName: string; readonly familyName: string; readonly middleNames: readonly string[]; readonly prefix: string; readonly suffix: string };
}

export function userTrait(init: UserTraitInit) {
  return pack(UserTraitSchema, {
    emails: init.emails.map((e) => ({ address: e.address, isPrimary: e.primary })),
    status: {
      status: init.enabled ? UserTrait_Status_Status.ENABLED : UserTrait_Status_Status.DISABLED,
      details: truncateUtf8(init.statusDetails ?? "", LIMITS.statusDetails),
    },
    accountType: UserTrait_AccountType.HUMAN,
    login: init.login ?? "",
    loginAliases: [...(init.loginAliases ?? [])],
    employeeIds: [...(init.employeeIds ?? [])],
    ...(init.lastLogin ? { lastLogin: ts(init.lastLogin) } : {}),
    ...(init.createdAt ? { createdAt: ts(init.createdAt) } : {}),
    ...(init.profile ? { profile: structFrom(init.profile) } : {}),
    ...(init.mfaEnabled === undefined ? {} : { mfaStatus: { mfaEnabled: init.mfaEnabled } }),
    ...(init.structuredName ? { structuredName: { ...init.structuredName, middleNames: [...init.structuredName.middleNames] } } : {}),
  });
}

export function groupTrait(init: { sourceType: string; rawSourceType: string; profile?: JsonObject }) {
  return pack(GroupTraitSchema, {
    groupSourceType: truncateUtf8(init.sourceType, LIMITS.groupSourceType),
    rawGroupSourceType: truncateUtf8(init.rawSourceType, LIMITS.rawGroupSourceType),
    ...(init.profile ? { profile: structFrom(init.profile) } : {}),
  });
}

export function roleTrait(init: { profile?: JsonObject } = {}) {
  return pack(RoleTraitSchema, init.profile ? { profile: structFrom(init.profile) } : {});
}

export function appTrait(init: { profile?: JsonObject; sourceType?: string; rawSourceType?: string } = {}) {
  return pack(AppTraitSchema, {
    appSourceType: truncateUtf8(init.sourceType ?? "", LIMITS.appSourceType),
    rawAppSourceType: truncateUtf8(init.rawSourceType ?? "", LIMITS.rawAppSourceType),
    ...(init.profile ? { profile: structFrom(init.profile) } : {}),
  });
}

/** Apps that authenticate as themselves (SAML, OIDC, …) are non-human identities in baton's model. */
export function appRegistrationTrait(detail: string) {
  return pack(NonHumanIdentityTraitSchema, { nhiType: NonHumanIdentityTrait_NhiType.APP_REGISTRATION, nhiDetail: detail });
}

function ts(date: Date): Timestamp {
  return timestampFromDate(date);
}

export interface ManagedDeviceTraitInit {
  readonly serial?: string;
  readonly udid?: string;
  readonly model?: string;
  readonly vendor?: string;
  readonly os?: { readonly type: DeviceOS_OsType; readonly name: string; readonly version: string };
  readonly isEncrypted?: boolean;
  readonly managementState?: ManagedDeviceTrait_ManagementState;
}

/** The trait of a device resource (baton's ManagedDeviceTrait); unknown booleans stay unset, not false. */
export function managedDeviceTrait(init: ManagedDeviceTraitInit) {
  return pack(ManagedDeviceTraitSchema, {
    serial: init.serial ?? "",
    udid: init.udid ?? "",
    model: init.model ?? "",
    vendor: init.vendor ?? "",
    ...(init.os ? { os: { type: init.os.type, name: init.os.name, version: init.os.version } } : {}),
    ...(init.isEncrypted === undefined ? {} : { isEncrypted: init.isEncrypted }),
    managementState: init.managementState ?? ManagedDeviceTrait_ManagementState.UNSPECIFIED,
  });
}

export interface SecretTraitInit {
  readonly credentialType: SecretTrait_CredentialType;
  /** The platform's own name for the kind of secret (`okta.api_token`). */
  readonly credentialDetail: string;
  /** Who owns it: the identity that acts when the secret is used. */
  readonly identity?: ResourceId;
  readonly createdBy?: ResourceId;
  readonly createdAt?: Date;
  readonly expiresAt?: Date;
  readonly lastUsedAt?: Date;
}

/**
 * The trait of a secret resource (baton's SecretTrait): metadata about a credential, never its value.
 * created_at is deprecated on the trait in favour of the resource's; it is filled on both, as for the
 * other traits here, for engines that still read the old field.
 */
export function secretTrait(init: SecretTraitInit) {
  return pack(SecretTraitSchema, {
    credentialType: init.credentialType,
    credentialDetail: init.credentialDetail,
    ...(init.identity ? { identityId: init.identity } : {}),
    ...(init.createdBy ? { createdById: init.createdBy } : {}),
    ...(init.createdAt ? { createdAt: ts(init.createdAt) } : {}),
    ...(init.expiresAt ? { expiresAt: ts(init.expiresAt) } : {}),
    ...(init.lastUsedAt ? { lastUsedAt: ts(init.lastUsedAt) } : {}),
  });
}
