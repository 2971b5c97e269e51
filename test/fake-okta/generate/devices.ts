import type { DeviceRecord, DevicePlatform, UserRecord } from "../org/types.js";
import type { GenerateContext } from "./users.js";

const DAY_MS = 86_400_000;

/** Plausible hardware per platform: manufacturer, models, OS versions. */
const HARDWARE: Record<DevicePlatform, { manufacturer: string; models: string[]; versions: string[] }> = {
  MACOS: { manufacturer: "APPLE", models: ["MacBookPro18,3", "MacBookAir10,1", "Mac14,2"], versions: ["13.6.7", "14.4.1", "14.5"] },
  WINDOWS: { manufacturer: "Dell Inc.", models: ["Latitude 7440", "XPS 13 9340", "OptiPlex 7010"], versions: ["10.0.19045", "10.0.22631"] },
  IOS: { manufacturer: "APPLE", models: ["iPhone14,5", "iPhone15,2", "iPad13,18"], versions: ["17.4.1", "17.5"] },
  ANDROID: { manufacturer: "Google", models: ["Pixel 7", "Pixel 8 Pro"], versions: ["13", "14"] },
};
// Okta's DevicePlatform enum has no CHROMEOS, though baton-okta maps it.
const PLATFORMS: DevicePlatform[] = ["MACOS", "WINDOWS", "IOS", "ANDROID"];
const SERIAL_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/**
 * Generates `count` devices, each enrolled by zero (an orphan), one or two users: every platform
 * appears once there are four devices, and so do the three encryption values and both management states.
 */
export function generateDevices(ctx: GenerateContext, users: readonly UserRecord[], count: number): DeviceRecord[] {
  const { prng } = ctx;
  const devices: DeviceRecord[] = [];
  for (let i = 0; i < count; i++) {
    const platform = i < PLATFORMS.length ? (PLATFORMS[i] as DevicePlatform) : prng.weighted(PLATFORMS, [40, 35, 14, 11]);
    const hw = HARDWARE[platform];
    const created = ctx.now - prng.range(1, 900) * DAY_MS - prng.int(DAY_MS);
    const holders = users.length === 0 ? 0 : i % 17 === 3 ? 0 : prng.chance(0.15) ? 2 : 1;
    const enrolled = new Set<UserRecord>();
    while (enrolled.size < Math.min(holders, users.length)) enrolled.add(prng.pick(users));
    const owner = [...enrolled][0];
    const model = prng.pick(hw.models);
    const managed = i % 3 !== 1;
    devices.push({
      id: ctx.ids.mint("guo"),
      status: i % 11 === 5 ? "DEACTIVATED" : i % 13 === 7 ? "SUSPENDED" : "ACTIVE",
      created,
      lastUpdated: created + prng.int(ctx.now - created),
      profile: {
        displayName: owner ? `${String(owner.profile["firstName"] ?? owner.profile.login)}'s ${model}` : `${platform} device ${i + 1}`,
        platform,
        manufacturer: hw.manufacturer,
        model,
        osVersion: prng.pick(hw.versions),
        serialNumber: Array.from({ length: 12 }, () => SERIAL_ALPHABET[prng.int(SERIAL_ALPHABET.length)]).join(""),
        udid: Array.from({ length: 32 }, () => "0123456789ABCDEF"[prng.int(16)]).join("").replace(/^(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-"),
        registered: true,
        managed,
        diskEncryptionType: i % 3 === 0 ? "ALL_INTERNAL_VOLUMES" : i % 3 === 1 ? "NONE" : "USER",
      },
      users: [...enrolled].map((u) => ({ userId: u.id, created: created + prng.int(DAY_MS), managementStatus: managed ? "MANAGED" : "NOT_MANAGED" })),
    });
  }
  return devices;
}
