import type { JsonObject } from "@bufbuild/protobuf";
import { DeviceOS_OsType, ManagedDeviceTrait_ManagementState } from "../../../gen/c1/connector/v2/annotation_trait_pb.js";
import type { Entitlement } from "../../../gen/c1/connector/v2/entitlement_pb.js";
import type { Resource } from "../../../gen/c1/connector/v2/resource_pb.js";
import type { OktaDevice } from "./device-okta.js";
import { rawId, v1Identifier } from "../../protocol/annotations.js";
import { newAssignmentEntitlement, newGrant, newResource, resourceId } from "../../protocol/builders.js";
import { managedDeviceTrait } from "../../protocol/traits.js";
import { USER_TYPE } from "../user/resource-type.js";
import { DEVICE_TYPE } from "./resource-type.js";

/** Okta devices → `device` resources, their user entitlement and one grant per user: pure functions. */

/**
 * baton-okta has no device entitlement (it skips entitlements and grants), so no id exists to match;
 * `device:{id}:user` names what the grant says: the user uses the device.
 */
export const DEVICE_USER_SLUG = "user";

/** The profile key that carries the device's user ids from the listing to the grants. */
export const DEVICE_USER_IDS = "user_ids";

/** baton-okta's platform → OS type table; any other platform is unspecified. */
const OS_TYPES: Readonly<Record<string, DeviceOS_OsType>> = {
  WINDOWS: DeviceOS_OsType.WINDOWS,
  MACOS: DeviceOS_OsType.MACOS,
  IOS: DeviceOS_OsType.IOS,
  ANDROID: DeviceOS_OsType.ANDROID,
  CHROMEOS: DeviceOS_OsType.CHROMEOS,
};

/** Okta's diskEncryptionType: NONE is known unencrypted; absent says nothing. */
function encryptedOf(type: unknown): boolean | undefined {
  if (typeof type !== "string" || type === "") return undefined;
  return type !== "NONE";
}

function managementOf(managed: unknown): ManagedDeviceTrait_ManagementState {
  if (managed === true) return ManagedDeviceTrait_ManagementState.MANAGED;
  if (managed === false) return ManagedDeviceTrait_ManagementState.UNMANAGED;
  return ManagedDeviceTrait_ManagementState.UNSPECIFIED;
}

const str = (value: unknown): string => (typeof value === "string" ? value : "");

/**
 * A device, with the ids of the users `expand=user` embedded (`keepUser` drops those the sync leaves
 * out, so no grant names a principal the engine never received).
 */
export function deviceResourceOf(device: OktaDevice, keepUser: (user: NonNullable<NonNullable<OktaDevice["_embedded"]>["users"]>[number]["user"]) => boolean = () => true): Resource {
  const p = device.profile ?? {};
  const displayName = str(p.displayName) || device.id;
  const platform = str(p.platform);
  const userIds = (device._embedded?.users ?? []).map((u) => u.user).filter((u) => u?.id && keepUser(u)).map((u) => u!.id);
  const profile: JsonObject = {
    id: device.id,
    status: str(device.status),
    platform,
    [DEVICE_USER_IDS]: [...new Set(userIds)],
  };
  const created = device.created ? new Date(device.created) : undefined;
  return newResource({
    type: DEVICE_TYPE,
    id: device.id,
    displayName,
    profile,
    ...(created && !Number.isNaN(created.getTime()) ? { createdAt: created } : {}),
    annotations: [
      managedDeviceTrait({
        serial: str(p.serialNumber),
        udid: str(p.udid),
        model: str(p.model),
        vendor: str(p.manufacturer),
        os: { type: OS_TYPES[platform] ?? DeviceOS_OsType.UNSPECIFIED, name: platform, version: str(p.osVersion) },
        ...(encryptedOf(p.diskEncryptionType) === undefined ? {} : { isEncrypted: encryptedOf(p.diskEncryptionType)! }),
        managementState: managementOf(p.managed),
      }),
      v1Identifier(device.id),
      rawId(device.id),
    ],
  });
}

export function deviceUserEntitlementOf(resource: Resource): Entitlement {
  const name = resource.displayName;
  return newAssignmentEntitlement(resource, {
    slug: DEVICE_USER_SLUG,
    displayName: `${name} Device User`,
    description: `Uses the ${name} device registered in Okta`,
    grantableTo: [USER_TYPE],
  });
}

/** The users a listed device resource carries (see {@link deviceResourceOf}). */
export function deviceUserIdsOf(resource: Resource): string[] {
  const ids = resource.profile?.[DEVICE_USER_IDS];
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : [];
}

export function deviceUserGrantOf(entitlement: Entitlement, userId: string) {
  return newGrant(entitlement, resourceId(USER_TYPE.id, userId));
}
