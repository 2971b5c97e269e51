import { describe, expect, it } from "vitest";
import { DeviceOS_OsType, ManagedDeviceTrait_ManagementState, ManagedDeviceTraitSchema } from "../../../gen/c1/connector/v2/annotation_trait_pb.js";
import { V1IdentifierSchema } from "../../../gen/c1/connector/v2/annotation_v1_identifier_pb.js";
import { OptInRequiredSchema } from "../../../gen/c1/connector/v2/connector_pb.js";
import { ResourceType_Trait } from "../../../gen/c1/connector/v2/resource_pb.js";
import type { OktaUser } from "../../okta/index.js";
import type { OktaDevice } from "./device-okta.js";
import { has, pick } from "../../protocol/annotations.js";
import { deviceResourceOf, deviceUserEntitlementOf, deviceUserGrantOf, deviceUserIdsOf } from "./device-mappers.js";
import { DEVICE_TYPE } from "./resource-type.js";

const user = (id: string, status = "ACTIVE"): OktaUser => ({ id, status, profile: { login: `${id}@acme.example`, email: `${id}@acme.example` } });

const device: OktaDevice = {
  id: "guo4a5u7JHHhjXrMK0g4",
  status: "ACTIVE",
  created: "2024-03-01T10:00:00.000Z",
  profile: {
    displayName: "Ana's MacBook Pro",
    platform: "MACOS",
    manufacturer: "APPLE",
    model: "MacBookPro18,3",
    osVersion: "14.4.1",
    serialNumber: "C02XK1Z4JG5J",
    udid: "954F6969-B4A0-5D23-8E8F-3F5B2B5E4C2A",
    diskEncryptionType: "ALL_INTERNAL_VOLUMES",
    managed: true,
  },
  _embedded: { users: [{ managementStatus: "MANAGED", user: user("00u1") }, { managementStatus: "MANAGED", user: user("00u2", "DEPROVISIONED") }] },
};

describe("device resource type", () => {
  it("is baton-okta's: id device, display Device, MANAGED_DEVICE trait, opt-in, V1 id = type id", () => {
    expect(DEVICE_TYPE.id).toBe("device");
    expect(DEVICE_TYPE.displayName).toBe("Device");
    expect(DEVICE_TYPE.traits).toEqual([ResourceType_Trait.MANAGED_DEVICE]);
    expect(has(DEVICE_TYPE.annotations, OptInRequiredSchema)).toBe(true);
    expect(pick(DEVICE_TYPE.annotations, V1IdentifierSchema)?.id).toBe("device");
  });
});

describe("deviceResourceOf", () => {
  it("fills the ManagedDeviceTrait as baton-okta: serial, UDID, model, vendor = manufacturer, OS from platform", () => {
    const trait = pick(deviceResourceOf(device).annotations, ManagedDeviceTraitSchema)!;
    expect(trait.serial).toBe("C02XK1Z4JG5J");
    expect(trait.udid).toBe("954F6969-B4A0-5D23-8E8F-3F5B2B5E4C2A");
    expect(trait.model).toBe("MacBookPro18,3");
    expect(trait.vendor).toBe("APPLE");
    expect(trait.os).toMatchObject({ type: DeviceOS_OsType.MACOS, name: "MACOS", version: "14.4.1" });
    expect(trait.isEncrypted).toBe(true);
    expect(trait.managementState).toBe(ManagedDeviceTrait_ManagementState.MANAGED);
  });

  it("maps an unknown platform to an unspecified OS type, and leaves unknown encryption and management unset", () => {
    const trait = pick(deviceResourceOf({ id: "guo1", profile: { platform: "LINUX" } }).annotations, ManagedDeviceTraitSchema)!;
    expect(trait.os?.type).toBe(DeviceOS_OsType.UNSPECIFIED);
    expect(trait.os?.name).toBe("LINUX");
    expect(trait.isEncrypted).toBeUndefined();
    expect(trait.managementState).toBe(ManagedDeviceTrait_ManagementState.UNSPECIFIED);
    expect(pick(deviceResourceOf({ id: "guo1", profile: { diskEncryptionType: "NONE", managed: false } }).annotations, ManagedDeviceTraitSchema)).toMatchObject({
      isEncrypted: false,
      managementState: ManagedDeviceTrait_ManagementState.UNMANAGED,
    });
  });

  it("names the device by profile.displayName, falling back to its id; V1 and raw id are the device id", () => {
    const resource = deviceResourceOf(device);
    expect(resource.displayName).toBe("Ana's MacBook Pro");
    expect(pick(resource.annotations, V1IdentifierSchema)?.id).toBe("guo4a5u7JHHhjXrMK0g4");
    expect(deviceResourceOf({ id: "guo9", profile: {} }).displayName).toBe("guo9");
  });

  it("carries the embedded users' ids, less the users the sync leaves out", () => {
    expect(deviceUserIdsOf(deviceResourceOf(device))).toEqual(["00u1", "00u2"]);
    expect(deviceUserIdsOf(deviceResourceOf(device, (u) => u?.status !== "DEPROVISIONED"))).toEqual(["00u1"]);
    expect(deviceUserIdsOf(deviceResourceOf({ id: "guo2" }))).toEqual([]);
  });
});

describe("device user grants", () => {
  it("device:{id}:user, granted to users, one grant per user with baton-sdk's grant id", () => {
    const resource = deviceResourceOf(device);
    const entitlement = deviceUserEntitlementOf(resource);
    expect(entitlement.id).toBe("device:guo4a5u7JHHhjXrMK0g4:user");
    expect(entitlement.grantableTo.map((t) => t.id)).toEqual(["user"]);
    expect(deviceUserGrantOf(entitlement, "00u1").id).toBe("device:guo4a5u7JHHhjXrMK0g4:user:user:00u1");
  });
});
