import type { TypeFlag } from "../../config/flags.js";
import { optInGate } from "../shared/opt-in.js";
import type { OktaTypeDescriptor } from "../shared/type-context.js";
import { createDeviceSyncer } from "./device.js";
import { createOktaDevicesApi } from "./device-okta.js";
import { DEVICE_TYPE } from "./resource-type.js";

/** baton-okta's opt-in; an OAuth app is asked for okta.devices.read only with it. */
const SYNC_DEVICES: TypeFlag = {
  spec: { name: "sync-devices", kind: "boolean", defaultValue: false, description: "Also sync devices registered with Okta and their users (needs okta.devices.read)" },
  oauthScopes: ["okta.devices.read"],
};

/** Devices (with --sync-devices), used by users. */
export const deviceDescriptor: OktaTypeDescriptor = {
  resourceType: DEVICE_TYPE,
  // Listed under the directory read the probe checks; a credential without okta.devices.read gets
  // a 403 on the listing, which the syncer reports as a missing-permission gap.
  needs: { read: "listUsers" },
  dependsOn: ["user"],
  flags: [SYNC_DEVICES],
  ...optInGate(SYNC_DEVICES, "devices and their users are not synced"),
  createSyncer: ({ client, options }) => createDeviceSyncer({ okta: createOktaDevicesApi(client), options }),
};
