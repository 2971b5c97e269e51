import type { DeviceRecord, UserRecord } from "../org/types.js";
import { iso, link } from "./json-shapes.js";
import { renderUser } from "./users.js";

/** A device's users as `expand=user` and `/devices/{id}/users` serve them (DeviceUser). */
export type DeviceUserView = { user: UserRecord; created: number; managementStatus: "MANAGED" | "NOT_MANAGED" };

export function renderDeviceUser(view: DeviceUserView, base: string): Record<string, unknown> {
  return { created: iso(view.created), managementStatus: view.managementStatus, user: renderUser(view.user, base) };
}

/** Renders a device as Okta's Device; `users` (with `expand=user`) go under `_embedded.users`. */
export function renderDevice(device: DeviceRecord, base: string, users?: readonly DeviceUserView[]): Record<string, unknown> {
  const path = `/api/v1/devices/${device.id}`;
  const lifecycle = device.status === "ACTIVE" ? ["deactivate", "suspend"] : device.status === "SUSPENDED" ? ["unsuspend", "deactivate"] : device.status === "DEACTIVATED" ? ["activate"] : ["activate"];
  const out: Record<string, unknown> = {
    id: device.id,
    status: device.status,
    created: iso(device.created),
    lastUpdated: iso(device.lastUpdated),
    profile: device.profile,
    resourceId: device.id,
    resourceDisplayName: { value: device.profile.displayName, sensitive: false },
    resourceType: "UDDevice",
    _links: {
      self: link(base, path),
      users: link(base, `${path}/users`, { method: "GET" }),
      ...Object.fromEntries(lifecycle.map((op) => [op, link(base, `${path}/lifecycle/${op}`, { method: "POST" })])),
    },
  };
  if (users) out["_embedded"] = { users: users.map((u) => renderDeviceUser(u, base)) };
  return out;
}
