import type { SyncOptions } from "../../config/config.js";
import type { OktaDevicesApi } from "./device-okta.js";
import type { ResourceSyncer } from "../../protocol/resource-syncer.js";
import { afterOf, cursorOf } from "../shared/cursor.js";
import { readOrExplain } from "../shared/get-resource.js";
import { oktaIdOf } from "../shared/provisioning.js";
import { GET_RESOURCE_ID_FIELD } from "../shared/request-fields.js";
import { createEmailFilter } from "../shared/email-filter.js";
import { createListingRefusal } from "../shared/listing-refusal.js";
import { DEVICE_TYPE } from "./resource-type.js";
import { deviceResourceOf, deviceUserEntitlementOf, deviceUserGrantOf, deviceUserIdsOf } from "./device-mappers.js";

/**
 * Okta devices (`/api/v1/devices?expand=user`, with --sync-devices) → `device` resources with one
 * `user` entitlement; grants are the device's users, read from the listing itself, so grants cost no
 * Okta call. Read only, as baton-okta.
 */
export interface DeviceSyncerDeps {
  readonly okta: Pick<OktaDevicesApi, "listDevices" | "probeDevices" | "getDevice" | "listDeviceUsers">;
  readonly options: SyncOptions;
}

export function createDeviceSyncer(deps: DeviceSyncerDeps) {
  const keepEmail = createEmailFilter(deps.options.filterEmailDomains);
  // The users the user syncer leaves out must not appear as grant principals.
  const keepUser = (user: { status?: string; profile?: Parameters<typeof keepEmail>[0] } | null | undefined): boolean =>
    !!user && keepEmail(user.profile) && (deps.options.syncDeprovisionedUsers || user.status !== "DEPROVISIONED");
  const unreadable = createListingRefusal(
    (options) => deps.okta.probeDevices(options),
    "listing devices needs an admin role that reads devices and, for an OAuth app, the okta.devices.read scope (Okta answered 403)",
  );
  return {
    resourceType: DEVICE_TYPE,
    async coverageGaps(ctx) {
      const gap = await unreadable(ctx);
      return gap ? [gap] : [];
    },
    async list(_parent, cursor, ctx) {
      if (await unreadable(ctx)) return { items: [] };
      const page = await deps.okta.listDevices({ after: afterOf(cursor), signal: ctx.signal });
      return { items: page.items.map((d) => deviceResourceOf(d, keepUser)), cursor: cursorOf(page.after) };
    },
    /**
     * Two calls at once: Okta's `/devices/{id}` has no `expand=user`, so the users come from
     * `/devices/{id}/users`, in the shape the listing embeds. Every device is listed, whatever its status.
     */
    async get(id, _parent, ctx) {
      const deviceId = oktaIdOf("device", id, GET_RESOURCE_ID_FIELD);
      const [device, users] = await readOrExplain(id, unreadable, ctx, () =>
        Promise.all([deps.okta.getDevice(deviceId, { signal: ctx.signal }), deps.okta.listDeviceUsers(deviceId, { signal: ctx.signal })]),
      );
      return deviceResourceOf({ ...device, _embedded: { ...device._embedded, users } }, keepUser);
    },
    async entitlements(resource) {
      return { items: [deviceUserEntitlementOf(resource)] };
    },
    async grants(resource) {
      const entitlement = deviceUserEntitlementOf(resource);
      return { items: deviceUserIdsOf(resource).map((id) => deviceUserGrantOf(entitlement, id)) };
    },
  } satisfies ResourceSyncer;
}
