/**
 * The device type's Okta calls and shapes (`/api/v1/devices`, scope okta.devices.read), kept in its
 * folder so the type is one folder. A listing with `expand=user` embeds each device's users, so a sync
 * learns who uses every device from the same pages, without one `/devices/{id}/users` call per device.
 * Okta counts it in the "all other /api/v1" rate-limit bucket. Read only: the connector neither
 * registers nor changes devices.
 */
import { expectObject, fetchPage, OktaError, validateOktaId, type CallOptions, type OktaClient, type OktaUser, type Page, type PageOptions } from "../../okta/index.js";

/** `GET /api/v1/devices`: default 200, maximum 200 (okta-api.md §2). */
export const DEVICES_PAGE_LIMIT = 200;

/** A device's profile (okta-api: DeviceProfile); `platform` is WINDOWS, MACOS, IOS, ANDROID, CHROMEOS. */
export interface OktaDeviceProfile {
  displayName?: string | null;
  platform?: string | null;
  manufacturer?: string | null;
  model?: string | null;
  osVersion?: string | null;
  serialNumber?: string | null;
  udid?: string | null;
  registered?: boolean | null;
  managed?: boolean | null;
  diskEncryptionType?: string | null;
  [key: string]: unknown;
}

/** One of a device's users, as `expand=user` embeds it (okta-api: DeviceUser). */
export interface OktaDeviceUser {
  created?: string | null;
  managementStatus?: string | null;
  user?: OktaUser | null;
  [key: string]: unknown;
}

/** A device as `GET /api/v1/devices?expand=user` lists it; status is CREATED, ACTIVE, SUSPENDED, DEACTIVATED. */
export interface OktaDevice {
  id: string;
  status?: string | null;
  created?: string | null;
  lastUpdated?: string | null;
  profile?: OktaDeviceProfile | null;
  _embedded?: { users?: OktaDeviceUser[] | null; [key: string]: unknown } | null;
  [key: string]: unknown;
}

export interface OktaDevicesApi {
  /** `GET /api/v1/devices?expand=user`: devices with `_embedded.users`. */
  listDevices(options?: PageOptions): Promise<Page<OktaDevice>>;
  /** `GET /api/v1/devices?limit=1`: whether the credential may list devices (throws the 403). */
  probeDevices(options?: PageOptions): Promise<void>;
  /** `GET /api/v1/devices/{id}`: one device, without its users (Okta offers no `expand` there). */
  getDevice(deviceId: string, options?: CallOptions): Promise<OktaDevice>;
  /** `GET /api/v1/devices/{id}/users`: the device's users, in the shape `expand=user` embeds (one unpaged array). */
  listDeviceUsers(deviceId: string, options?: CallOptions): Promise<OktaDeviceUser[]>;
}

export function createOktaDevicesApi(client: OktaClient): OktaDevicesApi {
  return {
    listDevices: (options = {}) => fetchPage<OktaDevice>(client, "/api/v1/devices", { expand: "user" }, { ...options, limit: options.limit ?? DEVICES_PAGE_LIMIT }),
    async probeDevices(options = {}) {
      await fetchPage<OktaDevice>(client, "/api/v1/devices", {}, { ...options, limit: 1 });
    },
    async getDevice(deviceId, options = {}) {
      const response = await client.request<OktaDevice>({ path: `/api/v1/devices/${validateOktaId("device", deviceId)}`, ...options });
      return expectObject(response.body, "getDevice");
    },
    async listDeviceUsers(deviceId, options = {}) {
      const response = await client.request<OktaDeviceUser[]>({ path: `/api/v1/devices/${validateOktaId("device", deviceId)}/users`, ...options });
      const users = response.body;
      if (!Array.isArray(users)) throw new OktaError({ kind: "unavailable", message: "listDeviceUsers: Okta answered without a JSON array" });
      return users;
    },
  };
}
