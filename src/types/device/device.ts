import type { SyncOptions } from "../../config/config.js";
import type { OktaDevicesApi } from "./device-okta.js";
import type { ResourceSyncer } from "../../protocol/resource-syncer.js";
import { afterOf, cursorOf } from "../shared/cursor.js";
import { createEmailFilter } from "../shared/email-filter.js";
import { createListingRefusal } from "../shared/listing-refusal.js";
import { DEVICE_TYPE } from "./resource-type.js";
import { deviceResourceOf, deviceUserEntitlementOf, deviceUserGrantOf, deviceUserIdsOf } from "./device-mappers.js";

/**
 * Okta devices (`/api/v1/devices?expand=user`, with --sync-devices) → `device` resources with one
 * `user` entitlement; grants are the device's users, read from the listing itself, so grants cost no
 * Okta call. Read only, and no `get`, as baton-okta.
 */
export interface DeviceSyncerDeps {
  readonly okta: Pick<OktaDevicesApi, "listDevices" | "probeDevices">;
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
    async entitlements(resource) {
      return { items: [deviceUserEntitlementOf(resource)] };
    },
    async grants(resource) {
      const entitlement = deviceUserEntitlementOf(resource);
      return { items: deviceUserIdsOf(resource).map((id) => deviceUserGrantOf(entitlement, id)) };
    },
  } satisfies ResourceSyncer;
}
