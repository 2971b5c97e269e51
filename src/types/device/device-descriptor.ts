import type { SyncOptions } from "../../config/config.js";
import type { CoverageGap } from "../../protocol/resource-syncer.js";
import type { OktaTypeDescriptor } from "../shared/type-context.js";
import { createDeviceSyncer } from "./device.js";
import { DEVICE_TYPE } from "./resource-type.js";

const DEVICES_OFF: readonly CoverageGap[] = [
  { scope: "resources", reason: "disabled-by-flag", detail: "devices and their users are not synced", flag: "--sync-devices" },
];

/** Devices (with --sync-devices), used by users. */
export const deviceDescriptor: OktaTypeDescriptor = {
  resourceType: DEVICE_TYPE,
  // Listed under the directory read the probe checks; a credential without okta.devices.read gets
  // a 403 on the listing, which the sync reports like any other refused listing.
  needs: { read: "listUsers" },
  dependsOn: ["user"],
  isEnabled: (o: SyncOptions) => o.syncDevices,
  configurationGaps: (o: SyncOptions) => (o.syncDevices ? [] : DEVICES_OFF),
  createSyncer: ({ api, options }) => createDeviceSyncer({ okta: api.devices, options }),
};
