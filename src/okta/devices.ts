/**
 * Devices registered with Okta (`/api/v1/devices`, scope okta.devices.read). A listing with
 * `expand=user` embeds each device's users, so a sync learns who uses every device from the same
 * pages, without one `/devices/{id}/users` call per device. Okta counts it in the "all other
 * /api/v1" rate-limit bucket.
 */
import type { OktaClient } from "./client.js";
import { OKTA_PAGE_LIMITS } from "./page-limits.js";
import { fetchPage } from "./paging.js";
import type { OktaDevice, Page, PageOptions } from "./types.js";

/** Device calls: read only (the connector neither registers nor changes devices). */
export interface OktaDevicesApi {
  /** `GET /api/v1/devices?expand=user`: devices with `_embedded.users`. */
  listDevices(options?: PageOptions): Promise<Page<OktaDevice>>;
  /** `GET /api/v1/devices?limit=1`: whether the credential may list devices (throws the 403). */
  probeDevices(options?: PageOptions): Promise<void>;
}

/** Builds the {@link OktaDevicesApi} over a client. */
export function createOktaDevicesApi(client: OktaClient): OktaDevicesApi {
  return {
    listDevices: (options = {}) =>
      fetchPage<OktaDevice>(client, "/api/v1/devices", { expand: "user" }, { ...options, limit: options.limit ?? OKTA_PAGE_LIMITS.devices }),
    async probeDevices(options = {}) {
      await fetchPage<OktaDevice>(client, "/api/v1/devices", {}, { ...options, limit: 1 });
    },
  };
}
