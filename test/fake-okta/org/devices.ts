import type { OrgState } from "./state.js";
import { liveUser } from "./state.js";
import type { DeviceRecord, UserRecord } from "./types.js";

/** Devices: read only (the connector never registers or changes one). */
export interface DeviceStore {
  all(): readonly DeviceRecord[];
  get(id: string): DeviceRecord | undefined;
  /** The device's users that still exist, in enrolment order, with their enrolment details. */
  usersOf(device: DeviceRecord): { user: UserRecord; created: number; managementStatus: "MANAGED" | "NOT_MANAGED" }[];
}

export function createDeviceStore(state: OrgState): DeviceStore {
  const byId = new Map(state.devices.map((d) => [d.id, d]));
  return {
    all: () => state.devices,
    get: (id) => byId.get(id),
    usersOf(device) {
      return device.users.flatMap((u) => {
        const user = liveUser(state, u.userId);
        return user ? [{ user, created: u.created, managementStatus: u.managementStatus }] : [];
      });
    },
  };
}
